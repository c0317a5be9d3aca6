package dev.herald.fanout.control;

import dev.herald.fanout.entity.Unit;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Script;
import dev.herald.subscriptions.control.SubscriptionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Finishing a unit of work, always in one script that starts with XACK: only the consumer whose
 * XACK still finds the entry pending writes anything, so a unit taken over after a crash is
 * counted once, whoever finishes it. The entry is deleted in the same step (never before its
 * ack: XAUTOCLAIM would drop a deleted pending entry silently), and the job is done when its last
 * open unit closes: then its record starts to expire, herald.delivery.job-ttl after it finished.
 */
@ApplicationScoped
public class Settlement {

    /** Returned when the entry was no longer pending: another consumer finished it; nothing was written. */
    public static final long NOT_PENDING = -1;
    /** Returned when the job's record is gone; the entry was acked and deleted, nothing else written. */
    public static final long NO_JOB = -2;
    static final long DEAD_LETTERS_KEPT = 10_000;

    // close_units(job, failures, delta, ttl, index, id, now): units += delta; when a running job has none left it is done
    // and its keys start to expire. claim_entry: the XACK guard. reserve: the throttle's limiter (Throttle).
    static final String CLOSE_UNITS = JobStore.JOB_FUNCTIONS + Throttle.RESERVE + """
            local function close_units(job, failures, delta, ttl, index, id, now)
              local units = redis.call('HINCRBY', job, 'units', delta)
              if units <= 0 and redis.call('HGET', job, 'state') == 'running' then
                redis.call('HSET', job, 'state', 'done', 'finished', now)
                reindex(index, id, redis.call('HGET', job, 'created'), 'running', 'done')
                expire_job(job, failures, index, id, now, tonumber(ttl))
              end
              return units
            end
            local function claim_entry(stream, group, id, job)
              if redis.call('XACK', stream, group, id) == 0 then
                return -1
              end
              redis.call('XDEL', stream, id)
              if redis.call('EXISTS', job) == 0 then
                return -2
              end
              return 0
            end
            """;

    // KEYS: stream, job, failures, by-endpoint, ids, delayed, clock. ARGV: group, entry, job id, instance, ttl s,
    // key prefix P, sent, removed, failed, missing, settled, ids to queue now, lane, index key, change of waiting,
    // n retry groups, (delay ms, ids)*, n wait groups, (due ms, ids)*, n reasons, (reason, count)*, n removal reasons,
    // (reason, count)*, longest failure streak, stale after s, n successes, ids*, n strikes, (id, reason)*, (id to remove, Removal)*...
    // A cancelled job's outcomes are counted (they were sent), but nothing of it is queued again. Successes reset a
    // subscription's health; a strike grows its streak, and one with max-failure-streak failures in a row and no
    // success for stale-after is removed, counted as removed (reason "stale") instead of failed.
    static final Script SETTLE = new Script(CLOSE_UNITS + SubscriptionStore.FUNCTIONS + """
            local claimed = claim_entry(KEYS[1], ARGV[1], ARGV[2], KEYS[2])
            if claimed < 0 then
              return claimed
            end
            local now = now_ms(KEYS[7])
            local live = redis.call('HGET', KEYS[2], 'state') ~= 'cancelled'
            redis.call('HINCRBY', KEYS[2], 'sent', ARGV[7])
            redis.call('HINCRBY', KEYS[2], 'removed', ARGV[8])
            redis.call('HINCRBY', KEYS[2], 'failed', ARGV[9])
            redis.call('HINCRBY', KEYS[2], 'total', 0 - tonumber(ARGV[10]))
            if tonumber(ARGV[11]) > 0 then
              redis.call('HINCRBY', KEYS[2], 'by:' .. ARGV[4], ARGV[11])
            end
            if live and ARGV[15] ~= '0' then
              redis.call('HINCRBY', KEYS[2], 'waiting', ARGV[15])
            end
            local units = -1
            if live and ARGV[12] ~= '' then
              redis.call('XADD', KEYS[1], '*', 'job', ARGV[3], 'kind', 'batch', 'ids', ARGV[12])
              units = units + 1
            end
            local i = 17
            for g = 1, tonumber(ARGV[16]) do
              if live then
                redis.call('ZADD', KEYS[6], now + tonumber(ARGV[i]),
                  ARGV[13] .. '|' .. ARGV[3] .. '|' .. ARGV[2] .. '|' .. g .. '|' .. ARGV[i + 1])
                units = units + 1
              end
              i = i + 2
            end
            local waits = tonumber(ARGV[i])
            i = i + 1
            for w = 1, waits do
              if live then
                redis.call('ZADD', KEYS[6], ARGV[i], ARGV[13] .. '|' .. ARGV[3] .. '|' .. ARGV[2] .. '|w' .. w .. '|' .. ARGV[i + 1])
                units = units + 1
              end
              i = i + 2
            end
            local reasons = tonumber(ARGV[i])
            i = i + 1
            for r = 1, reasons do
              redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])
              i = i + 2
            end
            local removals = KEYS[2] .. ':removals'
            local removal_reasons = tonumber(ARGV[i])
            i = i + 1
            for r = 1, removal_reasons do
              redis.call('HINCRBY', removals, ARGV[i], ARGV[i + 1])
              i = i + 2
            end
            local P = ARGV[6]
            local max_streak, stale = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
            local now_s = math.floor(now / 1000)
            i = i + 2
            local successes = tonumber(ARGV[i])
            i = i + 1
            for r = 1, successes do
              local record = P .. '%1$s' .. ARGV[i]
              if redis.call('EXISTS', record) == 1 then
                redis.call('HSET', record, 's', now_s, 'f', 0)
              end
              i = i + 1
            end
            local strikes = tonumber(ARGV[i])
            i = i + 1
            for r = 1, strikes do
              local id, reason = ARGV[i], ARGV[i + 1]
              local record = P .. '%1$s' .. id
              if redis.call('EXISTS', record) == 1 then
                local streak = redis.call('HINCRBY', record, 'f', 1)
                local last = tonumber(redis.call('HGET', record, 's') or redis.call('HGET', record, 't') or now_s)
                if streak >= max_streak and now_s - last >= stale then
                  delete_subscription(P, id, 'stale')
                  redis.call('HINCRBY', KEYS[2], 'failed', -1)
                  redis.call('HINCRBY', KEYS[2], 'removed', 1)
                  if redis.call('HINCRBY', KEYS[3], reason, -1) <= 0 then
                    redis.call('HDEL', KEYS[3], reason)
                  end
                  redis.call('HINCRBY', removals, 'stale', 1)
                end
              end
              i = i + 2
            end
            for r = i, #ARGV, 2 do
              delete_subscription(P, ARGV[r], ARGV[r + 1])
            end
            if not live then
              -- ended already: what this settle made of its reasons expires with the job
              redis.call('EXPIRE', KEYS[3], ARGV[5])
              redis.call('EXPIRE', removals, ARGV[5])
            end
            return close_units(KEYS[2], KEYS[3], units, ARGV[5], ARGV[14], ARGV[3], now)
            """.formatted(Keys.SUBSCRIPTION));

    // KEYS: stream, job, failures, ids, delayed, clock. ARGV: group, entry, job id, after, batch size, ttl s, index key, lane.
    // Cuts the next batch of a broadcast from the sorted id set, and the walk step after it when there may be more. A
    // throttled job's batch is ceil(rate/60) ids with their slots reserved (tat, cut: Throttle), and the next step waits
    // in the delayed set until 1 s before the next free slot, so that its batch is ready when the slot comes. A cancelled job's walk stops here.
    static final Script WALK = new Script(CLOSE_UNITS + """
            local claimed = claim_entry(KEYS[1], ARGV[1], ARGV[2], KEYS[2])
            if claimed < 0 then
              return claimed
            end
            local now = now_ms(KEYS[6])
            local fields = redis.call('HMGET', KEYS[2], 'state', 'throttle')
            if fields[1] == 'cancelled' then
              return close_units(KEYS[2], KEYS[3], -1, ARGV[6], ARGV[7], ARGV[3], now)
            end
            local rate = tonumber(fields[2])
            local size = tonumber(ARGV[5])
            if rate then
              size = math.min(size, math.ceil(rate / 60))
            end
            local from = ARGV[4] == '' and '-' or '(' .. ARGV[4]
            local audience = redis.call('HGET', KEYS[2], 'audience')
            local ids = redis.call('ZRANGEBYLEX', audience or KEYS[4], from, '+', 'LIMIT', 0, size)
            local units = -1
            local next_free = now
            if #ids > 0 then
              if rate then
                local granted, tat
                granted, tat, next_free = reserve(KEYS[2] .. ':throttle', rate, #ids, now, -1)
                redis.call('XADD', KEYS[1], '*', 'job', ARGV[3], 'kind', 'batch', 'ids', table.concat(ids, ' '),
                  'tat', string.format('%.3f', tat), 'cut', now)
              else
                redis.call('XADD', KEYS[1], '*', 'job', ARGV[3], 'kind', 'batch', 'ids', table.concat(ids, ' '))
              end
              redis.call('HINCRBY', KEYS[2], 'total', #ids)
              units = units + 1
            end
            if #ids < size and audience then
              -- the union it targeted was walked to its end
              redis.call('DEL', audience)
            end
            if #ids == size then
              local due = next_free - 1000
              if rate and due > now then
                redis.call('ZADD', KEYS[5], math.floor(due), 'walk|' .. ARGV[8] .. '|' .. ARGV[3] .. '|' .. ids[#ids])
              else
                redis.call('XADD', KEYS[1], '*', 'job', ARGV[3], 'kind', 'walk', 'after', ids[#ids])
              end
              units = units + 1
            end
            return close_units(KEYS[2], KEYS[3], units, ARGV[6], ARGV[7], ARGV[3], now)
            """);

    // KEYS: stream, job, failures, dead letters, ids, clock. ARGV: group, entry, job id, reason, kind, ids or after, count
    // of ids, deliveries, lane, ttl s, kept, index key, how many of them waited for their local time.
    // Everything the unit stood for counts as failed with the reason, so the job still ends.
    static final Script DEAD_LETTER = new Script(CLOSE_UNITS + """
            local claimed = claim_entry(KEYS[1], ARGV[1], ARGV[2], KEYS[2])
            if claimed == -1 then
              return claimed
            end
            redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[11], '*', 'job', ARGV[3], 'lane', ARGV[9], 'kind', ARGV[5],
              ARGV[5] == 'walk' and 'after' or 'ids', ARGV[6], 'deliveries', ARGV[8], 'reason', ARGV[4])
            if claimed == -2 then
              return claimed
            end
            local now = now_ms(KEYS[6])
            local count = tonumber(ARGV[7])
            if ARGV[5] == 'walk' then
              count = redis.call('ZLEXCOUNT', redis.call('HGET', KEYS[2], 'audience') or KEYS[5], ARGV[6] == '' and '-' or '(' .. ARGV[6], '+')
              redis.call('HINCRBY', KEYS[2], 'total', count)
            end
            if count > 0 then
              redis.call('HINCRBY', KEYS[2], 'failed', count)
              redis.call('HINCRBY', KEYS[3], ARGV[4], count)
            end
            if ARGV[13] ~= '0' and redis.call('HGET', KEYS[2], 'state') == 'running' then
              redis.call('HINCRBY', KEYS[2], 'waiting', 0 - tonumber(ARGV[13]))
            end
            return close_units(KEYS[2], KEYS[3], -1, ARGV[10], ARGV[12], ARGV[3], now)
            """);

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    @Inject
    @ConfigProperty(name = "herald.delivery.job-ttl")
    Duration jobTtl;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

    @Inject
    @ConfigProperty(name = "herald.subscriptions.max-failure-streak")
    int maxFailureStreak;

    @Inject
    @ConfigProperty(name = "herald.subscriptions.stale-after")
    Duration staleAfter;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Writes a batch's tally, queues what is left of it, and closes it. Returns the job's open units, or NOT_PENDING / NO_JOB. */
    public long settle(Unit unit, Tally tally, String instance) {
        var args = arguments(unit, tally, instance);
        return (Long) SETTLE.run(redis.client(), List.of(stream(unit), job(unit), failures(unit), redis.key(Keys.BY_ENDPOINT),
                redis.key(Keys.SUBSCRIPTIONS), redis.key(Keys.DELAYED), clock.shiftKey()), args);
    }

    /** The settle script's arguments for a batch's tally (also the warm-up's, which never runs the script: Worker.rehearse). */
    List<String> arguments(Unit unit, Tally tally, String instance) {
        var args = new ArrayList<String>();
        synchronized (tally) {
            args.addAll(List.of(Keys.GROUP, unit.entryId(), unit.jobId(), instance, ttl(), redis.prefix(),
                    String.valueOf(tally.sent), String.valueOf(tally.removed), String.valueOf(tally.failed),
                    String.valueOf(tally.missing), String.valueOf(tally.settled()), Unit.tokens(tally.now), unit.lane().key(),
                    index(), String.valueOf(tally.waitCount() - (unit.waited() ? unit.items().size() : 0)),
                    String.valueOf(tally.later.size())));
            tally.later.forEach((delay, items) -> {
                args.add(String.valueOf(delay));
                args.add(Unit.tokens(items));
            });
            args.add(String.valueOf(tally.waits.size()));
            tally.waits.forEach((due, items) -> {
                args.add(String.valueOf(due));
                args.add(Unit.tokens(items));
            });
            args.add(String.valueOf(tally.failures.size()));
            tally.failures.forEach((reason, count) -> {
                args.add(reason);
                args.add(String.valueOf(count));
            });
            args.add(String.valueOf(tally.removalReasons.size()));
            tally.removalReasons.forEach((reason, count) -> {
                args.add(reason);
                args.add(String.valueOf(count));
            });
            args.add(String.valueOf(maxFailureStreak));
            args.add(String.valueOf(staleAfter.toSeconds()));
            args.add(String.valueOf(tally.successes.size()));
            args.addAll(tally.successes);
            args.add(String.valueOf(tally.strikes.size()));
            tally.strikes.forEach((id, reason) -> {
                args.add(id);
                args.add(reason);
            });
            tally.removals.forEach((id, reason) -> {
                args.add(id);
                args.add(reason.key());
            });
        }
        return args;
    }

    /** Carries out a walk step: the next batch of the broadcast and the step after it. */
    public long walk(Unit unit) {
        return (Long) WALK.run(redis.client(), List.of(stream(unit), job(unit), failures(unit), redis.key(Keys.SUBSCRIPTIONS),
                redis.key(Keys.DELAYED), clock.shiftKey()),
                List.of(Keys.GROUP, unit.entryId(), unit.jobId(), unit.after(), String.valueOf(batchSize), ttl(), index(), unit.lane().key()));
    }

    /** Gives up on a unit: it goes to the dead-letter stream, and what it stood for counts as failed with the reason. */
    public long deadLetter(Unit unit, String reason) {
        boolean walk = unit.kind() == Unit.Kind.WALK;
        return (Long) DEAD_LETTER.run(redis.client(),
                List.of(stream(unit), job(unit), failures(unit), redis.key(Keys.DEAD_LETTERS), redis.key(Keys.SUBSCRIPTIONS),
                        clock.shiftKey()),
                List.of(Keys.GROUP, unit.entryId(), unit.jobId(), reason, walk ? "walk" : "batch",
                        walk ? unit.after() : Unit.tokens(unit.items()), String.valueOf(unit.items().size()),
                        String.valueOf(unit.deliveries()), unit.lane().key(), ttl(), String.valueOf(DEAD_LETTERS_KEPT), index(),
                        String.valueOf(unit.waited() ? unit.items().size() : 0)));
    }

    String ttl() {
        return String.valueOf(Math.max(1, jobTtl.toSeconds()));
    }

    String index() {
        return redis.key(Keys.NOTIFICATIONS);
    }

    String stream(Unit unit) {
        return redis.key(Keys.STREAM + unit.lane().key());
    }

    String job(Unit unit) {
        return redis.key(Keys.JOB + unit.jobId());
    }

    String failures(Unit unit) {
        return redis.key(Keys.JOB + unit.jobId() + Keys.FAILURES);
    }
}
