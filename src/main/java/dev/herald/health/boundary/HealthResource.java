package dev.herald.health.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.health.control.RedisProbe;
import dev.herald.warmup.control.WarmUp;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Readiness (Redis answers, the warm-up is over) in MicroProfile Health's JSON shape for servers without MP Health.
 * Deliberately references no MP Health type, so it deploys where that API is absent.
 */
@Path("health")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    static final String REDIS = "redis";
    static final String WARM_UP = "warm-up";

    @Inject
    RedisProbe probe;

    @Inject
    WarmUp warmUp;

    @GET
    public Response readiness() {
        boolean redis = probe.answers();
        var warm = warmUp.state();
        boolean up = redis && warm.ready();
        var body = JsonBody.object()
                .add("status", word(up))
                .add("checks", JsonBody.array()
                        .add(JsonBody.object().add("name", REDIS).add("status", word(redis)))
                        .add(JsonBody.object().add("name", WARM_UP).add("status", word(warm.ready()))
                                .add("data", JsonBody.object().add("phase", warm.phase().word()).add("pushes", warm.pushes())
                                        .add("took_ms", warm.took().toMillis()).add("detail", warm.detail()))))
                .build();
        return Response.status(up ? 200 : 503).entity(body).build();
    }

    static String word(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
