package dev.herald.notifications.control;

import dev.herald.fanout.entity.Idempotency;
import dev.herald.platform.control.Keys;
import jakarta.ws.rs.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Idempotency-Key request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
 * 1 to 255 printable ASCII characters, surrounding double quotes stripped (the draft's example
 * sends a structured-field string). A key counts per API token, so two senders never collide; a
 * repeat is "the same request" when its raw body has the same SHA-256.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /** Empty without the header; 400 when it is malformed or given twice. */
    public static Optional<Idempotency> of(List<String> headerValues, String bearerToken, byte[] body, Duration ttl) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1) {
            throw new BadRequestException(HEADER + " must be given once, not " + headerValues.size() + " times.");
        }
        String key = strip(headerValues.get(0).strip());
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new BadRequestException(HEADER + " must be 1 to " + MAX_LENGTH + " printable ASCII characters, not "
                    + key.length() + ".");
        }
        if (!key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new BadRequestException(HEADER + " must be printable ASCII characters only (letters, digits, punctuation, space).");
        }
        // digests only: neither the token nor the client's key is ever stored as given
        String scope = sha256(bearerToken == null ? "" : bearerToken).substring(0, 32);
        return Optional.of(new Idempotency(Keys.IDEMPOTENCY + scope + ":" + sha256(key), sha256(body), ttl));
    }

    static String strip(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
