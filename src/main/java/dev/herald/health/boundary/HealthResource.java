package dev.herald.health.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.health.control.RedisProbe;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Readiness in MicroProfile Health's JSON shape for servers without MP Health.
 * Deliberately references no MP Health type, so it deploys where that API is absent.
 */
@Path("health")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    static final String REDIS = "redis";

    @Inject
    RedisProbe probe;

    @GET
    public Response readiness() {
        String status = probe.answers() ? "UP" : "DOWN";
        var body = JsonBody.object()
                .add("status", status)
                .add("checks", JsonBody.array().add(JsonBody.object()
                        .add("name", REDIS).add("status", status)))
                .build();
        return Response.status("UP".equals(status) ? 200 : 503).entity(body).build();
    }
}
