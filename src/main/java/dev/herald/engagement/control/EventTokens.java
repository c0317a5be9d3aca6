package dev.herald.engagement.control;

import dev.herald.engagement.entity.EventToken;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The per-push engagement tokens (README "Engagement"). A token is 48 bytes, 64 base64url
 * characters: the job id (16 bytes), the subscription id encrypted with a key of that job's (one
 * AES block: opaque, and unlinkable across jobs, because the id is the public capability for
 * DELETE, PUT and test), and the first 16 bytes of HMAC-SHA256(secret, "event" | job | subscription).
 * The secret is 32 random bytes kept in Redis (Keys.ENGAGEMENT_SECRET), the same for every instance.
 * Verifying decrypts the id and compares the MAC in constant time: a forged token is refused, and
 * the MAC, unique per push, is what counts an event once.
 */
@ApplicationScoped
public class EventTokens {

    static final Logger LOG = Logger.getLogger(EventTokens.class.getName());

    static final int BYTES = 48;
    /** Where a job's stored message gets each push's token: exactly as long as a token (64 characters). */
    public static final String MARKER_START = "{{herald:";
    public static final String MARKER = MARKER_START + "engagement-token" + "~".repeat(64 - MARKER_START.length() - 18) + "}}";
    static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);
    static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Inject
    Redis redis;

    volatile SecretKeySpec secret;

    /** Made (or read) at deployment, so that answering a request never writes it; while Redis is away, on first use. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        try {
            secret();
        } catch (JedisException e) {
            LOG.warning(() -> "engagement tokens: Redis did not answer at start (" + e + "); the secret is read on first use");
        }
    }

    /** Outside CDI (tests' fixtures, benchmarks): tokens with the secret kept in this Redis. */
    public static EventTokens on(Redis redis) {
        var tokens = new EventTokens();
        tokens.redis = redis;
        return tokens;
    }

    /** The token of one push, as the bytes that replace the marker. */
    public byte[] token(String jobId, String subscriptionId) {
        var job = uuid(jobId);
        var subscription = uuid(subscriptionId);
        var out = ByteBuffer.allocate(BYTES).put(job).put(crypt(Cipher.ENCRYPT_MODE, job, subscription)).put(mac(job, subscription));
        return ENCODER.encode(out.array());
    }

    /** The job and subscription a token was made for; 400 when it is no token at all, 403 when it is not one of ours. */
    public EventToken verify(String token) {
        byte[] raw;
        try {
            raw = token == null ? null : Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != BYTES || token.length() != 64) {
            throw new BadRequestException("token must be the 64-character engagement token of a push (base64url).");
        }
        byte[] job = Arrays.copyOfRange(raw, 0, 16);
        byte[] subscription = crypt(Cipher.DECRYPT_MODE, job, Arrays.copyOfRange(raw, 16, 32));
        byte[] mac = mac(job, subscription);
        if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(raw, 32, BYTES))) {
            throw new ForbiddenException("This engagement token was not made by this Herald.");
        }
        return new EventToken(text(job), text(subscription), ENCODER.encodeToString(mac));
    }

    /** The message cut at its markers: one part when it has none (a message from before engagement counting). */
    public static byte[][] split(byte[] payload) {
        var parts = new ArrayList<byte[]>();
        int from = 0;
        for (int i = 0; i <= payload.length - MARKER_BYTES.length; i++) {
            if (payload[i] == MARKER_BYTES[0] && Arrays.equals(payload, i, i + MARKER_BYTES.length, MARKER_BYTES, 0, MARKER_BYTES.length)) {
                parts.add(Arrays.copyOfRange(payload, from, i));
                from = i + MARKER_BYTES.length;
                i = from - 1;
            }
        }
        parts.add(Arrays.copyOfRange(payload, from, payload.length));
        return parts.toArray(byte[][]::new);
    }

    /** The message of one push: its parts joined by its token. */
    public static byte[] fill(byte[][] parts, byte[] token) {
        int length = token.length * (parts.length - 1);
        for (byte[] part : parts) {
            length += part.length;
        }
        var out = ByteBuffer.allocate(length);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.put(token);
            }
            out.put(parts[i]);
        }
        return out.array();
    }

    byte[] mac(byte[] job, byte[] subscription) {
        Mac mac = hmac();
        mac.update("event".getBytes(StandardCharsets.US_ASCII));
        mac.update(job);
        return Arrays.copyOf(mac.doFinal(subscription), 16);
    }

    /** One AES block under the job's own key, HMAC-SHA256(secret, "id-key" | job): a permutation, so it only ever hides the id. */
    byte[] crypt(int mode, byte[] job, byte[] block) {
        Mac mac = hmac();
        mac.update("id-key".getBytes(StandardCharsets.US_ASCII));
        byte[] key = Arrays.copyOf(mac.doFinal(job), 16);
        try {
            Cipher aes = AES.get();
            aes.init(mode, new SecretKeySpec(key, "AES"));
            return aes.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every JDK", e);
        }
    }

    /**
     * This thread's HMAC-SHA256 under the secret, ready for a new message. Kept per thread (and per instance: tests have
     * several secrets), because Mac.getInstance and Cipher.getInstance search the providers on every call, which a
     * broadcast did three times per push. Only JDK objects are kept, so a redeployed WAR's class loader is not held.
     */
    Mac hmac() {
        return hmac.get();
    }

    final ThreadLocal<Mac> hmac = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    });

    static final ThreadLocal<Cipher> AES = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every JDK", e);
        }
    });

    /** Whether the secret is already here (no Redis call). */
    public boolean known() {
        return secret != null;
    }

    /** Loads the secret (from Redis, the first time): true, so that a caller can retry it while Redis is away. */
    public boolean ready() {
        return secret() != null;
    }

    /** The secret, made by the first instance that needs it and shared through Redis. */
    SecretKeySpec secret() {
        SecretKeySpec known = secret;
        if (known == null) {
            String key = redis.key(Keys.ENGAGEMENT_SECRET);
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            redis.client().set(key, ENCODER.encodeToString(fresh), new SetParams().nx());
            known = new SecretKeySpec(Base64.getUrlDecoder().decode(redis.client().get(key)), "HmacSHA256");
            secret = known;
        }
        return known;
    }

    static byte[] uuid(String id) {
        UUID uuid = UUID.fromString(id);
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    static String text(byte[] bytes) {
        var buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
}
