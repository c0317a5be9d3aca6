package dev.herald.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

/** A fake browser subscription whose P-256 key pair and auth secret the test holds. */
public record TestSubscriber(String endpoint, KeyPair keys, byte[] auth) {

    static final SecureRandom RANDOM = new SecureRandom();

    public static TestSubscriber create(String endpointBase) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] auth = new byte[16];
            RANDOM.nextBytes(auth);
            return new TestSubscriber(endpointBase + UUID.randomUUID(), generator.generateKeyPair(), auth);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestSubscriber create() {
        return create("https://fcm.googleapis.com/fcm/send/");
    }

    public String p256dh() {
        return b64(uncompressed((ECPublicKey) keys.getPublic()));
    }

    public String authSecret() {
        return b64(auth);
    }

    public String json() {
        return json(endpoint, p256dh(), authSecret(), "null");
    }

    public static String json(String endpoint, String p256dh, String auth, String expirationTime) {
        return "{\"endpoint\":" + quote(endpoint) + ",\"expirationTime\":" + expirationTime
                + ",\"keys\":{\"p256dh\":" + quote(p256dh) + ",\"auth\":" + quote(auth) + "}}";
    }

    static String quote(String text) {
        return text == null ? "null" : jakarta.json.Json.createValue(text).toString();
    }

    public static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        put(key.getW().getAffineX(), out, 1);
        put(key.getW().getAffineY(), out, 33);
        return out;
    }

    static void put(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int start = Math.max(0, raw.length - 32);
        System.arraycopy(raw, start, out, offset + 32 - (raw.length - start), raw.length - start);
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
