package dev.herald.testpush.control;

import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.SetParams;

/** At most one test notification per subscription and interval, shared by every instance through Redis. */
@ApplicationScoped
public class TestPushThrottle {

    @Inject
    Redis redis;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @Inject
    @ConfigProperty(name = "herald.test-push.interval")
    Duration interval;

    /** Takes this interval's turn for the subscription, or throws 429 with Retry-After. */
    public void acquire(String id) {
        String key = redis.key("test-push:" + id);
        long seconds = Math.max(1, interval.toSeconds());
        if ("OK".equals(redis.client().set(key, "1", SetParams.setParams().nx().ex(seconds)))) {
            return;
        }
        long retryAfter = Math.max(1, redis.client().ttl(key));
        throw new ClientErrorException("One test notification per " + seconds + " s: try again in " + retryAfter + " s.",
                Response.status(429).header("Retry-After", retryAfter).build());
    }
}
