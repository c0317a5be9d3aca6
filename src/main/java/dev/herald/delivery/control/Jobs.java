package dev.herald.delivery.control;

import dev.herald.delivery.entity.JobReport;
import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Job state in Redis, so that any instance can report on any job: a hash of counters per
 * job plus a hash of failure reasons, both expiring after herald.delivery.job-ttl.
 */
@ApplicationScoped
public class Jobs {

    @Inject
    Redis redis;

    @Inject
    @ConfigProperty(name = "herald.delivery.job-ttl")
    Duration ttl;

    /** Created at deployment, not on first use off a request thread: see Pushes.onStart (TomEE). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public void create(String id, long total) {
        try (var pipeline = redis.client().pipelined()) {
            pipeline.hset(key(id), Map.of("state", JobReport.RUNNING, "total", String.valueOf(total), "sent", "0",
                    "removed", "0", "failed", "0", "created", Instant.now().toString()));
            pipeline.expire(key(id), ttl.toSeconds());
            pipeline.sync();
        }
    }

    /** Adds what the counters gathered since the last call; with done, also marks the job done. */
    public void flush(String id, JobCounters counters, boolean done) {
        JobCounters.Delta delta = counters.drain();
        if (delta.empty() && !done) {
            return;
        }
        try (var pipeline = redis.client().pipelined()) {
            add(pipeline, key(id), "total", delta.total());
            add(pipeline, key(id), "sent", delta.sent());
            add(pipeline, key(id), "removed", delta.removed());
            add(pipeline, key(id), "failed", delta.failed());
            delta.failures().forEach((reason, count) -> pipeline.hincrBy(failuresKey(id), reason, count));
            if (!delta.failures().isEmpty()) {
                pipeline.expire(failuresKey(id), ttl.toSeconds());
            }
            if (done) {
                pipeline.hset(key(id), Map.of("state", JobReport.DONE, "finished", Instant.now().toString()));
                pipeline.expire(key(id), ttl.toSeconds());
            }
            pipeline.sync();
        }
    }

    static void add(redis.clients.jedis.AbstractPipeline pipeline, String key, String field, long value) {
        if (value != 0) {
            pipeline.hincrBy(key, field, value);
        }
    }

    public void delete(String id) {
        redis.client().del(key(id), failuresKey(id));
    }

    public Optional<JobReport> report(String id) {
        try (var pipeline = redis.client().pipelined()) {
            var job = pipeline.hgetAll(key(id));
            var failures = pipeline.hgetAll(failuresKey(id));
            pipeline.sync();
            if (job.get().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(JobReport.fromStored(id, job.get(), failures.get()));
        }
    }

    String key(String id) {
        return redis.key("notification:" + id);
    }

    String failuresKey(String id) {
        return redis.key("notification:" + id + ":failures");
    }
}
