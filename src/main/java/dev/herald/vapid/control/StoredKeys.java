package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Script;
import dev.herald.vapid.entity.VapidKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.params.SetParams;

/**
 * The VAPID keys kept in Redis (docs/internals.md "The VAPID keyring"): the current one at
 * Keys.VAPID_PRIVATE_KEY, previous ones by fingerprint, and when Herald generated each.
 */
final class StoredKeys {

    /** KEYS: current, previous, created. ARGV: old key, old fingerprint, new key, new fingerprint, now ms. */
    static final Script ROTATE = new Script("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return 0
            end
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
            redis.call('SET', KEYS[1], ARGV[3])
            redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
            return 1
            """);

    final Redis redis;
    /** Keys read before, by their text: reading again derives no public key twice. */
    final Map<String, VapidKey> parsed = new ConcurrentHashMap<>();
    String source;

    StoredKeys(Redis redis) {
        this.redis = redis;
    }

    /** Adds the keys in Redis to keys and returns the current one (generated now when there is none and generate is set), or null. */
    VapidKey read(Map<String, VapidKey> keys, boolean generate) {
        String currentKey = redis.key(Keys.VAPID_PRIVATE_KEY);
        if (generate) {
            String generated = VapidKeys.generate();
            if ("OK".equals(redis.client().set(currentKey, generated, new SetParams().nx()))) {
                redis.client().hset(redis.key(Keys.VAPID_CREATED), VapidKeys.key(PrivateKeyReader.raw(generated), null, false).fingerprint(),
                        String.valueOf(System.currentTimeMillis()));
                source = "Redis (generated now, key " + currentKey + ")";
            } else if (source == null) {
                source = "Redis (key " + currentKey + ")";
            }
        }
        String text;
        Map<String, String> previous;
        Map<String, String> created;
        try (var pipeline = redis.client().pipelined()) {
            var t = pipeline.get(currentKey);
            var p = pipeline.hgetAll(redis.key(Keys.VAPID_PREVIOUS));
            var c = pipeline.hgetAll(redis.key(Keys.VAPID_CREATED));
            pipeline.sync();
            text = t.get();
            previous = p.get();
            created = c.get();
        }
        VapidKey current = text == null ? null : stored(text, created, "the key stored in Redis at " + currentKey);
        if (current != null) {
            keys.putIfAbsent(current.fingerprint(), current);
        }
        previous.forEach((fingerprint, value) -> {
            VapidKey key = stored(value, created, "the previous key stored in Redis at " + redis.key(Keys.VAPID_PREVIOUS) + " " + fingerprint);
            keys.putIfAbsent(key.fingerprint(), key);
        });
        return current;
    }

    VapidKey stored(String text, Map<String, String> created, String where) {
        VapidKey key = parsed.computeIfAbsent(text, t -> VapidKeys.key(VapidKeys.parse(t, where), null, false));
        String ms = created.get(key.fingerprint());
        return ms == null ? key : new VapidKey(key.fingerprint(), key.privateKey(), key.publicKey(), Instant.ofEpochMilli(Long.parseLong(ms)), false);
    }

    /** Makes a new current key, the old one previous; false when another rotation changed the current key meanwhile. */
    boolean rotate() {
        String currentKey = redis.key(Keys.VAPID_PRIVATE_KEY);
        String old = redis.client().get(currentKey);
        String oldFingerprint = old == null ? "" : VapidKeys.key(VapidKeys.parse(old, "the key stored in Redis at " + currentKey), null, false).fingerprint();
        String generated = VapidKeys.generate();
        String fingerprint = VapidKeys.fingerprint(P256.base64Url(P256.publicFromPrivate(PrivateKeyReader.raw(generated))));
        Object done = ROTATE.run(redis.client(), List.of(currentKey, redis.key(Keys.VAPID_PREVIOUS), redis.key(Keys.VAPID_CREATED)),
                List.of(old == null ? "" : old, oldFingerprint, generated, fingerprint, String.valueOf(System.currentTimeMillis())));
        return Long.valueOf(1).equals(done);
    }

    /** Removes a key that is not current; with a configured current key, that may be the one at Keys.VAPID_PRIVATE_KEY. */
    void remove(String fingerprint) {
        String currentKey = redis.key(Keys.VAPID_PRIVATE_KEY);
        String text = redis.client().get(currentKey);
        if (text != null && fingerprint.equals(stored(text, Map.of(), "the key stored in Redis at " + currentKey).fingerprint())) {
            redis.client().del(currentKey);
        }
        redis.client().hdel(redis.key(Keys.VAPID_PREVIOUS), fingerprint);
        redis.client().hdel(redis.key(Keys.VAPID_CREATED), fingerprint);
    }
}
