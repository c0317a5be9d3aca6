package dev.herald.health.boundary;

import dev.herald.warmup.control.WarmUp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** MicroProfile Health readiness: DOWN while the deployment's warm-up runs (README "Performance"), with where it is. */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {

    @Inject
    WarmUp warmUp;

    @Override
    public HealthCheckResponse call() {
        var state = warmUp.state();
        return HealthCheckResponse.named(HealthResource.WARM_UP).status(state.ready())
                .withData("phase", state.phase().word())
                .withData("pushes", state.pushes())
                .withData("took_ms", state.took().toMillis())
                .withData("detail", state.detail())
                .build();
    }
}
