package dev.herald.health.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Jedis;

/**
 * Answers whether Redis responds to PING right now. Uses its own short-lived connection
 * with a short timeout rather than the pool, so a probe never waits for a pooled
 * connection (or the pool's longer timeouts) and recovery is seen at the next probe.
 */
@ApplicationScoped
public class RedisProbe {

    static final int TIMEOUT_MILLIS = 1000;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @Inject
    @ConfigProperty(name = "herald.redis.url")
    String url;

    public boolean answers() {
        try (var jedis = new Jedis(URI.create(url), TIMEOUT_MILLIS)) {
            return "PONG".equalsIgnoreCase(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
