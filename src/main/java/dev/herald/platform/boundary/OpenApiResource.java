package dev.herald.platform.boundary;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * The hand-written OpenAPI document, also what MicroProfile OpenAPI serves at /openapi;
 * served here too for servers without MP OpenAPI.
 */
@Path("openapi.yaml")
@Produces(OpenApiResource.YAML)
public class OpenApiResource {

    static final String YAML = "application/yaml";
    static final String DOCUMENT = "/META-INF/openapi.yaml";

    @GET
    public Response document() {
        InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT);
        if (in == null) {
            throw new NotFoundException("This build ships no OpenAPI document.");
        }
        return Response.ok(in).build();
    }
}
