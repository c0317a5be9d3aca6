package dev.herald.fanout.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * Work that is due later (a push's retry after backoff or a host's pause) waits in a sorted set
 * scored by its due time, and is moved into its lane's stream when due, judged by Redis TIME so
 * that instances' clocks do not matter. Any instance may move it; each member moves once.
 * Members are "lane|job|entry|group|ids", unique per settle that made them.
 */
@ApplicationScoped
public class DelayedWork {

    static final int MOVE_AT_ONCE = 100;

    // KEYS: delayed set. ARGV: stream key prefix, most to move. Returns {moved, ms until the next is due or -1}.
    static final Script MOVE_DUE = new Script("""
            local now = redis.call('TIME')
            local millis = now[1] * 1000 + math.floor(now[2] / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', millis, 'LIMIT', 0, tonumber(ARGV[2]))
            for _, member in ipairs(due) do
              local lane, job, ids = string.match(member, '^([^|]+)|([^|]+)|[^|]*|[^|]*|(.*)$')
              redis.call('XADD', ARGV[1] .. lane, '*', 'job', job, 'kind', 'batch', 'ids', ids)
              redis.call('ZREM', KEYS[1], member)
            end
            local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            if next[2] then
              return {#due, math.max(0, tonumber(next[2]) - millis)}
            end
            return {#due, -1}
            """);

    public record Moved(long count, Duration nextDueIn) {
    }

    @Inject
    Redis redis;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Moves what is due into the streams; nextDueIn is null when nothing else waits. */
    public Moved moveDue() {
        List<?> result = (List<?>) MOVE_DUE.run(redis.client(), List.of(redis.key(Keys.DELAYED)),
                List.of(redis.key(Keys.STREAM), String.valueOf(MOVE_AT_ONCE)));
        long next = (Long) result.get(1);
        return new Moved((Long) result.get(0), next < 0 ? null : Duration.ofMillis(next));
    }
}
