package dev.herald.fanout.entity;

/**
 * The two work streams. A job for listed subscriptions (a handful of devices) goes to PRIORITY,
 * which every instance reads on a loop and with in-flight permits of its own, so it never waits
 * behind a broadcast of millions; a broadcast's batches go to BULK.
 */
public enum Lane {
    PRIORITY, BULK;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Lane of(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
