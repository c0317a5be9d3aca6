package dev.herald.platform.control;

import dev.herald.platform.boundary.InvalidField;
import jakarta.ws.rs.BadRequestException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/** Herald's ids (subscriptions, notification jobs) are lower-case UUIDs, as UUID.toString() writes them. */
public final class Uuids {

    static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Uuids() {
    }

    /**
     * One generator per thread: UUID.randomUUID() shares one NativePRNG whose lock every request thread of a subscribe
     * load waited on (and Payara's request tracing takes it too). DRBG is a NIST SP 800-90A generator seeded by the JDK.
     */
    static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Uuids::generator);

    /** A random (version 4, RFC 9562) UUID. */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        var buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public static boolean valid(String id) {
        return id != null && UUID_PATTERN.matcher(id).matches();
    }

    /** The id itself, or 400 saying it is not a "what" id. */
    public static String check(String id, String what) {
        if (!valid(id)) {
            throw new BadRequestException(notOne(id, what));
        }
        return id;
    }

    /** The same for an id in the request body, at pointer: the 400 points at that member. */
    public static String check(String id, String what, String pointer) {
        if (!valid(id)) {
            throw new InvalidField(pointer, notOne(id, what));
        }
        return id;
    }

    static String notOne(String id, String what) {
        return "'" + Text.abbreviate(id) + "' is not " + what + " id (a lower-case UUID).";
    }
}
