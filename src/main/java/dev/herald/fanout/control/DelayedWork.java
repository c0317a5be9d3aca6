package dev.herald.fanout.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Work that is due later waits in a sorted set scored by its due time, and is moved into its lane's
 * stream when due, judged by Herald's clock (Redis TIME, RedisClock) so that instances' clocks do
 * not matter. Any instance may move it; each member moves once, in one script. Members are
 * <ul>
 *   <li>"start|lane|job": a scheduled job, due at its send_at: its first units are written then;</li>
 *   <li>"walk|lane|job|after": a throttled broadcast's next walk step;</li>
 *   <li>"lane|job|entry|group|ids": a batch of retries (a push's backoff or a host's pause), or, with
 *   a group "w...", subscriptions waiting for their local time; unique per settle that made them.</li>
 * </ul>
 * A cancelled job's members are dropped instead. The same script hands back the jobs cancelled
 * since the caller last asked, so every instance learns of a cancel within one upkeep tick.
 */
@ApplicationScoped
public class DelayedWork {

    static final int MOVE_AT_ONCE = 100;

    // KEYS: delayed set, cancels, subscription ids, clock. ARGV: stream key prefix, most to move, job key prefix, index key,
    // cancels since (ms, '' for none), key prefix P. Returns {moved, ms until the next is due or -1, now, cancelled job ids...}.
    static final Script MOVE_DUE = new Script(JobStore.JOB_FUNCTIONS + """
            local millis = now_ms(KEYS[4])
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', millis, 'LIMIT', 0, tonumber(ARGV[2]))
            for _, member in ipairs(due) do
              local kind, rest = string.match(member, '^([^|]+)|(.*)$')
              if kind == 'start' then
                local lane, job = string.match(rest, '^([^|]+)|(.*)$')
                if redis.call('HGET', ARGV[3] .. job, 'state') == 'scheduled' then
                  start_job(ARGV[6], ARGV[3] .. job, job, ARGV[1] .. lane, ARGV[4], millis)
                end
              elseif kind == 'walk' then
                local lane, job, after = string.match(rest, '^([^|]+)|([^|]+)|(.*)$')
                if redis.call('HGET', ARGV[3] .. job, 'state') ~= 'cancelled' then
                  redis.call('XADD', ARGV[1] .. lane, '*', 'job', job, 'kind', 'walk', 'after', after)
                end
              else
                local job, group, ids = string.match(rest, '^([^|]+)|[^|]*|([^|]*)|(.*)$')
                if redis.call('HGET', ARGV[3] .. job, 'state') ~= 'cancelled' then
                  if string.sub(group, 1, 1) == 'w' then
                    redis.call('XADD', ARGV[1] .. kind, '*', 'job', job, 'kind', 'batch', 'ids', ids, 'waited', '1')
                  else
                    redis.call('XADD', ARGV[1] .. kind, '*', 'job', job, 'kind', 'batch', 'ids', ids)
                  end
                end
              end
              redis.call('ZREM', KEYS[1], member)
            end
            local result = {#due, -1, millis}
            local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            if next[2] then
              result[2] = math.max(0, tonumber(next[2]) - millis)
            end
            if ARGV[5] ~= '' then
              for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[5], '+inf')) do
                result[#result + 1] = id
              end
            end
            return result
            """);

    /** What one move did: nextDueIn is null when nothing else waits; now is Herald's clock; cancelled the jobs cancelled since. */
    public record Moved(long count, Duration nextDueIn, long now, List<String> cancelled) {
    }

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Moves what is due into the streams (or starts it); cancelsSince: epoch ms, or -1 to ask for no cancels. */
    public Moved moveDue(long cancelsSince) {
        List<?> result = (List<?>) MOVE_DUE.run(redis.client(), List.of(redis.key(Keys.DELAYED), redis.key(Keys.CANCELS),
                redis.key(Keys.SUBSCRIPTIONS), clock.shiftKey()), List.of(redis.key(Keys.STREAM), String.valueOf(MOVE_AT_ONCE),
                redis.key(Keys.JOB), redis.key(Keys.NOTIFICATIONS), cancelsSince < 0 ? "" : String.valueOf(cancelsSince),
                redis.prefix()));
        long next = (Long) result.get(1);
        var cancelled = new ArrayList<String>();
        for (int i = 3; i < result.size(); i++) {
            cancelled.add((String) result.get(i));
        }
        return new Moved((Long) result.get(0), next < 0 ? null : Duration.ofMillis(next), (Long) result.get(2), cancelled);
    }

    public Moved moveDue() {
        return moveDue(-1);
    }
}
