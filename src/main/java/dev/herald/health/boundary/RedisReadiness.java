package dev.herald.health.boundary;

import dev.herald.health.control.RedisProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** MicroProfile Health readiness: DOWN while Redis does not answer PING, UP again once it does. */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {

    @Inject
    RedisProbe probe;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(HealthResource.REDIS).status(probe.answers()).build();
    }
}
