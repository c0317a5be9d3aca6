package dev.herald.push.entity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Per-message delivery options (RFC 8030 section 5): how long the push service keeps the
 * message (TTL, seconds), its urgency (section 5.3) and a topic that replaces an undelivered
 * message with the same topic (section 5.4). urgency and topic are null when not given.
 * The one home of these rules: the notify parser asks validUrgency and validTopic.
 */
public record PushOptions(long ttlSeconds, String urgency, String topic) {

    /** Four weeks, the longest TTL Herald accepts and its default. */
    public static final long MAX_TTL = 2_419_200;
    public static final List<String> URGENCIES = List.of("very-low", "low", "normal", "high");
    /** RFC 8030 section 5.4: at most 32 characters of the URL- and filename-safe base64 alphabet. */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public PushOptions {
        if (ttlSeconds < 0 || ttlSeconds > MAX_TTL) {
            throw new IllegalArgumentException("ttl must be 0 to " + MAX_TTL + " seconds, got " + ttlSeconds + ".");
        }
        if (urgency != null && !validUrgency(urgency)) {
            throw new IllegalArgumentException("urgency must be one of " + URGENCIES + ", got '" + urgency + "'.");
        }
        if (topic != null && !validTopic(topic)) {
            throw new IllegalArgumentException("topic must be 1 to 32 characters of A-Z a-z 0-9 - _ (RFC 8030 section 5.4).");
        }
    }

    public static boolean validUrgency(String urgency) {
        return URGENCIES.contains(urgency);
    }

    public static boolean validTopic(String topic) {
        return TOPIC.matcher(topic).matches();
    }

    public static PushOptions ttl(long ttlSeconds) {
        return new PushOptions(ttlSeconds, null, null);
    }

    public PushOptions withTopic(String newTopic) {
        return new PushOptions(ttlSeconds, urgency, newTopic);
    }
}
