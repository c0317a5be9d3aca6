package dev.herald.webhooks.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Script;
import dev.herald.webhooks.entity.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The webhook outbox in Redis (docs/internals.md "Webhooks"). The scripts that change state write
 * the events (platform.control.Events); this class hands them out and closes them. Each (event,
 * target) pair is a member of the due set: claiming one moves its score to the end of a lease and
 * counts the attempt, so a claim of an instance that died comes due again when the lease ends. A
 * delivered pair is removed, a failed one scored for its retry; only the claim of the current
 * attempt may do either, so a late answer to an expired lease changes nothing twice. The event's
 * stream entry and hash go when its last target has it (or was given up on).
 */
@ApplicationScoped
public class Outbox {

    // KEYS: due, outbox, clock. ARGV: event key prefix, most, lease ms.
    // Returns {ms until the next is due or -1, then per claim: member, attempt, type, created, data, body or ''}.
    static final Script CLAIM = new Script(RedisClock.NOW + """
            local now = now_ms(KEYS[3])
            local out = {-1}
            for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
              local id, url = string.match(member, '^([^|]+)|(.*)$')
              local entry = redis.call('XRANGE', KEYS[2], id, id)[1]
              if entry then
                local f = {}
                for i = 1, #entry[2], 2 do
                  f[entry[2][i]] = entry[2][i + 1]
                end
                local event = ARGV[1] .. id
                redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), member)
                local attempt = redis.call('HINCRBY', event, 'tries:' .. url, 1)
                local body = redis.call('HGET', event, 'body') or ''
                for _, v in ipairs({member, attempt, f.type, f.created, f.data, body}) do
                  out[#out + 1] = v
                end
              else
                redis.call('ZREM', KEYS[1], member)
              end
            end
            local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            if next[2] then
              out[1] = math.max(0, tonumber(next[2]) - now)
            end
            return out
            """);

    // KEYS: event. ARGV: body. The body the first attempt made is kept, so every retry and target sends the same bytes.
    static final Script KEEP_BODY = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return false
            end
            redis.call('HSETNX', KEYS[1], 'body', ARGV[1])
            return redis.call('HGET', KEYS[1], 'body')
            """);

    /** Lua: finish(event, outbox, id, url): one target less; the last one deletes the event. */
    static final String FINISH = """
            local function finish(event, outbox, id, url)
              redis.call('HDEL', event, 'tries:' .. url)
              if redis.call('HINCRBY', event, 'left', -1) <= 0 then
                redis.call('DEL', event)
                redis.call('XDEL', outbox, id)
              end
            end
            """;

    // KEYS: due, event, outbox, stats. ARGV: member, event id, url. Returns 1 when this closed it, 0 when it was closed already.
    static final Script DELIVERED = new Script(FINISH + """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            finish(KEYS[2], KEYS[3], ARGV[2], ARGV[3])
            redis.call('HINCRBY', KEYS[4], 'delivered', 1)
            return 1
            """);

    // KEYS: due, event, outbox, stats. ARGV: member, event id, url, attempt, next due ms or '' to give up.
    // Returns 1 rescheduled, 2 given up, 0 when the attempt is no longer the current one (its lease ended and it was claimed again).
    static final Script FAILED = new Script(FINISH + """
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[2], 'tries:' .. ARGV[3]) ~= ARGV[4] then
              return 0
            end
            redis.call('HINCRBY', KEYS[4], 'failed_attempts', 1)
            if ARGV[5] == '' then
              redis.call('ZREM', KEYS[1], ARGV[1])
              finish(KEYS[2], KEYS[3], ARGV[2], ARGV[3])
              redis.call('HINCRBY', KEYS[4], 'given_up', 1)
              return 2
            end
            redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
            return 1
            """);

    /** What a claim got: the attempts to make now, and when the next is due (null: nothing waits). */
    public record Claimed(List<Claim> claims, Duration nextDueIn) {
    }

    /** What recording a failure did. */
    public enum Failed {
        RETRY_LATER, GIVEN_UP, NOT_CURRENT
    }

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public static Outbox on(Redis redis) {
        var outbox = new Outbox();
        outbox.redis = redis;
        outbox.clock = RedisClock.on(redis);
        return outbox;
    }

    /** Makes every instance's scripts emit events for these targets from now on; none: they emit nothing. */
    public void publishTargets(List<String> urls) {
        if (urls.isEmpty()) {
            redis.client().del(redis.key(Keys.WEBHOOK_TARGETS));
        } else {
            redis.client().set(redis.key(Keys.WEBHOOK_TARGETS), String.join("\n", urls));
        }
    }

    public Claimed claim(int most, Duration lease) {
        List<?> result = (List<?>) CLAIM.run(redis.client(), List.of(redis.key(Keys.WEBHOOK_DUE), redis.key(Keys.WEBHOOK_OUTBOX),
                clock.shiftKey()), List.of(redis.key(Keys.WEBHOOK_EVENT), String.valueOf(most), String.valueOf(lease.toMillis())));
        var claims = new ArrayList<Claim>();
        for (int i = 1; i + 5 < result.size(); i += 6) {
            String member = (String) result.get(i);
            int bar = member.indexOf('|');
            String body = (String) result.get(i + 5);
            claims.add(new Claim(member, member.substring(0, bar), member.substring(bar + 1), ((Long) result.get(i + 1)).intValue(),
                    (String) result.get(i + 2), Instant.ofEpochMilli(Long.parseLong((String) result.get(i + 3))),
                    (String) result.get(i + 4), body.isEmpty() ? null : body));
        }
        long next = (Long) result.get(0);
        return new Claimed(claims, next < 0 ? null : Duration.ofMillis(next));
    }

    /** Keeps this body for the event unless one was kept before; returns the kept one, null when the event is closed. */
    public String keepBody(Claim claim, String body) {
        return (String) KEEP_BODY.run(redis.client(), List.of(event(claim)), List.of(body));
    }

    /** The target answered 2xx: it has the event. False when another attempt had closed it already. */
    public boolean delivered(Claim claim) {
        return (Long) DELIVERED.run(redis.client(), keys(claim), List.of(claim.member(), claim.eventId(), claim.url())) == 1L;
    }

    /** The attempt failed: try again at nextDue (Herald's clock, ms), or give up (empty). */
    public Failed failed(Claim claim, OptionalLong nextDue) {
        long result = (Long) FAILED.run(redis.client(), keys(claim), List.of(claim.member(), claim.eventId(), claim.url(),
                String.valueOf(claim.attempt()), nextDue.isPresent() ? String.valueOf(nextDue.getAsLong()) : ""));
        return result == 1 ? Failed.RETRY_LATER : result == 2 ? Failed.GIVEN_UP : Failed.NOT_CURRENT;
    }

    public long now() {
        return clock.now().toEpochMilli();
    }

    List<String> keys(Claim claim) {
        return List.of(redis.key(Keys.WEBHOOK_DUE), event(claim), redis.key(Keys.WEBHOOK_OUTBOX), redis.key(Keys.WEBHOOK_STATS));
    }

    String event(Claim claim) {
        return redis.key(Keys.WEBHOOK_EVENT + claim.eventId());
    }
}
