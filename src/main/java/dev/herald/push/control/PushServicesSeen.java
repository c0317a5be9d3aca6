package dev.herald.push.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Per push-service host, when it last accepted a push and when it last answered that Herald's setup
 * is wrong (a VAPID or request problem, not the subscription's), in the hash Keys.PUSH_SERVICES_SEEN:
 * host:last_success -> epoch ms, host:last_config_error -> "epoch ms reason". The VAPID doctor reads it.
 * Each instance writes a host's success at most every SUCCESS_EVERY_MS and its error at most every
 * ERROR_EVERY_MS: a broadcast must not cost a Redis write per push. A Redis that is away loses a record.
 */
@ApplicationScoped
public class PushServicesSeen {

    static final long SUCCESS_EVERY_MS = 10_000;
    static final long ERROR_EVERY_MS = 1_000;
    /** 400 answers that name the request's authorization or VAPID claims (e.g. FCM's and Apple's BadJwtToken). */

    public record Seen(String host, Long lastSuccess, Long lastConfigError, String configError) {
    }

    @Inject
    Redis redis;

    final Map<String, Long> written = new ConcurrentHashMap<>();

    /** Notes what the host answered, as the rule table classified it (called once per push, where that happens). */
    public void record(String host, Outcome outcome) {
        if (host == null) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            if (outcome.kind() == Outcome.Kind.SENT) {
                if (due(host + ":last_success", now, SUCCESS_EVERY_MS)) {
                    redis.client().hset(redis.key(Keys.PUSH_SERVICES_SEEN), host + ":last_success", String.valueOf(now));
                }
            } else if (outcome.configurationProblem() && due(host + ":last_config_error", now, ERROR_EVERY_MS)) {
                redis.client().hset(redis.key(Keys.PUSH_SERVICES_SEEN), host + ":last_config_error", now + " " + outcome.reason());
            }
        } catch (JedisException e) {
            // a diagnostic only: the push's own outcome is settled elsewhere
        }
    }

    boolean due(String field, long now, long every) {
        Long last = written.get(field);
        if (last != null && now - last < every) {
            return false;
        }
        written.put(field, now);
        return true;
    }

    /** What the hash holds, per host, in host order. */
    public java.util.List<Seen> all() {
        Map<String, String> fields = redis.client().hgetAll(redis.key(Keys.PUSH_SERVICES_SEEN));
        return fields.keySet().stream().map(field -> field.substring(0, field.lastIndexOf(':'))).distinct().sorted().map(host -> {
            String success = fields.get(host + ":last_success");
            String error = fields.get(host + ":last_config_error");
            int space = error == null ? -1 : error.indexOf(' ');
            return new Seen(host, success == null ? null : Long.valueOf(success),
                    error == null ? null : Long.valueOf(space < 0 ? error : error.substring(0, space)),
                    space < 0 ? null : error.substring(space + 1));
        }).toList();
    }
}
