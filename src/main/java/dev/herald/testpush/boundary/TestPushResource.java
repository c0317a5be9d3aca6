package dev.herald.testpush.boundary;

import dev.herald.platform.control.Uuids;
import dev.herald.testpush.control.TestPush;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/** POST /api/subscriptions/{id}/test: the request body, if any, is ignored. */
@Path("subscriptions/{id}/test")
@RequestScoped
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class TestPushResource {

    @Inject
    TestPush testPush;

    @POST
    public CompletionStage<JsonObject> send(@PathParam("id") String id) {
        return testPush.send(Uuids.check(id, "a subscription"));
    }
}
