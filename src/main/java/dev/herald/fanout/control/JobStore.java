package dev.herald.fanout.control;

import dev.herald.engagement.control.Engagement;
import dev.herald.fanout.entity.Accepted;
import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Idempotency;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.JobPage;
import dev.herald.fanout.entity.JobReport;
import dev.herald.fanout.entity.JobSpec;
import dev.herald.platform.control.Events;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Uuids;
import dev.herald.platform.control.Script;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Response;

/**
 * Notification jobs in Redis. Accepting one writes its record and its first units of work in one
 * script, so a job is either wholly there (and will be delivered) or not at all: a broadcast's
 * first unit is a walk step, a job for listed subscriptions is cut into its batches at once. A
 * scheduled job keeps what its first units will be in its record, and a "start" member in the
 * delayed set, scored by send_at, starts it (DelayedWork). Every state change also moves the job
 * between the list indexes, in the same script, and a job's end (done or cancelled) records its
 * webhook event (Events.EMIT) in the same script too. Any instance reads any job's report.
 */
@ApplicationScoped
public class JobStore {

    /** Finished jobs the indexes drop per accept or list call, once their records have expired. */
    static final int SWEEP_AT_ONCE = 20;

    /**
     * Lua shared by every script that changes a job's state: moving it between the list indexes
     * (sorted sets scored by created), dropping expired jobs from them, and starting a job.
     */
    static final String JOB_FUNCTIONS = RedisClock.NOW + Events.EMIT + """
            local function reindex(index, id, created, from, to)
              if from then
                redis.call('ZREM', index .. ':' .. from, id)
              end
              redis.call('ZADD', index .. ':' .. to, created, id)
            end
            local function sweep(index, now, most)
              for _, id in ipairs(redis.call('ZRANGEBYSCORE', index .. ':expiry', '-inf', now, 'LIMIT', 0, most)) do
                redis.call('ZREM', index, id)
                for _, state in ipairs({'scheduled', 'running', 'done', 'cancelled', 'expiry'}) do
                  redis.call('ZREM', index .. ':' .. state, id)
                end
              end
            end
            -- a job ends (done or cancelled): its record and its failures expire ttl seconds from now
            local function expire_job(job, failures, index, id, now, ttl)
              redis.call('EXPIRE', job, ttl)
              redis.call('EXPIRE', failures, ttl)
              redis.call('EXPIRE', job .. ':removals', ttl)
              for _, event in ipairs({'shown', 'clicked', 'closed'}) do
                redis.call('EXPIRE', job .. '%6$s' .. event, ttl)
              end
              local links = redis.call('HGET', job, 'links')
              if links then
                for action, _ in pairs(cjson.decode(links)) do
                  if action ~= '' then
                    redis.call('EXPIRE', job .. '%6$saction:' .. action, ttl)
                  end
                end
              end
              redis.call('EXPIRE', job .. ':config_errors', ttl)
              redis.call('DEL', job .. ':throttle', job .. ':audience')
              redis.call('ZADD', index .. ':expiry', now + ttl * 1000, id)
              -- the webhook event of the end (the state was just set); P is the index key without its name
              emit_event(string.sub(index, 1, #index - #'%5$s'), 'notification.' .. redis.call('HGET', job, 'state'), {notification = id})
            end
            -- the union of channels (comma list), users and listed ids (space lists) into the sorted set dest, each once;
            -- listed ids without a record are left out. Returns how many were left out.
            local function build_audience(P, dest, channels, users, ids)
              local unknown = 0
              for sid in string.gmatch(ids or '', '[^ ]+') do
                if redis.call('EXISTS', P .. '%1$s' .. sid) == 1 then
                  redis.call('ZADD', dest, 0, sid)
                else
                  unknown = unknown + 1
                end
              end
              local keys = {}
              for c in string.gmatch(channels or '', '[^,]+') do
                keys[#keys + 1] = P .. '%2$s' .. c
              end
              for u in string.gmatch(users or '', '[^ ]+') do
                keys[#keys + 1] = P .. '%3$s' .. u
              end
              for i = 1, #keys, 500 do
                local sources = {dest}
                for j = i, math.min(i + 499, #keys) do
                  sources[#sources + 1] = keys[j]
                end
                -- channels are plain sets (score 1 each): weight 0 keeps every score 0, the order a walk needs
                local args = {dest, #sources}
                for _, source in ipairs(sources) do
                  args[#args + 1] = source
                end
                args[#args + 1] = 'WEIGHTS'
                for _ = 1, #sources do
                  args[#args + 1] = 0
                end
                redis.call('ZUNIONSTORE', unpack(args))
              end
              return unknown
            end
            -- writes a job's first units into its lane's stream: the walk step (over every subscription, or over the
            -- union it targets, made now), or the listed batches
            local function start_job(P, job, id, stream, index, now)
              local spec = redis.call('HMGET', job, 'start', 'start_ids', 'throttle', 'total', 'created')
              local units = 0
              local expected = spec[4]
              if spec[1] == 'walk' then
                redis.call('XADD', stream, '*', 'job', id, 'kind', 'walk', 'after', '')
                units = 1
                expected = redis.call('ZCARD', P .. '%4$s')
              elseif spec[1] == 'union' then
                local audience = job .. ':audience'
                local src = redis.call('HMGET', job, 'src_channels', 'src_users', 'src_ids')
                local unknown = build_audience(P, audience, src[1], src[2], src[3])
                redis.call('HSET', job, 'audience', audience)
                redis.call('HDEL', job, 'src_channels', 'src_users', 'src_ids')
                if unknown > 0 then
                  redis.call('HINCRBY', job, 'total', unknown)
                  redis.call('HINCRBY', job, 'failed', unknown)
                  redis.call('HINCRBY', job .. ':failures', 'unknown subscription', unknown)
                end
                redis.call('XADD', stream, '*', 'job', id, 'kind', 'walk', 'after', '')
                units = 1
                expected = redis.call('ZCARD', audience)
              elseif spec[2] then
                for ids in string.gmatch(spec[2], '[^,]+') do
                  redis.call('XADD', stream, '*', 'job', id, 'kind', 'batch', 'ids', ids)
                  units = units + 1
                end
              end
              redis.call('HSET', job, 'state', 'running', 'started', now, 'units', units)
              -- what the job will reach: a throttled job's expected end, and whether its engagement is counted exactly
              redis.call('HSET', job, 'expected', expected or 0)
              redis.call('HDEL', job, 'start', 'start_ids')
              reindex(index, id, spec[5], 'scheduled', 'running')
            end
            """.formatted(Keys.SUBSCRIPTION, Keys.CHANNEL, Keys.USER, Keys.SUBSCRIPTIONS, Keys.NOTIFICATIONS, Keys.ENGAGEMENT);

    // KEYS: job hash, lane stream, idempotency key (unused when ARGV[2] is ''), delayed set, subscription ids, clock.
    // ARGV: job id, body hash, idempotency ttl ms, payload, ttl, urgency, topic, lane, total, first kind ('walk' | 'batch'),
    // send_at ms or '', title, target, local time or '', throttle per minute or '', index key, longest schedule ahead ms,
    // key prefix P, the job's links (JSON object, '' for none), then one id list per batch (first kind 'batch') or the union's channels, users and ids (first kind
    // 'union'). Returns {job id, 1 new | 0 replayed, 1 same body | 0 other body}, or {'', -1, now} when
    // send_at is in the past or too far ahead by Herald's clock (a replay is found before that is judged).
    static final Script ACCEPT = new Script(JOB_FUNCTIONS + """
            if ARGV[2] ~= '' then
              local earlier = redis.call('HMGET', KEYS[3], 'job', 'body')
              if earlier[1] then
                return {earlier[1], 0, earlier[2] == ARGV[2] and 1 or 0}
              end
            end
            local now = now_ms(KEYS[6])
            if ARGV[11] ~= '' and (tonumber(ARGV[11]) < now or tonumber(ARGV[11]) > now + tonumber(ARGV[17])) then
              return {'', -1, now}
            end
            local index = ARGV[16]
            sweep(index, now, 20)
            redis.call('HSET', KEYS[1], 'state', 'scheduled', 'created', now, 'total', ARGV[9], 'sent', 0, 'removed', 0,
              'failed', 0, 'units', 0, 'payload', ARGV[4], 'ttl', ARGV[5], 'urgency', ARGV[6], 'topic', ARGV[7], 'lane', ARGV[8],
              'title', ARGV[12], 'target', ARGV[13], 'start', ARGV[10])
            if ARGV[10] == 'union' then
              redis.call('HSET', KEYS[1], 'src_channels', ARGV[20], 'src_users', ARGV[21], 'src_ids', ARGV[22])
            elseif #ARGV >= 20 then
              local batches = {}
              for i = 20, #ARGV do
                batches[#batches + 1] = ARGV[i]
              end
              redis.call('HSET', KEYS[1], 'start_ids', table.concat(batches, ','))
            end
            if ARGV[19] ~= '' then
              redis.call('HSET', KEYS[1], 'links', ARGV[19])
            end
            if ARGV[14] ~= '' then
              redis.call('HSET', KEYS[1], 'local_time', ARGV[14], 'waiting', 0)
            end
            if ARGV[15] ~= '' then
              redis.call('HSET', KEYS[1], 'throttle', ARGV[15])
            end
            redis.call('ZADD', index, now, ARGV[1])
            redis.call('ZADD', index .. ':scheduled', now, ARGV[1])
            if ARGV[11] ~= '' then
              redis.call('HSET', KEYS[1], 'send_at', ARGV[11])
              redis.call('ZADD', KEYS[4], ARGV[11], 'start|' .. ARGV[8] .. '|' .. ARGV[1])
            else
              start_job(ARGV[18], KEYS[1], ARGV[1], KEYS[2], index, now)
            end
            if ARGV[2] ~= '' then
              redis.call('HSET', KEYS[3], 'job', ARGV[1], 'body', ARGV[2])
              redis.call('PEXPIRE', KEYS[3], ARGV[3])
            end
            return {ARGV[1], 1, 1}
            """);

    // ARGV: P, 'everyone' | 'listed' | 'union', channels, users, ids (as ACCEPT takes them), a scratch key. How many
    // subscriptions a job would reach now: counted from the same sets its walk would cut, and left as it was.
    static final Script REACH = new Script(JOB_FUNCTIONS + """
            if ARGV[2] == 'everyone' then
              return redis.call('ZCARD', ARGV[1] .. '%s')
            end
            redis.call('DEL', ARGV[6])
            build_audience(ARGV[1], ARGV[6], ARGV[3], ARGV[4], ARGV[5])
            local reach = redis.call('ZCARD', ARGV[6])
            redis.call('DEL', ARGV[6])
            return reach
            """.formatted(Keys.SUBSCRIPTIONS));

    // KEYS: job, failures, delayed set, cancels, clock. ARGV: job id, ttl s, index key.
    // Returns what the job was: 'missing', 'done', 'cancelled' (already), or 'scheduled' / 'running' (cancelled now).
    static final Script CANCEL = new Script(JOB_FUNCTIONS + """
            local fields = redis.call('HMGET', KEYS[1], 'state', 'lane', 'created')
            local state = fields[1]
            if not state then
              return 'missing'
            end
            if state == 'done' or state == 'cancelled' then
              return state
            end
            local now = now_ms(KEYS[5])
            redis.call('HSET', KEYS[1], 'state', 'cancelled', 'finished', now, 'waiting', 0)
            redis.call('HDEL', KEYS[1], 'start', 'start_ids')
            redis.call('ZREM', KEYS[3], 'start|' .. fields[2] .. '|' .. ARGV[1])
            reindex(ARGV[3], ARGV[1], fields[3], state, 'cancelled')
            expire_job(KEYS[1], KEYS[2], ARGV[3], ARGV[1], now, tonumber(ARGV[2]))
            redis.call('ZADD', KEYS[4], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 86400000)
            return state
            """);

    // KEYS: the index to list (every job, or one state's), clock. ARGV: highest created ms ('+inf' on the first page),
    // the id at that score to continue after ('' on the first page), how many, index key, job key prefix.
    // Newest first; returns {id, created, ...}, one more than asked when there is a next page.
    static final Script LIST = new Script(JOB_FUNCTIONS + """
            sweep(ARGV[4], now_ms(KEYS[2]), 100)
            local want = tonumber(ARGV[3]) + 1
            local out = {}
            local offset = 0
            while #out < want * 2 do
              local page = redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV', 'LIMIT', offset, want, 'WITHSCORES')
              if #page == 0 then
                break
              end
              offset = offset + #page / 2
              for i = 1, #page, 2 do
                local id, score = page[i], page[i + 1]
                local after = ARGV[2] == '' or tonumber(score) < tonumber(ARGV[1]) or id < ARGV[2]
                if after and #out < want * 2 and redis.call('EXISTS', ARGV[5] .. id) == 1 then
                  out[#out + 1] = id
                  out[#out + 1] = score
                end
              end
            end
            return out
            """);

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    @Inject
    Engagement engagement;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

    @Inject
    @ConfigProperty(name = "herald.delivery.job-ttl")
    Duration jobTtl;

    @Inject
    @ConfigProperty(name = "herald.notify.max-schedule-ahead")
    Duration maxAhead;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Stores the job and its first work (or its schedule), or finds the job an earlier request with the same key made. */
    public Accepted accept(Job job, Optional<Idempotency> idempotency) {
        var plan = job.plan();
        var args = new ArrayList<String>(List.of(job.id(), idempotency.map(Idempotency::body).orElse(""),
                String.valueOf(idempotency.map(i -> i.ttl().toMillis()).orElse(0L)),
                new String(job.message().payload(), StandardCharsets.UTF_8), String.valueOf(job.message().options().ttlSeconds()),
                nullToEmpty(job.message().options().urgency()), nullToEmpty(job.message().options().topic()), job.audience().lane().key()));
        var batches = new ArrayList<String>();
        if (job.audience() instanceof Audience.Listed listed) {
            args.add(String.valueOf(listed.ids().size()));
            args.add("batch");
            for (int from = 0; from < listed.ids().size(); from += batchSize) {
                batches.add(String.join(" ", listed.ids().subList(from, Math.min(listed.ids().size(), from + batchSize))));
            }
        } else if (job.audience() instanceof Audience.Union union) {
            args.add("0");
            args.add("union");
            batches.addAll(sources(union));
        } else {
            args.add("0");
            args.add("walk");
        }
        args.add(plan.sendAt() == null ? "" : String.valueOf(plan.sendAt().toEpochMilli()));
        args.add(nullToEmpty(job.title()));
        args.add(job.audience().target());
        args.add(plan.localTime() == null ? "" : plan.localTime().toString());
        args.add(plan.throttled() ? String.valueOf(plan.throttlePerMinute()) : "");
        args.add(index());
        args.add(String.valueOf(maxAhead.toMillis()));
        args.add(redis.prefix());
        args.add(links(job.links()));
        args.addAll(batches);
        String idempotencyKey = redis.key(idempotency.map(Idempotency::key).orElse(Keys.IDEMPOTENCY));
        List<?> result = (List<?>) ACCEPT.run(redis.client(), List.of(key(job.id()),
                redis.key(Keys.STREAM + job.audience().lane().key()), idempotencyKey, redis.key(Keys.DELAYED),
                redis.key(Keys.SUBSCRIPTIONS), clock.shiftKey()), args);
        if ((Long) result.get(1) < 0) {
            throw new SendAtOutOfRange(plan.sendAt(), Instant.ofEpochMilli((Long) result.get(2)), maxAhead);
        }
        return new Accepted((String) result.get(0), (Long) result.get(1) == 0, (Long) result.get(2) == 1);
    }

    /** send_at was in the past, or further ahead than herald.notify.max-schedule-ahead, by Herald's clock (now). */
    public static final class SendAtOutOfRange extends RuntimeException {

        public final transient Instant now;
        public final transient Duration maxAhead;

        SendAtOutOfRange(Instant sendAt, Instant now, Duration maxAhead) {
            super("send_at " + sendAt + " is " + (sendAt.isBefore(now) ? "in the past" : "too far ahead") + " (now " + now + ")");
            this.now = now;
            this.maxAhead = maxAhead;
        }
    }

    /** The job's links as its record keeps them (GET /api/r/ reads them): a JSON object, or '' without any. */
    static String links(java.util.Map<String, String> links) {
        if (links.isEmpty()) {
            return "";
        }
        var json = dev.herald.platform.control.JsonBody.object();
        links.forEach(json::add);
        return json.build().toString();
    }

    /** The union's channels, users and ids as the scripts take them. */
    static List<String> sources(Audience.Union union) {
        return List.of(String.join(",", union.channels()), String.join(" ", union.users()), String.join(" ", union.ids()));
    }

    /** How many subscriptions a job for this audience would reach now (a dry run: nothing is written). */
    public long reach(Audience audience) {
        var args = new ArrayList<String>(List.of(redis.prefix()));
        if (audience instanceof Audience.Listed listed) {
            args.addAll(List.of("listed", "", "", String.join(" ", listed.ids())));
        } else if (audience instanceof Audience.Union union) {
            args.add("union");
            args.addAll(sources(union));
        } else {
            args.addAll(List.of("everyone", "", "", ""));
        }
        args.add(redis.key(Keys.JOB + "reach:" + Uuids.random()));
        return (Long) REACH.run(redis.client(), List.of(), args);
    }

    /** What cancelling did. */
    public enum Cancelled {
        /** It was scheduled or running, and is cancelled now. */
        NOW,
        /** It had been cancelled before: the same answer again. */
        BEFORE,
        /** It is done: too late. */
        FINISHED,
        /** No such job (or its record expired). */
        MISSING
    }

    /** Cancels a scheduled or running job; every instance stops its pushes (Worker, via Keys.CANCELS). */
    public Cancelled cancel(String id) {
        String was = (String) CANCEL.run(redis.client(), List.of(key(id), failuresKey(id), redis.key(Keys.DELAYED),
                redis.key(Keys.CANCELS), clock.shiftKey()), List.of(id, ttl(), index()));
        return switch (was) {
            case "missing" -> Cancelled.MISSING;
            case "done" -> Cancelled.FINISHED;
            case "cancelled" -> Cancelled.BEFORE;
            default -> Cancelled.NOW;
        };
    }

    public Optional<JobReport> report(String id) {
        try (var pipeline = redis.client().pipelined()) {
            var job = pipeline.hgetAll(key(id));
            var failures = pipeline.hgetAll(failuresKey(id));
            var removals = pipeline.hgetAll(key(id) + Keys.REMOVALS);
            pipeline.sync();
            if (job.get().isEmpty()) {
                return Optional.empty();
            }
            var engaged = engagement.counts(Map.of(id, job.get())).get(id);
            return Optional.of(JobReport.fromStored(id, job.get(), failures.get(), removals.get(), engaged));
        }
    }

    /**
     * One page of jobs, newest first, in one state or all (state null), after the position a cursor
     * gave (null: from the newest). next is null on the last page.
     */
    public JobPage list(String state, int limit, JobPage.Position after) {
        String listed = state == null ? index() : index() + ":" + state;
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) LIST.run(redis.client(), List.of(listed, clock.shiftKey()),
                List.of(after == null ? "+inf" : String.valueOf(after.created()), after == null ? "" : after.id(),
                        String.valueOf(limit), index(), redis.key(Keys.JOB)));
        var ids = new ArrayList<String>();
        var created = new HashMap<String, Long>();
        for (int i = 0; i + 1 < found.size() && ids.size() < limit; i += 2) {
            ids.add(found.get(i));
            created.put(found.get(i), (long) Double.parseDouble(found.get(i + 1)));
        }
        var jobs = new ArrayList<Response<Map<String, String>>>();
        var failures = new ArrayList<Response<Map<String, String>>>();
        var removals = new ArrayList<Response<Map<String, String>>>();
        try (var pipeline = redis.client().pipelined()) {
            for (String id : ids) {
                jobs.add(pipeline.hgetAll(key(id)));
                failures.add(pipeline.hgetAll(failuresKey(id)));
                removals.add(pipeline.hgetAll(key(id) + Keys.REMOVALS));
            }
            pipeline.sync();
        }
        var records = new HashMap<String, Map<String, String>>();
        for (int i = 0; i < ids.size(); i++) {
            if (!jobs.get(i).get().isEmpty()) {
                records.put(ids.get(i), jobs.get(i).get());
            }
        }
        var engaged = engagement.counts(records);
        var reports = new ArrayList<JobReport>();
        for (int i = 0; i < ids.size(); i++) {
            if (records.containsKey(ids.get(i))) {
                reports.add(JobReport.fromStored(ids.get(i), records.get(ids.get(i)), failures.get(i).get(), removals.get(i).get(),
                        engaged.get(ids.get(i))));
            }
        }
        boolean more = found.size() / 2 > limit;
        String last = ids.isEmpty() ? null : ids.get(ids.size() - 1);
        return new JobPage(reports, more && last != null ? new JobPage.Position(created.get(last), last) : null);
    }

    /** What a job sends to each subscription, and how: empty when its record is gone. */
    public Optional<JobSpec> spec(String id) {
        List<String> fields = redis.client().hmget(key(id), "payload", "ttl", "urgency", "topic", "created", "local_time", "throttle");
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        var options = new PushOptions(Long.parseLong(fields.get(1)), emptyToNull(fields.get(2)), emptyToNull(fields.get(3)));
        return Optional.of(new JobSpec(new Message(fields.get(0).getBytes(StandardCharsets.UTF_8), options),
                Instant.ofEpochMilli(Long.parseLong(fields.get(4))), fields.get(5) == null ? null : LocalTime.parse(fields.get(5)),
                fields.get(6) == null ? 0 : Integer.parseInt(fields.get(6))));
    }

    /** Whether each job is done or cancelled (true), still to finish (false), or gone (absent): one round trip. */
    public Map<String, Boolean> states(List<String> ids) {
        var states = new HashMap<String, Boolean>();
        try (var pipeline = redis.client().pipelined()) {
            var answers = ids.stream().map(id -> pipeline.hget(key(id), "state")).toList();
            pipeline.sync();
            for (int i = 0; i < ids.size(); i++) {
                String state = answers.get(i).get();
                if (state != null) {
                    states.put(ids.get(i), JobReport.DONE.equals(state) || JobReport.CANCELLED.equals(state));
                }
            }
        }
        return states;
    }

    String ttl() {
        return String.valueOf(Math.max(1, jobTtl.toSeconds()));
    }

    String index() {
        return redis.key(Keys.NOTIFICATIONS);
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
