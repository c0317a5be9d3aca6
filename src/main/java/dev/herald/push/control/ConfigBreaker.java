package dev.herald.push.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The circuit breaker for configuration errors: after herald.delivery.config-error-limit answers that blame our
 * configuration from one push service (each unknown host on its own) in one job, that job sends nothing more there.
 * The count lives in Redis (hash P notification:<id>:config_errors, service or host -> count, expiring with the
 * job), one HINCRBY per such answer, so every instance adds to the same count. Checking is in memory: the services
 * stopped for a job, read again from Redis at most every REFRESH per job; an instance learns at once of a stop its
 * own count made. Pushes already in flight when the limit is reached still go (at most max-in-flight more answers).
 */
@ApplicationScoped
public class ConfigBreaker {

    static final Logger LOG = Logger.getLogger(ConfigBreaker.class.getName());
    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int JOBS_KEPT = 1024;

    // KEYS: counts, job record. ARGV: who. Counts only for a job whose record exists; a count made after the job ended
    // (its record expiring) expires with it.
    static final Script COUNT = new Script("""
            if redis.call('EXISTS', KEYS[2]) == 0 then
              return 0
            end
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            if redis.call('PTTL', KEYS[1]) == -1 then
              local ttl = redis.call('PTTL', KEYS[2])
              if ttl > 0 then
                redis.call('PEXPIRE', KEYS[1], ttl)
              end
            end
            return n
            """);

    @Inject
    Redis redis;

    @Inject
    @ConfigProperty(name = "herald.delivery.config-error-limit")
    int limit;

    record Stopped(Set<String> who, long readAt) {
    }

    final Map<String, Stopped> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stopped> eldest) {
            return size() > JOBS_KEPT;
        }
    });

    public ConfigBreaker() {
    }

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Outside a container (tests). */
    ConfigBreaker(Redis redis, int limit) {
        this.redis = redis;
        this.limit = limit;
    }

    /** herald.delivery.config-error-limit (a method: callers hold a CDI proxy, whose fields are not the bean's). */
    public int limit() {
        return limit;
    }

    /** Whether this job sends no more to who (a service's label, or an unknown host). */
    public boolean stopped(String jobId, String who, long nowNanos) {
        if (limit <= 0 || jobId == null) {
            return false;
        }
        Stopped known = jobs.get(jobId);
        if (known == null || nowNanos - known.readAt() > REFRESH_NANOS) {
            known = read(jobId, nowNanos, known);
        }
        return known.who().contains(who);
    }

    Stopped read(String jobId, long nowNanos, Stopped before) {
        Set<String> who = ConcurrentHashMap.newKeySet();
        try {
            redis.client().hgetAll(key(jobId)).forEach((name, count) -> {
                if (Long.parseLong(count) >= limit) {
                    who.add(name);
                }
            });
        } catch (JedisException | NumberFormatException e) {
            // Redis away: keep what was known, ask again after REFRESH; never fail a push over its breaker
            LOG.log(Level.FINE, "config error counts of notification " + jobId + " unreadable", e);
            if (before != null) {
                who.addAll(before.who());
            }
        }
        var read = new Stopped(who, nowNanos);
        jobs.put(jobId, read);
        return read;
    }

    /**
     * Counts one configuration error of who in this job; true exactly when this one reached the limit (once per job
     * and who, across all instances: the caller logs the one SEVERE line then).
     */
    public boolean count(String jobId, String who) {
        if (limit <= 0 || jobId == null) {
            return false;
        }
        long n;
        try {
            n = (Long) COUNT.run(redis.client(), List.of(key(jobId), redis.key(Keys.JOB + jobId)), List.of(who));
        } catch (JedisException e) {
            LOG.log(Level.FINE, "config error of notification " + jobId + " not counted", e);
            return false;
        }
        if (n >= limit) {
            Stopped known = jobs.get(jobId);
            if (known != null) {
                known.who().add(who);
            } else {
                Set<String> stopped = ConcurrentHashMap.newKeySet();
                stopped.add(who);
                jobs.put(jobId, new Stopped(stopped, System.nanoTime()));
            }
        }
        return n == limit;
    }

    String key(String jobId) {
        return redis.key(Keys.JOB + jobId + Keys.CONFIG_ERRORS);
    }
}
