package dev.herald.diagnostics.control;

import dev.herald.diagnostics.entity.Check;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.RedisRequirements;
import dev.herald.push.control.PushServicesSeen;
import dev.herald.security.control.ApiTokens;
import dev.herald.subscriptions.control.EndpointPolicy;
import dev.herald.vapid.control.VapidHeaders;
import dev.herald.vapid.control.VapidKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The VAPID doctor: the checks of GET /api/diagnostics, run also at start with one log line per
 * finding that is not ok (WARNING for warn, SEVERE for fail; the redis check's findings are
 * RedisRequirements' own start-up lines). A check that cannot read what it
 * needs (Redis away) is itself a failure, never an exception.
 */
@ApplicationScoped
public class Doctor {

    static final Logger LOG = Logger.getLogger(Doctor.class.getName());

    @Inject
    VapidKeys keys;

    @Inject
    VapidHeaders headers;

    @Inject
    RedisClock clock;

    @Inject
    RedisRequirements redis;

    @Inject
    EndpointPolicy endpoints;

    @Inject
    ApiTokens tokens;

    @Inject
    PushServicesSeen seen;

    @Inject
    PayloadSettings payloads;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        for (Check check : checks()) {
            // RedisRequirements logs its own findings at start, one line each
            if (check.status() != Check.Status.OK && !"redis".equals(check.name())) {
                LOG.log(check.status() == Check.Status.FAIL ? Level.SEVERE : Level.WARNING, check.logLine());
            }
        }
    }

    public List<Check> checks() {
        var checks = new ArrayList<Check>();
        checks.add(guarded("vapid.subject", () -> VapidChecks.subject(keys.subject())));
        checks.add(guarded("vapid.key-pair", () -> VapidChecks.keyPair(keys.all(), keys.publicKeyBase64Url())));
        checks.add(guarded("vapid.jwt-exp", () -> {
            Instant now = Instant.now();
            return VapidChecks.jwtExpiry(headers.create(keys.current(), VapidHeaders.audience(URI.create("https://push.example")), now), now);
        }));
        checks.add(guarded("clock", () -> PlatformChecks.clock(Instant.now(), clock.now())));
        checks.add(guarded("redis", () -> PlatformChecks.redis(redis.warnings())));
        checks.add(guarded("push.allowed-hosts", () -> PlatformChecks.allowedHosts(endpoints.allowedHosts(), endpoints.allowsInsecure())));
        checks.add(guarded("api.token", () -> PlatformChecks.token(tokens.generated())));
        checks.add(guarded("public-url", () -> PlatformChecks.publicUrl(payloads.format().publicUrl())));
        try {
            checks.addAll(PushServiceChecks.of(seen.all()));
        } catch (RuntimeException e) {
            checks.add(unchecked("push-services", e));
        }
        return checks;
    }

    static Check guarded(String name, Supplier<Check> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return unchecked(name, e);
        }
    }

    static Check unchecked(String name, RuntimeException e) {
        return Check.fail(name, "Could not check: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                "Make sure Redis answers (GET /api/health/ready), then ask again.");
    }

    /** The worst status of the checks. */
    public static Check.Status worst(List<Check> checks) {
        return checks.stream().map(Check::status).max(Enum::compareTo).orElse(Check.Status.OK);
    }
}
