package dev.herald.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * Herald's one clock, shared by every instance: Redis TIME, so that what is due is judged the same
 * everywhere whatever each machine's clock says. Scripts read it through the Lua function NOW,
 * Java through now(). Both add the milliseconds stored at Keys.CLOCK_SHIFT, a key that only tests
 * set: that is how a test moves the clock of running instances by hours without waiting for them.
 */
@ApplicationScoped
public class RedisClock {

    /** Lua: now_ms(shift_key), Redis TIME in epoch milliseconds plus the shift. */
    public static final String NOW = """
            local function now_ms(shift_key)
              local t = redis.call('TIME')
              return t[1] * 1000 + math.floor(t[2] / 1000) + (tonumber(redis.call('GET', shift_key)) or 0)
            end
            """;

    static final Script READ = new Script(NOW + "return now_ms(KEYS[1])");

    @Inject
    Redis redis;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public static RedisClock on(Redis redis) {
        var clock = new RedisClock();
        clock.redis = redis;
        return clock;
    }

    public Instant now() {
        return Instant.ofEpochMilli((Long) READ.run(redis.client(), List.of(shiftKey()), List.of()));
    }

    /** The key every script that reads the clock is given. */
    public String shiftKey() {
        return redis.key(Keys.CLOCK_SHIFT);
    }
}
