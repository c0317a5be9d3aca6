package dev.herald.engagement.control;

import dev.herald.engagement.entity.EngagementCounts;
import dev.herald.engagement.entity.EventToken;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.NotFoundException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Response;

/**
 * Counts what visitors did with a job's pushes, each push once per event: a set of the pushes'
 * MACs per event, or a HyperLogLog for a job that reaches more than herald.engagement.exact-up-to
 * (decided at its first event, from what it reaches, and kept in its record). The counts live and
 * expire with the job's record (JobStore expire_job; an event after the job ended takes its TTL).
 */
@ApplicationScoped
public class Engagement {

    public static final Set<String> EVENTS = Set.of("shown", "clicked", "closed");

    // KEYS: job. ARGV: push (its MAC), event, action id or '', exact limit. Returns 1 counted now, 0 counted before,
    // -1 no such job (or its record expired), -2 the job has no such action.
    static final Script COUNT = new Script("""
            local job = KEYS[1]
            local fields = redis.call('HMGET', job, 'state', 'total', 'expected', 'engagement', 'links')
            if not fields[1] then
              return -1
            end
            local action = ARGV[3]
            if action ~= '' and not (fields[5] and cjson.decode(fields[5])[action]) then
              return -2
            end
            local mode = fields[4]
            if not mode then
              local reach = math.max(tonumber(fields[2] or 0), tonumber(fields[3] or 0))
              mode = reach > tonumber(ARGV[4]) and 'approximate' or 'exact'
              redis.call('HSET', job, 'engagement', mode)
            end
            local ttl = redis.call('PTTL', job)
            local function count(key)
              local added
              if mode == 'exact' then
                added = redis.call('SADD', key, ARGV[1])
              else
                added = redis.call('PFADD', key, ARGV[1])
              end
              if ttl > 0 then
                redis.call('PEXPIRE', key, ttl)
              end
              return added
            end
            local added = count(job .. '%1$s' .. ARGV[2])
            if action ~= '' then
              count(job .. '%1$saction:' .. action)
            end
            return added
            """.formatted(Keys.ENGAGEMENT));

    @Inject
    Redis redis;

    @Inject
    @ConfigProperty(name = "herald.engagement.exact-up-to")
    long exactUpTo;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Outside CDI (tests' fixtures, benchmarks): counting on this Redis. */
    public static Engagement on(Redis redis, long exactUpTo) {
        var engagement = new Engagement();
        engagement.redis = redis;
        engagement.exactUpTo = exactUpTo;
        return engagement;
    }

    /** Counts one event of one push; true when it is the first such event of that push. */
    public boolean count(EventToken token, String event, String action) {
        long result = (Long) COUNT.run(redis.client(), List.of(jobKey(token.jobId())),
                List.of(token.push(), event, action == null ? "" : action, String.valueOf(exactUpTo)));
        if (result == -1) {
            throw new NotFoundException("Notification " + token.jobId() + " is no longer kept (herald.delivery.job-ttl).");
        }
        if (result == -2) {
            throw new InvalidField("/action", "action '" + action + "' is not one of this notification's actions.");
        }
        return result == 1;
    }

    /** Where a counted click lands: the job's own link for it, as recorded when the job was accepted; empty once the job expired. */
    public Optional<String> landing(String jobId, String action) {
        String links = redis.client().hget(jobKey(jobId), "links");
        if (links == null) {
            return Optional.empty();
        }
        String landing = links(links).get(action == null ? "" : action);
        if (landing == null) {
            throw new InvalidField("/action", "action '" + action + "' is not one of this notification's actions.");
        }
        return Optional.of(landing);
    }

    /** The counts of these jobs, from their records (id -> fields): one round trip for all that have any. */
    public Map<String, EngagementCounts> counts(Map<String, Map<String, String>> jobs) {
        var answers = new HashMap<String, Map<String, Response<Long>>>();
        try (var pipeline = redis.client().pipelined()) {
            jobs.forEach((id, fields) -> {
                String mode = fields.get("engagement");
                if (mode == null) {
                    return;
                }
                boolean exact = "exact".equals(mode);
                var counts = new HashMap<String, Response<Long>>();
                for (String event : EVENTS) {
                    counts.put(event, exact ? pipeline.scard(key(id, event)) : pipeline.pfcount(key(id, event)));
                }
                for (String action : links(fields.getOrDefault("links", "{}")).keySet()) {
                    if (!action.isEmpty()) {
                        String key = key(id, "action:" + action);
                        counts.put("action:" + action, exact ? pipeline.scard(key) : pipeline.pfcount(key));
                    }
                }
                answers.put(id, counts);
            });
            pipeline.sync();
        }
        var out = new HashMap<String, EngagementCounts>();
        jobs.forEach((id, fields) -> {
            var counts = answers.get(id);
            if (counts == null) {
                out.put(id, EngagementCounts.NONE);
                return;
            }
            var actions = new HashMap<String, Long>();
            counts.forEach((name, count) -> {
                if (name.startsWith("action:")) {
                    actions.put(name.substring("action:".length()), count.get());
                }
            });
            out.put(id, new EngagementCounts(counts.get("shown").get(), counts.get("clicked").get(), counts.get("closed").get(),
                    actions, "approximate".equals(fields.get("engagement"))));
        });
        return out;
    }

    static Map<String, String> links(String json) {
        var links = new HashMap<String, String>();
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(json))) {
            JsonObject object = reader.readObject();
            object.forEach((name, value) -> links.put(name, ((JsonString) value).getString()));
        }
        return links;
    }

    String jobKey(String id) {
        return redis.key(Keys.JOB + id);
    }

    String key(String id, String event) {
        return redis.key(Keys.JOB + id + Keys.ENGAGEMENT + event);
    }
}
