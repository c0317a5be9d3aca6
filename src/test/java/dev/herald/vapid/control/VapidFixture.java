package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
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
        keys.privateKey = P256.privateKey(privateKey);
        keys.publicKeyBytes = P256.publicFromPrivate(privateKey);
        keys.publicKey = P256.publicKey(keys.publicKeyBytes);
        keys.source = "test";
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
