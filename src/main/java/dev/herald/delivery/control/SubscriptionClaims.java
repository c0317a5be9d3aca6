package dev.herald.delivery.control;

import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Loads a batch of subscription records for one job and marks each with the job id, in one
 * Lua call. SSCAN may return an id twice (when the set is resized during the walk); a record
 * already marked with this job's id is skipped, so a subscription gets at most one push per job
 * without a per-job set of done ids: the mark is one field per record, overwritten by the next job.
 */
@ApplicationScoped
public class SubscriptionClaims {

    // KEYS: subscription record keys. ARGV[1]: job id. Returns, per key, the record JSON or nil.
    static final String CLAIM = """
            local out = {}
            for i, key in ipairs(KEYS) do
              local json = redis.call('HGET', key, 'subscription')
              if json and redis.call('HGET', key, 'job') ~= ARGV[1] then
                redis.call('HSET', key, 'job', ARGV[1])
                out[i] = json
              else
                out[i] = false
              end
            end
            return out
            """;

    @Inject
    Redis redis;

    /** Per id, in order: the stored subscription JSON, or null when it is gone or already claimed by this job. */
    public List<String> claim(String jobId, List<String> ids) {
        var keys = ids.stream().map(id -> redis.key("subscription:" + id)).toList();
        @SuppressWarnings("unchecked")
        var result = (List<Object>) redis.client().eval(CLAIM, keys, List.of(jobId));
        return result.stream().map(value -> value == null ? null : value.toString()).toList();
    }
}
