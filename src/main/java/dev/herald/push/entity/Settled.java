package dev.herald.push.entity;

import java.time.Duration;

/**
 * How one push ended on this try: sent; the subscription is gone (remove it); failed for good;
 * or to be tried again later (after retryIn, as try number retries + 1). reason is the report's
 * failure reason ("apple: BadJwtToken", "HTTP 400", "transport failure: timeout", ...), null when sent; strike
 * says that a failure may be the subscription's own fault (Outcome.subscriptionsFault), so its streak grows.
 */
public record Settled(Kind kind, String reason, Duration retryIn, int retries, boolean strike) {

    public enum Kind {
        SENT, REMOVE, FAIL, LATER
    }

    public static Settled sent() {
        return new Settled(Kind.SENT, null, null, 0, false);
    }

    public static Settled remove(String reason) {
        return new Settled(Kind.REMOVE, reason, null, 0, false);
    }

    /** Failed for good, not the subscription's fault. */
    public static Settled fail(String reason) {
        return fail(reason, false);
    }

    public static Settled fail(String reason, boolean strike) {
        return new Settled(Kind.FAIL, reason, null, 0, strike);
    }

    public static Settled later(Duration retryIn, String reason, int retries) {
        return new Settled(Kind.LATER, reason, retryIn, retries, false);
    }
}
