package dev.herald.fanout.control;

import dev.herald.fanout.entity.Accepted;
import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Idempotency;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.JobReport;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Notification jobs in Redis. Accepting one writes its record and its first units of work in one
 * script, so a job is either wholly there (and will be delivered) or not at all: a broadcast's
 * first unit is a walk step, a job for listed subscriptions is cut into its batches at once. Any
 * instance reads any job's report.
 */
@ApplicationScoped
public class JobStore {

    // KEYS: job hash, lane stream, idempotency key (unused when ARGV[2] is ''). ARGV: job id, body hash, idempotency
    // ttl ms, payload, ttl, urgency, topic, lane, total, first kind ('walk' | 'batch'), then one id list per batch.
    // Returns {job id, 1 new | 0 replayed, 1 same body | 0 other body}.
    static final Script ACCEPT = new Script("""
            if ARGV[2] ~= '' then
              local earlier = redis.call('HMGET', KEYS[3], 'job', 'body')
              if earlier[1] then
                return {earlier[1], 0, earlier[2] == ARGV[2] and 1 or 0}
              end
            end
            local units = 0
            if ARGV[10] == 'walk' then
              redis.call('XADD', KEYS[2], '*', 'job', ARGV[1], 'kind', 'walk', 'after', '')
              units = 1
            else
              for i = 11, #ARGV do
                redis.call('XADD', KEYS[2], '*', 'job', ARGV[1], 'kind', 'batch', 'ids', ARGV[i])
                units = units + 1
              end
            end
            local now = redis.call('TIME')
            redis.call('HSET', KEYS[1], 'state', 'running', 'created', now[1] * 1000 + math.floor(now[2] / 1000),
              'total', ARGV[9], 'sent', 0, 'removed', 0, 'failed', 0, 'units', units,
              'payload', ARGV[4], 'ttl', ARGV[5], 'urgency', ARGV[6], 'topic', ARGV[7], 'lane', ARGV[8])
            if ARGV[2] ~= '' then
              redis.call('HSET', KEYS[3], 'job', ARGV[1], 'body', ARGV[2])
              redis.call('PEXPIRE', KEYS[3], ARGV[3])
            end
            return {ARGV[1], 1, 1}
            """);

    @Inject
    Redis redis;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Stores the job and its first work, or finds the job an earlier request with the same key made. */
    public Accepted accept(Job job, Optional<Idempotency> idempotency) {
        var args = new ArrayList<String>(List.of(job.id(), idempotency.map(Idempotency::body).orElse(""),
                String.valueOf(idempotency.map(i -> i.ttl().toMillis()).orElse(0L)),
                new String(job.message().payload(), StandardCharsets.UTF_8), String.valueOf(job.message().options().ttlSeconds()),
                nullToEmpty(job.message().options().urgency()), nullToEmpty(job.message().options().topic()), job.audience().lane().key()));
        if (job.audience() instanceof Audience.Listed listed) {
            args.add(String.valueOf(listed.ids().size()));
            args.add("batch");
            for (int from = 0; from < listed.ids().size(); from += batchSize) {
                args.add(String.join(" ", listed.ids().subList(from, Math.min(listed.ids().size(), from + batchSize))));
            }
        } else {
            args.add("0");
            args.add("walk");
        }
        String idempotencyKey = redis.key(idempotency.map(Idempotency::key).orElse(Keys.IDEMPOTENCY));
        List<?> result = (List<?>) ACCEPT.run(redis.client(),
                List.of(key(job.id()), redis.key(Keys.STREAM + job.audience().lane().key()), idempotencyKey), args);
        return new Accepted((String) result.get(0), (Long) result.get(1) == 0, (Long) result.get(2) == 1);
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

    /** What a job sends to each subscription: empty when its record is gone. */
    public Optional<Message> message(String id) {
        List<String> fields = redis.client().hmget(key(id), "payload", "ttl", "urgency", "topic");
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        var options = new PushOptions(Long.parseLong(fields.get(1)), emptyToNull(fields.get(2)), emptyToNull(fields.get(3)));
        return Optional.of(new Message(fields.get(0).getBytes(StandardCharsets.UTF_8), options));
    }

    /** Whether each job is done (true), still running (false), or gone (absent): one round trip. */
    public Map<String, Boolean> states(List<String> ids) {
        var states = new java.util.HashMap<String, Boolean>();
        try (var pipeline = redis.client().pipelined()) {
            var answers = ids.stream().map(id -> pipeline.hget(key(id), "state")).toList();
            pipeline.sync();
            for (int i = 0; i < ids.size(); i++) {
                String state = answers.get(i).get();
                if (state != null) {
                    states.put(ids.get(i), JobReport.DONE.equals(state));
                }
            }
        }
        return states;
    }

    String key(String id) {
        return redis.key(Keys.JOB + id);
    }

    String failuresKey(String id) {
        return redis.key(Keys.JOB + id + Keys.FAILURES);
    }

    static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
