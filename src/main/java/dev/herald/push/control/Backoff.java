package dev.herald.push.control;

import java.time.Duration;

/**
 * Exponential backoff with "equal jitter": retry n waits between half and all of
 * base * 2^(n-1), never more than max, so retries of many pushes do not arrive in lockstep.
 */
public record Backoff(Duration base, Duration max, int maxRetries) {

    /** @param retry 1 for the first retry; @param random in [0, 1) */
    public Duration delay(int retry, double random) {
        long baseMillis = Math.max(1, base.toMillis());
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), baseMillis << shift);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) ((ceiling - half) * random));
    }

    public boolean exhausted(int retriesSoFar) {
        return retriesSoFar >= maxRetries;
    }
}
