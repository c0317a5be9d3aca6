package dev.herald.subscriptions.control;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Subscriptions in Redis (layout in docs/internals.md). A record and its two indexes always
 * change together inside one Lua script, so no reader sees half a subscription. The ids are a
 * sorted set (all scores 0, so ordered by id): a broadcast walks it from the last id it reached,
 * an order that survives a Redis restart, where an SSCAN cursor would skip or repeat ids.
 */
@ApplicationScoped
public class SubscriptionStore {

    static final Logger LOG = Logger.getLogger(SubscriptionStore.class.getName());

    // KEYS: by-endpoint hash, id set. ARGV: record key prefix, endpoint hash, new id, record JSON, max subscriptions.
    // Returns {id, 1 created | 0 updated} or {false, -1} when a new one would exceed the cap (nothing written).
    static final Script UPSERT = new Script("""
            local id = redis.call('HGET', KEYS[1], ARGV[2])
            local created = 0
            if not id then
              if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
                return {false, -1}
              end
              id = ARGV[3]
              created = 1
              redis.call('HSET', KEYS[1], ARGV[2], id)
              redis.call('ZADD', KEYS[2], 0, id)
            end
            redis.call('HSET', ARGV[1] .. id, 'subscription', ARGV[4], 'endpoint', ARGV[2])
            return {id, created}
            """);

    /**
     * Deletes one subscription with its indexes: a Lua function, so that the fan-out's settle script
     * removes gone subscriptions by the very same rule. Arguments: record key prefix, by-endpoint
     * hash key, id set key, id. Returns 1 when a record was deleted.
     */
    public static final String DELETE_FUNCTION = """
            local function delete_subscription(record_prefix, by_endpoint, ids, id)
              local record = record_prefix .. id
              local endpoint = redis.call('HGET', record, 'endpoint')
              if endpoint and redis.call('HGET', by_endpoint, endpoint) == id then
                redis.call('HDEL', by_endpoint, endpoint)
              end
              redis.call('ZREM', ids, id)
              return redis.call('DEL', record)
            end
            """;

    // KEYS: by-endpoint hash, id set. ARGV: record key prefix, id.
    static final Script DELETE = new Script(DELETE_FUNCTION + "return delete_subscription(ARGV[1], KEYS[1], KEYS[2], ARGV[2])");

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

    public record Upserted(String id, boolean created) {
    }

    @Inject
    Redis redis;

    /** A global cap so that nobody can fill Redis with subscriptions; nothing is ever evicted to make room. */
    @Inject
    @ConfigProperty(name = "herald.limits.max-subscriptions")
    long maxSubscriptions;

    /** Created at deployment (TomEE; DeploymentCreationTest), and the id set of an older version converted. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        try {
            migrate();
        } catch (JedisException e) {
            LOG.warning(() -> "Could not check the subscription id set at start (Redis: " + e.getMessage()
                    + "); a set written by Herald 0.1 is converted at the next start.");
        }
    }

    long migrate() {
        long converted = (Long) MIGRATE.run(redis.client(), List.of(redis.key(Keys.SUBSCRIPTIONS)), List.of());
        if (converted >= 0) {
            LOG.info(() -> "Converted the subscription id set (" + converted + " ids) to the sorted set a broadcast walks.");
        }
        return converted;
    }

    public Upserted upsert(Subscription subscription) {
        String newId = UUID.randomUUID().toString();
        List<?> result = (List<?>) UPSERT.run(redis.client(),
                List.of(redis.key(Keys.BY_ENDPOINT), redis.key(Keys.SUBSCRIPTIONS)),
                List.of(redis.key(Keys.SUBSCRIPTION), endpointHash(subscription.endpoint()), newId,
                        subscription.toJson().build().toString(), String.valueOf(maxSubscriptions)));
        if (((Long) result.get(1)) < 0) {
            throw new ServiceUnavailableException("Herald stores at most " + maxSubscriptions + " subscriptions "
                    + "(setting herald.limits.max-subscriptions) and is full; nothing was stored. Existing subscriptions "
                    + "can still be updated.");
        }
        return new Upserted((String) result.get(0), ((Long) result.get(1)) == 1L);
    }

    public boolean delete(String id) {
        Object deleted = DELETE.run(redis.client(), List.of(redis.key(Keys.BY_ENDPOINT), redis.key(Keys.SUBSCRIPTIONS)),
                List.of(redis.key(Keys.SUBSCRIPTION), id));
        return ((Long) deleted) == 1L;
    }

    public Optional<Subscription> find(String id) {
        return Optional.ofNullable(redis.client().hget(redis.key(Keys.SUBSCRIPTION + id), "subscription")).map(Subscription::fromStored);
    }

    /** Per id, in order, the stored record's JSON or null when there is none; one round trip. */
    public List<String> load(List<String> ids) {
        try (var pipeline = redis.client().pipelined()) {
            var responses = ids.stream().map(id -> pipeline.hget(redis.key(Keys.SUBSCRIPTION + id), "subscription")).toList();
            pipeline.sync();
            return responses.stream().map(Response::get).toList();
        }
    }

    static String endpointHash(String endpoint) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
