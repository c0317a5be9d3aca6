package dev.herald.fanout.control;

import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The lanes' Redis Streams and their one consumer group, in which every instance is a consumer:
 * reading new work, taking over the idle work of consumers that are gone (XAUTOCLAIM), keeping
 * the lease on work still in progress (XCLAIM to itself, JUSTID), and forgetting consumers that
 * left nothing behind.
 */
@ApplicationScoped
public class WorkStream {

    // KEYS: stream. ARGV: group, consumer, entry ids. Renews the idle time of the entries this consumer still owns
    // (XCLAIM JUSTID does not count a delivery); returns the ids it no longer owns (another consumer took them over).
    static final Script RENEW = new Script("""
            local lost = {}
            for i = 3, #ARGV do
              local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if pending[1] and pending[1][2] == ARGV[2] then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
              else
                lost[#lost + 1] = ARGV[i]
              end
            end
            return lost
            """);

    // KEYS: stream. ARGV: group, idle ms. Removes consumers with nothing pending that have been idle that long:
    // checked and deleted in one step, so no entry a consumer just read is ever dropped with it.
    static final Script FORGET_GONE = new Script("""
            local removed = {}
            for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
              local info = {}
              for i = 1, #consumer, 2 do
                info[consumer[i]] = consumer[i + 1]
              end
              if info['pending'] == 0 and info['idle'] >= tonumber(ARGV[2]) then
                redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
                removed[#removed + 1] = info['name']
              end
            end
            return removed
            """);

    @Inject
    Redis redis;

    final Map<Lane, StreamEntryID> reclaimCursor = new EnumMap<>(Lane.class);

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Creates the lane's stream and consumer group when missing (at start, and after a Redis that lost them). */
    public void ensureGroup(Lane lane) {
        try {
            redis.client().xgroupCreate(key(lane), Keys.GROUP, new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** New work for this consumer, waiting up to block for some. */
    public List<Unit> read(Lane lane, String consumer, int count, Duration block) {
        var params = XReadGroupParams.xReadGroupParams().count(count).block((int) block.toMillis());
        return units(lane, redis.client().xreadGroup(Keys.GROUP, consumer, params, Map.of(key(lane), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)), 1);
    }

    /** What this consumer (by its configured name) held when it last stopped: taken back at once after a restart. */
    public List<Unit> readOwnPending(Lane lane, String consumer, int count) {
        var params = XReadGroupParams.xReadGroupParams().count(count);
        var read = units(lane, redis.client().xreadGroup(Keys.GROUP, consumer, params, Map.of(key(lane), new StreamEntryID(0, 0))), 0);
        return withDeliveries(lane, read);
    }

    /** Takes over up to count entries that have been idle for minIdle (their consumer is gone or stuck). */
    public List<Unit> reclaim(Lane lane, String consumer, Duration minIdle, int count) {
        StreamEntryID cursor = reclaimCursor.getOrDefault(lane, new StreamEntryID(0, 0));
        var claimed = redis.client().xautoclaim(key(lane), Keys.GROUP, consumer, minIdle.toMillis(), cursor,
                new XAutoClaimParams().count(count));
        reclaimCursor.put(lane, claimed.getKey());
        var units = new ArrayList<Unit>();
        for (StreamEntry entry : claimed.getValue()) {
            if (entry != null && entry.getFields() != null) {
                units.add(Unit.of(lane, entry.getID().toString(), entry.getFields(), 0));
            }
        }
        return withDeliveries(lane, units);
    }

    /** Keeps the lease on entries still being worked on; returns the ids another consumer took over meanwhile. */
    @SuppressWarnings("unchecked")
    public List<String> renew(Lane lane, String consumer, List<String> entryIds) {
        if (entryIds.isEmpty()) {
            return List.of();
        }
        var args = new ArrayList<String>(List.of(Keys.GROUP, consumer));
        args.addAll(entryIds);
        return (List<String>) RENEW.run(redis.client(), List.of(key(lane)), args);
    }

    @SuppressWarnings("unchecked")
    public List<String> forgetGone(Lane lane, Duration idle) {
        return (List<String>) FORGET_GONE.run(redis.client(), List.of(key(lane)), List.of(Keys.GROUP, String.valueOf(idle.toMillis())));
    }

    /** The delivery counts of units just read or claimed (XPENDING knows them), for the dead-letter rule. */
    List<Unit> withDeliveries(Lane lane, List<Unit> units) {
        if (units.isEmpty()) {
            return units;
        }
        try (var pipeline = redis.client().pipelined()) {
            var answers = units.stream().map(unit -> pipeline.xpending(key(lane), Keys.GROUP,
                    new XPendingParams(new StreamEntryID(unit.entryId()), new StreamEntryID(unit.entryId()), 1))).toList();
            pipeline.sync();
            var counted = new ArrayList<Unit>(units.size());
            for (int i = 0; i < units.size(); i++) {
                var pending = answers.get(i).get();
                counted.add(units.get(i).withDeliveries(pending.isEmpty() ? 1 : pending.get(0).getDeliveredTimes()));
            }
            return counted;
        }
    }

    static List<Unit> units(Lane lane, List<Map.Entry<String, List<StreamEntry>>> read, long deliveries) {
        var units = new ArrayList<Unit>();
        if (read != null) {
            for (var stream : read) {
                for (StreamEntry entry : stream.getValue()) {
                    if (entry.getFields() != null) {
                        units.add(Unit.of(lane, entry.getID().toString(), entry.getFields(), deliveries));
                    }
                }
            }
        }
        return units;
    }

    String key(Lane lane) {
        return redis.key(Keys.STREAM + lane.key());
    }
}
