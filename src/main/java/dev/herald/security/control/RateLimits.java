package dev.herald.security.control;

import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fixed one-minute windows per client and bucket, counted in Redis so that the limit holds
 * across instances. INCR and EXPIRE run in one script: a counter never lives forever.
 */
@ApplicationScoped
public class RateLimits {

    static final long WINDOW_MILLIS = 60_000;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    // KEYS: counter. ARGV: window in ms. Returns {count, milliseconds left in the window}.
    static final String HIT = """
            local count = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """;

    @Inject
    @ConfigProperty(name = "herald.limits.subscribe-per-minute")
    int subscribePerMinute;

    @Inject
    @ConfigProperty(name = "herald.limits.test-per-minute")
    int testPerMinute;

    @Inject
    Redis redis;

    @Inject
    @ConfigProperty(name = "herald.limits.events-per-minute")
    int eventsPerMinute;

    public int limit(String bucket) {
        return switch (bucket) {
            case "subscribe" -> subscribePerMinute;
            case "events" -> eventsPerMinute;
            default -> testPerMinute;
        };
    }

    /** Counts one request; returns the seconds to wait when the client is over its limit. A limit of 0 is none. */
    public OptionalLong hit(String bucket, String client) {
        if (limit(bucket) <= 0) {
            return OptionalLong.empty();
        }
        List<?> result = (List<?>) redis.client().eval(HIT, List.of(redis.key("ratelimit:" + bucket + ":" + client)),
                List.of(String.valueOf(WINDOW_MILLIS)));
        long count = (Long) result.get(0);
        long millisLeft = (Long) result.get(1);
        return count > limit(bucket) ? OptionalLong.of(Math.max(1, (millisLeft + 999) / 1000)) : OptionalLong.empty();
    }
}
