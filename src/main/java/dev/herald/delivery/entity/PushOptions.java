package dev.herald.delivery.entity;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-message delivery options (RFC 8030 section 5): how long the push service keeps the
 * message (TTL, seconds), its urgency (section 5.3) and a topic that replaces an undelivered
 * message with the same topic (section 5.4). urgency and topic are null when not given.
 */
public record PushOptions(long ttlSeconds, String urgency, String topic) {

    public static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    /** RFC 8030 section 5.4: at most 32 characters of the URL- and filename-safe base64 alphabet. */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public PushOptions {
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("ttl must be 0 or more seconds, got " + ttlSeconds + ".");
        }
        if (urgency != null && !URGENCIES.contains(urgency)) {
            throw new IllegalArgumentException("urgency must be one of very-low, low, normal, high, got '" + urgency + "'.");
        }
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic must be 1 to 32 characters of A-Z a-z 0-9 - _ (RFC 8030 section 5.4).");
        }
    }

    public static PushOptions ttl(long ttlSeconds) {
        return new PushOptions(ttlSeconds, null, null);
    }
}
