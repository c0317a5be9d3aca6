package dev.herald.subscriptions.control;

import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Events;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Script;
import dev.herald.platform.control.Uuids;
import dev.herald.subscriptions.entity.Removal;
import dev.herald.subscriptions.entity.StoredSubscription;
import dev.herald.subscriptions.entity.Subscribing;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.vapid.control.VapidKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Subscriptions in Redis (layout in docs/internals.md). A record, its endpoint index, its channel
 * sets, its user set and the audience counters always change together inside one Lua script, so no
 * reader sees half a subscription. The ids are a sorted set (all scores 0, so ordered by id): a
 * broadcast walks it from the last id it reached, an order that survives a Redis restart, where an
 * SSCAN cursor would skip or repeat ids. Channel and user sets are sorted sets the same way.
 *
 * A record is a small hash: e1, e2, ... the endpoint and k1, k2 "p256dh.auth", each cut into pieces of
 * at most 60 characters (so that Redis keeps the hash in its compact listpack encoding, which
 * hash-max-listpack-value, 64 by default, allows only for short values: half the memory), h the
 * endpoint's digest (its index key), x expiration ms, z zone, c channels (comma-separated), u user, t
 * created and s last success (epoch seconds), f failure streak, v the fingerprint of the VAPID key it was made
 * with (VapidKeys; counted in the audience hash as vapid:<fingerprint>). Channels are plain sets (a union job
 * makes its sorted set from them when it starts); users are sorted sets (small ones are compact).
 */
@ApplicationScoped
public class SubscriptionStore {

    static final Logger LOG = Logger.getLogger(SubscriptionStore.class.getName());
    /** Records of an older layout (one JSON field) converted per script at start. */
    static final int CONVERT_AT_ONCE = 500;
    /** 2: the compact records; 3: every record names its VAPID key (v). */
    static final int LAYOUT_VERSION = 3;

    /**
     * Lua shared by every script that changes subscriptions (also the fan-out's settle script):
     * channels and user are moved with the record, counters with both. All keys are derived from the
     * deployment's prefix P, given to each function.
     */
    public static final String FUNCTIONS = Events.EMIT + """
            local function host_of(endpoint)
              return string.match(endpoint or '', '^[%%w+.-]+://([^/:?#@]+)') or 'unknown'
            end
            -- a long value in pieces of at most 60 characters: name1, name2, ... (and stale pieces removed)
            local function write_pieces(record, name, value)
              local n = 0
              for i = 1, #value, 60 do
                n = n + 1
                redis.call('HSET', record, name .. n, string.sub(value, i, i + 59))
              end
              while redis.call('HDEL', record, name .. (n + 1)) == 1 do
                n = n + 1
              end
            end
            -- the endpoint's start: enough for its host
            local function endpoint_start(record)
              local parts = redis.call('HMGET', record, 'e1', 'e2', 'e3')
              if not parts[1] then
                return nil
              end
              return parts[1] .. (parts[2] or '') .. (parts[3] or '')
            end
            local function split(list)
              local items = {}
              for item in string.gmatch(list or '', '[^,]+') do
                items[#items + 1] = item
              end
              return items
            end
            -- a counter that reaches 0 goes: nothing is left of what is gone
            local function count_down(hash, field)
              if redis.call('HINCRBY', hash, field, -1) <= 0 then
                redis.call('HDEL', hash, field)
              end
            end
            local function set_channels(P, id, old, new)
              local keep = {}
              for _, c in ipairs(split(new)) do
                keep[c] = true
              end
              for _, c in ipairs(split(old)) do
                if not keep[c] then
                  redis.call('SREM', P .. '%1$s' .. c, id)
                end
              end
              for c in pairs(keep) do
                redis.call('SADD', P .. '%1$s' .. c, id)
              end
            end
            local function set_user(P, id, old, new)
              if old == new then
                return
              end
              if old and old ~= '' then
                redis.call('ZREM', P .. '%2$s' .. old, id)
                if redis.call('EXISTS', P .. '%2$s' .. old) == 0 then
                  count_down(P .. '%3$s', 'users')
                end
              end
              if new and new ~= '' then
                redis.call('ZADD', P .. '%2$s' .. new, 0, id)
                if redis.call('ZCARD', P .. '%2$s' .. new) == 1 then
                  redis.call('HINCRBY', P .. '%3$s', 'users', 1)
                end
              end
            end
            -- reason (gone, expired, stale, erased, unsubscribed, replaced, key removed) goes with its webhook event
            local function delete_subscription(P, id, reason)
              local record = P .. '%4$s' .. id
              local f = redis.call('HMGET', record, 'h', 'e1', 'c', 'u', 'endpoint', 'v')
              local digest = f[1] or f[5]
              if digest and redis.call('HGET', P .. '%5$s', digest) == id then
                redis.call('HDEL', P .. '%5$s', digest)
              end
              if f[2] then
                count_down(P .. '%3$s', 'host:' .. host_of(endpoint_start(record)))
                if f[6] then
                  count_down(P .. '%3$s', 'vapid:' .. f[6])
                end
              end
              set_channels(P, id, f[3], '')
              set_user(P, id, f[4], nil)
              redis.call('ZREM', P .. '%6$s', id)
              local deleted = redis.call('DEL', record)
              if deleted == 1 then
                local data = {subscription = id, reason = reason}
                if f[4] then
                  data.user = f[4]
                end
                emit_event(P, 'subscription.removed', data)
              end
              return deleted
            end
            """.formatted(Keys.CHANNEL, Keys.USER, Keys.AUDIENCE, Keys.SUBSCRIPTION, Keys.BY_ENDPOINT, Keys.SUBSCRIPTIONS);

    // ARGV: P, endpoint digest, new id, endpoint, keys, expiration ms or '', zone ('=' keep, else '' or the zone),
    // channels ('=' keep, else the comma list), user ('=' keep, else '' or the user), now s, max subscriptions,
    // replaced id or '', '1' when the request carries the API token (a replaced subscription's user moves only then),
    // the fingerprint of the VAPID key (the one the request names, else the current one), '1' when the request names it or
    // the browser subscribed anew (it replaces one): the record then takes that key even when it names another (same
    // endpoint), else only when it names none (a new one, or one of before).
    // An attribute the request does not name is the replaced subscription's (when there is one), else the stored one's. Returns {id, 1 created | 0 updated} or {false, -1} when a new one would exceed the cap.
    static final Script UPSERT = new Script(FUNCTIONS + """
            local P = ARGV[1]
            local ids = P .. '%1$s'
            local by_endpoint = P .. '%2$s'
            local id = redis.call('HGET', by_endpoint, ARGV[2])
            local created = 0
            local replacing = ARGV[12] ~= '' and redis.call('EXISTS', P .. '%3$s' .. ARGV[12]) == 1
            if not id then
              -- a renewal removes the one it replaces: it never needs room of its own
              if not replacing and redis.call('ZCARD', ids) >= tonumber(ARGV[11]) then
                return {false, -1}
              end
              id = ARGV[3]
              created = 1
            end
            local record = P .. '%3$s' .. id
            -- c, u, z, t, s, f, e, v
            local own = redis.call('HMGET', record, 'c', 'u', 'z', 't', 's', 'f', 'e1', 'v')
            local base = {own[1], own[2], own[3], own[4], own[5], own[6]}
            if replacing and ARGV[12] ~= id then
              -- the browser renewed it: what the old one had moves over; its user only with the API token (ARGV[13]),
              -- since the old id is public and must not be enough to take a person's notifications to another browser
              local replaced = redis.call('HMGET', P .. '%3$s' .. ARGV[12], 'c', 'u', 'z', 't', 's', 'f')
              delete_subscription(P, ARGV[12], 'replaced')
              for i = 1, 6 do
                if replaced[i] and (i ~= 2 or ARGV[13] == '1') then
                  base[i] = replaced[i]
                end
              end
            end
            local function pick(arg, stored)
              if arg == '=' then
                return stored or ''
              end
              return arg
            end
            local channels = pick(ARGV[8], base[1])
            local user = pick(ARGV[9], base[2])
            local zone = pick(ARGV[7], base[3])
            if created == 1 then
              redis.call('HSET', by_endpoint, ARGV[2], id)
              redis.call('ZADD', ids, 0, id)
            end
            if not own[7] then
              redis.call('HINCRBY', P .. '%4$s', 'host:' .. host_of(ARGV[4]), 1)
            end
            if (not own[8] or ARGV[15] == '1') and own[8] ~= ARGV[14] then
              if own[8] then
                count_down(P .. '%4$s', 'vapid:' .. own[8])
              end
              redis.call('HINCRBY', P .. '%4$s', 'vapid:' .. ARGV[14], 1)
              redis.call('HSET', record, 'v', ARGV[14])
            end
            write_pieces(record, 'e', ARGV[4])
            write_pieces(record, 'k', ARGV[5])
            redis.call('HSET', record, 'h', ARGV[2], 't', base[4] or ARGV[10], 'f', base[6] or 0)
            redis.call('HDEL', record, 'subscription', 'endpoint')
            for field, value in pairs({x = ARGV[6], z = zone, c = channels, u = user, s = base[5] or ''}) do
              if value == '' then
                redis.call('HDEL', record, field)
              else
                redis.call('HSET', record, field, value)
              end
            end
            set_channels(P, id, own[1], channels)
            set_user(P, id, own[2], user)
            return {id, created}
            """.formatted(Keys.SUBSCRIPTIONS, Keys.BY_ENDPOINT, Keys.SUBSCRIPTION, Keys.AUDIENCE));

    // ARGV: P, id, what to change ('channels' | 'user'), the new value ('' for none). Returns 0 when there is no such subscription.
    static final Script CHANGE = new Script(FUNCTIONS + """
            local P = ARGV[1]
            local record = P .. '%s' .. ARGV[2]
            local old = redis.call('HMGET', record, 'e1', 'c', 'u')
            if not old[1] then
              return 0
            end
            if ARGV[3] == 'channels' then
              set_channels(P, ARGV[2], old[2], ARGV[4])
              if ARGV[4] == '' then redis.call('HDEL', record, 'c') else redis.call('HSET', record, 'c', ARGV[4]) end
            else
              set_user(P, ARGV[2], old[3], ARGV[4] ~= '' and ARGV[4] or nil)
              if ARGV[4] == '' then redis.call('HDEL', record, 'u') else redis.call('HSET', record, 'u', ARGV[4]) end
            end
            return 1
            """.formatted(Keys.SUBSCRIPTION));

    // ARGV: P, id, reason.
    static final Script DELETE = new Script(FUNCTIONS + "return delete_subscription(ARGV[1], ARGV[2], ARGV[3])");

    // ARGV: P, user. Deletes every subscription of the user with all its indexes; returns how many.
    static final Script ERASE_USER = new Script(FUNCTIONS + """
            local ids = redis.call('ZRANGE', ARGV[1] .. '%s' .. ARGV[2], 0, -1)
            for _, id in ipairs(ids) do
              delete_subscription(ARGV[1], id, 'erased')
            end
            redis.call('DEL', ARGV[1] .. '%s' .. ARGV[2])
            return #ids
            """.formatted(Keys.USER, Keys.USER));

    /**
     * Before 0.2 the ids were a plain set (walked with SSCAN). Turns it into the sorted set in one
     * atomic step, in chunks of 3,000 members per ZADD (Lua unpacks at most 8,000 values). KEYS: the id set.
     */
    static final Script MIGRATE = new Script("""
            if redis.call('TYPE', KEYS[1]).ok ~= 'set' then
              return -1
            end
            local ids = redis.call('SMEMBERS', KEYS[1])
            redis.call('DEL', KEYS[1])
            for i = 1, #ids, 3000 do
              local args = {}
              for j = i, math.min(i + 2999, #ids) do
                args[#args + 1] = 0
                args[#args + 1] = ids[j]
              end
              redis.call('ZADD', KEYS[1], unpack(args))
            end
            return #ids
            """);

    // ARGV: P, now s, then (id, new endpoint digest) pairs. Converts records of the old layout (one JSON field, the index
    // keyed by the endpoint's SHA-256 hex) to the compact one, re-keys the endpoint index and counts their host.
    static final Script CONVERT = new Script(FUNCTIONS + """
            local converted = 0
            for i = 3, #ARGV, 2 do
              local id = ARGV[i]
              local record = ARGV[1] .. '%1$s' .. id
              local json = redis.call('HGET', record, 'subscription')
              if json and not redis.call('HGET', record, 'e1') then
                local s = cjson.decode(json)
                local old_digest = redis.call('HGET', record, 'endpoint')
                local by_endpoint = ARGV[1] .. '%3$s'
                if old_digest and redis.call('HGET', by_endpoint, old_digest) == id then
                  redis.call('HDEL', by_endpoint, old_digest)
                end
                redis.call('HSET', by_endpoint, ARGV[i + 1], id)
                -- written afresh: a hash that once held the long JSON value keeps its large encoding for good
                redis.call('DEL', record)
                write_pieces(record, 'e', s.endpoint)
                write_pieces(record, 'k', s.keys.p256dh .. '.' .. s.keys.auth)
                redis.call('HSET', record, 'h', ARGV[i + 1], 't', ARGV[2], 'f', 0)
                if type(s.expirationTime) == 'number' then
                  redis.call('HSET', record, 'x', string.format('%%.0f', s.expirationTime))
                end
                if type(s.timezone) == 'string' then
                  redis.call('HSET', record, 'z', s.timezone)
                end
                redis.call('HINCRBY', ARGV[1] .. '%2$s', 'host:' .. host_of(s.endpoint), 1)
                converted = converted + 1
              end
            end
            return converted
            """.formatted(Keys.SUBSCRIPTION, Keys.AUDIENCE, Keys.BY_ENDPOINT));

    // ARGV: P, fingerprint, ids. Records that name no VAPID key get that one, and are counted.
    static final Script ASSIGN_KEY = new Script("""
            local n = 0
            for i = 3, #ARGV do
              local record = ARGV[1] .. '%1$s' .. ARGV[i]
              local f = redis.call('HMGET', record, 'e1', 'v')
              if f[1] and not f[2] then
                redis.call('HSET', record, 'v', ARGV[2])
                redis.call('HINCRBY', ARGV[1] .. '%2$s', 'vapid:' .. ARGV[2], 1)
                n = n + 1
              end
            end
            return n
            """.formatted(Keys.SUBSCRIPTION, Keys.AUDIENCE));

    // ARGV: P, fingerprint, reason, ids. Deletes those of the ids made with that key; returns how many.
    static final Script DELETE_MADE_WITH = new Script(FUNCTIONS + """
            local n = 0
            for i = 4, #ARGV do
              if redis.call('HGET', ARGV[1] .. '%s' .. ARGV[i], 'v') == ARGV[2] then
                n = n + delete_subscription(ARGV[1], ARGV[i], ARGV[3])
              end
            end
            return n
            """.formatted(Keys.SUBSCRIPTION));

    public record Upserted(String id, boolean created) {
    }

    @Inject
    Redis redis;

    @Inject
    RedisClock clock;

    @Inject
    VapidKeys vapid;

    /** A global cap so that nobody can fill Redis with subscriptions; nothing is ever evicted to make room. */
    @Inject
    @ConfigProperty(name = "herald.limits.max-subscriptions")
    long maxSubscriptions;

    /** Created at deployment (TomEE; DeploymentCreationTest), and the data of an older version converted. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        try {
            migrate();
            convertRecords();
            assignKeys();
        } catch (JedisException e) {
            LOG.warning(() -> "Could not check the subscriptions' layout at start (Redis: " + e.getMessage()
                    + "); records written by an older Herald are converted at the next start.");
        }
    }

    long migrate() {
        long converted = (Long) MIGRATE.run(redis.client(), List.of(redis.key(Keys.SUBSCRIPTIONS)), List.of());
        if (converted >= 0) {
            LOG.info(() -> "Converted the subscription id set (" + converted + " ids) to the sorted set a broadcast walks.");
        }
        return converted;
    }

    int layoutVersion() {
        String version = redis.client().hget(redis.key(Keys.AUDIENCE), "version");
        try {
            return version == null ? 0 : Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Records of Herald before 0.3 (one JSON field) into the compact layout, CONVERT_AT_ONCE per script; once per Redis. */
    long convertRecords() {
        String audience = redis.key(Keys.AUDIENCE);
        if (layoutVersion() >= 2) {
            return 0;
        }
        long converted = 0;
        String after = "-";
        while (true) {
            List<String> ids = redis.client().zrangeByLex(redis.key(Keys.SUBSCRIPTIONS), after, "+", 0, CONVERT_AT_ONCE);
            if (ids.isEmpty()) {
                break;
            }
            var args = new ArrayList<String>(List.of(redis.prefix(), String.valueOf(clock.now().getEpochSecond())));
            try (var pipeline = redis.client().pipelined()) {
                var old = ids.stream().map(id -> pipeline.hget(redis.key(Keys.SUBSCRIPTION + id), "subscription")).toList();
                pipeline.sync();
                for (int i = 0; i < ids.size(); i++) {
                    if (old.get(i).get() != null) {
                        args.add(ids.get(i));
                        args.add(endpointHash(Subscription.fromStored(old.get(i).get()).endpoint()));
                    }
                }
            }
            converted += (Long) CONVERT.run(redis.client(), List.of(), args);
            after = "(" + ids.get(ids.size() - 1);
        }
        redis.client().hset(audience, "version", "2");
        if (converted > 0) {
            long count = converted;
            LOG.info(() -> "Converted " + count + " subscription records to the compact layout.");
        }
        return converted;
    }

    /**
     * Records from before key rotation name no VAPID key: they were made with the current one, which they now name (and
     * count), CONVERT_AT_ONCE per script; once per Redis. Safe to repeat and to run on several instances at once: a record
     * that names a key is left alone.
     */
    long assignKeys() {
        if (layoutVersion() >= LAYOUT_VERSION) {
            return 0;
        }
        String fingerprint = vapid.current().fingerprint();
        long assigned = 0;
        String after = "-";
        while (true) {
            List<String> ids = redis.client().zrangeByLex(redis.key(Keys.SUBSCRIPTIONS), after, "+", 0, CONVERT_AT_ONCE);
            if (ids.isEmpty()) {
                break;
            }
            var args = new ArrayList<String>(List.of(redis.prefix(), fingerprint));
            args.addAll(ids);
            assigned += (Long) ASSIGN_KEY.run(redis.client(), List.of(), args);
            after = "(" + ids.get(ids.size() - 1);
        }
        redis.client().hset(redis.key(Keys.AUDIENCE), "version", String.valueOf(LAYOUT_VERSION));
        if (assigned > 0) {
            long count = assigned;
            LOG.info(() -> "Recorded the current VAPID key " + fingerprint + " in " + count + " subscriptions made before key rotation.");
        }
        return assigned;
    }

    public Upserted upsert(Subscription subscription) {
        return upsert(Subscribing.of(subscription));
    }

    public Upserted upsert(Subscribing request) {
        var subscription = request.subscription();
        String newId = Uuids.random();
        List<?> result = (List<?>) UPSERT.run(redis.client(), List.of(), List.of(redis.prefix(), endpointHash(subscription.endpoint()),
                newId, subscription.endpoint(), subscription.keysField(),
                subscription.expirationTime() == null ? "" : String.valueOf(subscription.expirationTime()),
                request.timezoneNamed() ? nullToEmpty(subscription.timezone()) : "=",
                request.channels() == null ? "=" : String.join(",", request.channels()),
                request.user() == null ? "=" : request.user(), String.valueOf(clock.now().getEpochSecond()),
                String.valueOf(maxSubscriptions), nullToEmpty(request.replaces()), request.authorized() ? "1" : "",
                subscription.vapidKey() != null ? subscription.vapidKey() : vapid.current().fingerprint(),
                subscription.vapidKey() != null || request.replaces() != null ? "1" : ""));
        if (((Long) result.get(1)) < 0) {
            throw new ServiceUnavailableException("Herald stores at most " + maxSubscriptions + " subscriptions "
                    + "(setting herald.limits.max-subscriptions) and is full; nothing was stored. Existing subscriptions "
                    + "can still be updated.");
        }
        return new Upserted((String) result.get(0), ((Long) result.get(1)) == 1L);
    }

    /** Replaces the subscription's channels; false when there is no such subscription. */
    public boolean setChannels(String id, List<String> channels) {
        return (Long) CHANGE.run(redis.client(), List.of(), List.of(redis.prefix(), id, "channels", String.join(",", channels))) == 1L;
    }

    /** Binds the subscription to a user (null: unbinds it); false when there is no such subscription. */
    public boolean setUser(String id, String user) {
        return (Long) CHANGE.run(redis.client(), List.of(), List.of(redis.prefix(), id, "user", nullToEmpty(user))) == 1L;
    }

    /** Deletes the subscription with its indexes (and its webhook event, with the reason); false when there was none. */
    public boolean delete(String id, Removal reason) {
        return ((Long) DELETE.run(redis.client(), List.of(), List.of(redis.prefix(), id, reason.key()))) == 1L;
    }

    /** Deletes every subscription of the user, with every index and counter; how many there were. */
    public long eraseUser(String user) {
        return (Long) ERASE_USER.run(redis.client(), List.of(), List.of(redis.prefix(), user));
    }

    /** The ids of the user's subscriptions, in id order. */
    public List<String> userSubscriptions(String user) {
        return redis.client().zrange(redis.key(Keys.USER + user), 0, -1);
    }

    public Optional<Subscription> find(String id) {
        return findStored(id).map(StoredSubscription::subscription);
    }

    /** The subscription with its channels, user and health. */
    public Optional<StoredSubscription> findStored(String id) {
        Map<String, String> fields = redis.client().hgetAll(redis.key(Keys.SUBSCRIPTION + id));
        if (fields.get("e1") == null) {
            return Optional.empty();
        }
        var subscription = Subscription.fromFields(joined(fields, "e"), joined(fields, "k"), fields.get("x"), fields.get("z"), fields.get("v"));
        String channels = fields.get("c");
        return Optional.of(new StoredSubscription(id, subscription, channels == null ? List.of() : Arrays.asList(channels.split(",")),
                fields.get("u"), seconds(fields.get("t")), seconds(fields.get("s")), Integer.parseInt(fields.getOrDefault("f", "0"))));
    }

    /** Up to count stored ids, the first in id order (a read only: the deployment's warm-up reads their records as a batch would). */
    public List<String> firstIds(int count) {
        return redis.client().zrange(redis.key(Keys.SUBSCRIPTIONS), 0, Math.max(0, count - 1));
    }

    /** Per id, in order, what a push needs (endpoint, keys, expiration, zone, VAPID key fingerprint), or null when there is no such record; one round trip. */
    public List<List<String>> load(List<String> ids) {
        try (var pipeline = redis.client().pipelined()) {
            var responses = ids.stream().map(id -> pipeline.hgetAll(redis.key(Keys.SUBSCRIPTION + id))).toList();
            pipeline.sync();
            var records = new ArrayList<List<String>>(ids.size());
            for (Response<Map<String, String>> response : responses) {
                var fields = response.get();
                records.add(fields.get("e1") == null ? null
                        : Arrays.asList(joined(fields, "e"), joined(fields, "k"), fields.get("x"), fields.get("z"), fields.get("v")));
            }
            return records;
        }
    }

    /** A value the scripts cut into pieces (name1, name2, ...), joined again. */
    static String joined(Map<String, String> fields, String name) {
        var value = new StringBuilder();
        for (int i = 1; fields.containsKey(name + i); i++) {
            value.append(fields.get(name + i));
        }
        return value.toString();
    }

    /**
     * The audience overview from the counters kept with every change (and ZCARD, which Redis keeps): subscriptions,
     * users, per channel (of those given), per push-service host. One round trip, no scan.
     */
    public jakarta.json.JsonObject audience(List<String> channels) {
        try (var pipeline = redis.client().pipelined()) {
            var total = pipeline.zcard(redis.key(Keys.SUBSCRIPTIONS));
            var counters = pipeline.hgetAll(redis.key(Keys.AUDIENCE));
            var perChannel = channels.stream().map(channel -> pipeline.scard(redis.key(Keys.CHANNEL + channel))).toList();
            pipeline.sync();
            var channelCounts = JsonBody.object();
            for (int i = 0; i < channels.size(); i++) {
                channelCounts.add(channels.get(i), perChannel.get(i).get());
            }
            var hostCounts = JsonBody.object();
            counted(counters.get(), "host:").forEach(hostCounts::add);
            var keyCounts = JsonBody.object();
            counted(counters.get(), "vapid:").forEach(keyCounts::add);
            return JsonBody.object().add("subscriptions", total.get())
                    .add("users", Long.parseLong(counters.get().getOrDefault("users", "0")))
                    .add("channels", channelCounts).add("push_services", hostCounts).add("vapid_keys", keyCounts).build();
        }
    }

    /** The positive counters whose field starts with the prefix, by the rest of their name, in order. */
    static java.util.SortedMap<String, Long> counted(Map<String, String> counters, String prefix) {
        var counts = new java.util.TreeMap<String, Long>();
        counters.forEach((field, value) -> {
            if (field.startsWith(prefix) && Long.parseLong(value) > 0) {
                counts.put(field.substring(prefix.length()), Long.parseLong(value));
            }
        });
        return counts;
    }

    /** Subscriptions per VAPID key fingerprint, from the counters. */
    public Map<String, Long> perVapidKey() {
        return counted(redis.client().hgetAll(redis.key(Keys.AUDIENCE)), "vapid:");
    }

    /**
     * Deletes every subscription made with the VAPID key of that fingerprint, reason "key removed" (with its webhook
     * event), CONVERT_AT_ONCE ids per script; returns how many. Walks the ids until the key's counter reaches 0. Each
     * deletion is atomic with its counters and event, so a walk cut short (the instance died) is finished by running it
     * again: nothing is deleted or announced twice.
     */
    public long deleteMadeWith(String fingerprint) {
        long deleted = 0;
        String after = "-";
        String counter = "vapid:" + fingerprint;
        while (redis.client().hget(redis.key(Keys.AUDIENCE), counter) != null) {
            List<String> ids = redis.client().zrangeByLex(redis.key(Keys.SUBSCRIPTIONS), after, "+", 0, CONVERT_AT_ONCE);
            if (ids.isEmpty()) {
                break;
            }
            var args = new ArrayList<String>(List.of(redis.prefix(), fingerprint, Removal.KEY_REMOVED.key()));
            args.addAll(ids);
            deleted += (Long) DELETE_MADE_WITH.run(redis.client(), List.of(), args);
            after = "(" + ids.get(ids.size() - 1);
        }
        long count = deleted;
        LOG.info(() -> "Deleted " + count + " subscriptions made with the VAPID key " + fingerprint + " (reason: key removed).");
        return deleted;
    }

    static Instant seconds(String value) {
        return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value));
    }

    static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** The endpoint index's key: 16 bytes of the endpoint's SHA-256, base64url (22 characters). */
    public static String endpointHash(String endpoint) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
