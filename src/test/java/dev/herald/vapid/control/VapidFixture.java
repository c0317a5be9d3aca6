package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
import dev.herald.vapid.entity.VapidKey;
import java.math.BigInteger;
import java.time.Clock;

/** VapidKeys and VapidHeaders without a container, for tests and benchmarks in other packages. */
public final class VapidFixture {

    public static final String SUBJECT = "mailto:ops@herald.example";

    private VapidFixture() {
    }

    /** Keys from a new random private key. */
    public static VapidKeys keys() {
        return keys(VapidKeys.parse(VapidKeys.generate(), "test key"), SUBJECT);
    }

    public static VapidKeys keys(BigInteger privateKey, String subject) {
        VapidKeys keys = new VapidKeys();
        keys.subject = new VapidSubject();
        keys.subject.subject = subject;
        VapidKey key = VapidKeys.key(privateKey, null, true);
        keys.configured = java.util.List.of(key);
        keys.configuredCurrent = true;
        keys.configuredPublicKey = java.util.Optional.empty();
        keys.source = "test";
        keys.ring = new VapidKeys.Ring(key, java.util.Map.of(key.fingerprint(), key), System.nanoTime());
        return keys;
    }

    /** The keyring an instance on that Redis and prefix has (when none is configured): the key in Redis, generated if none. */
    public static VapidKeys inRedis(dev.herald.platform.control.Redis redis) {
        VapidKeys keys = new VapidKeys();
        keys.subject = new VapidSubject();
        keys.subject.subject = SUBJECT;
        keys.configuredKey = java.util.Optional.empty();
        keys.configuredFile = java.util.Optional.empty();
        keys.configuredPublicKey = java.util.Optional.empty();
        keys.redis = redis;
        return keys;
    }

    public static VapidHeaders headers(VapidKeys keys) {
        return headers(keys, Clock.systemUTC());
    }

    public static VapidHeaders headers(VapidKeys keys, Clock clock) {
        VapidHeaders headers = new VapidHeaders();
        headers.keys = keys;
        headers.clock = clock;
        return headers;
    }
}
