package dev.herald.subscriptions.control;

import dev.herald.platform.control.Redis;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.ServiceUnavailableException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Subscriptions in Redis (layout in the README). A record and its two indexes always
 * change together inside one Lua script, so no reader sees half a subscription.
 */
@ApplicationScoped
public class SubscriptionStore {

    // KEYS: by-endpoint hash, id set. ARGV: record key prefix, endpoint hash, new id, record JSON, max subscriptions.
    // Returns {id, 1 created | 0 updated} or {false, -1} when a new one would exceed the cap (nothing written).
    static final String UPSERT = """
            local id = redis.call('HGET', KEYS[1], ARGV[2])
            local created = 0
            if not id then
              if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then
                return {false, -1}
              end
              id = ARGV[3]
              created = 1
              redis.call('HSET', KEYS[1], ARGV[2], id)
              redis.call('SADD', KEYS[2], id)
            end
            redis.call('HSET', ARGV[1] .. id, 'subscription', ARGV[4], 'endpoint', ARGV[2])
            return {id, created}
            """;

    // KEYS: record, by-endpoint hash, id set. ARGV: id.
    static final String DELETE = """
            local endpoint = redis.call('HGET', KEYS[1], 'endpoint')
            if endpoint and redis.call('HGET', KEYS[2], endpoint) == ARGV[1] then
              redis.call('HDEL', KEYS[2], endpoint)
            end
            redis.call('SREM', KEYS[3], ARGV[1])
            return redis.call('DEL', KEYS[1])
            """;

    /** Created at deployment, not on first use off a request thread: see Pushes.onStart (TomEE). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public record Upserted(String id, boolean created) {
    }

    @Inject
    Redis redis;

    /** A global cap so that nobody can fill Redis with subscriptions; nothing is ever evicted to make room. */
    @Inject
    @ConfigProperty(name = "herald.limits.max-subscriptions")
    long maxSubscriptions;

    public Upserted upsert(Subscription subscription) {
        String newId = UUID.randomUUID().toString();
        List<?> result = (List<?>) redis.client().eval(UPSERT,
                List.of(redis.key("subscriptions:by-endpoint"), redis.key("subscriptions")),
                List.of(redis.key("subscription:"), endpointHash(subscription.endpoint()), newId,
                        subscription.toJson().build().toString(), String.valueOf(maxSubscriptions)));
        if (((Long) result.get(1)) < 0) {
            throw new ServiceUnavailableException("Herald stores at most " + maxSubscriptions + " subscriptions "
                    + "(setting herald.limits.max-subscriptions) and is full; nothing was stored. Existing subscriptions "
                    + "can still be updated.");
        }
        return new Upserted((String) result.get(0), ((Long) result.get(1)) == 1L);
    }

    public boolean delete(String id) {
        Object deleted = redis.client().eval(DELETE,
                List.of(recordKey(id), redis.key("subscriptions:by-endpoint"), redis.key("subscriptions")),
                List.of(id));
        return ((Long) deleted) == 1L;
    }

    public Optional<Subscription> find(String id) {
        String json = redis.client().hget(recordKey(id), "subscription");
        return Optional.ofNullable(json).map(SubscriptionStore::parse);
    }

    /** Finds several records in one round trip; ids without a record are left out. */
    public Map<String, Subscription> findAll(List<String> ids) {
        var found = new LinkedHashMap<String, Subscription>();
        try (var pipeline = redis.client().pipelined()) {
            var responses = ids.stream().map(id -> pipeline.hget(recordKey(id), "subscription")).toList();
            pipeline.sync();
            for (int i = 0; i < ids.size(); i++) {
                String json = responses.get(i).get();
                if (json != null) {
                    found.put(ids.get(i), parse(json));
                }
            }
        }
        return found;
    }

    /** One SSCAN step over all subscription ids; start with ScanParams.SCAN_POINTER_START. */
    public ScanResult<String> scanIds(String cursor, int count) {
        return redis.client().sscan(redis.key("subscriptions"), cursor, new ScanParams().count(count));
    }

    public long count() {
        return redis.client().scard(redis.key("subscriptions"));
    }

    String recordKey(String id) {
        return redis.key("subscription:" + id);
    }

    static Subscription parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return Subscription.fromStored(reader.readObject());
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
