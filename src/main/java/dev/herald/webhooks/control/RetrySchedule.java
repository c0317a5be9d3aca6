package dev.herald.webhooks.control;

import dev.herald.push.control.Backoff;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * When a webhook attempt that failed is tried again: the first retry within 10 s (between 5 and 10 s,
 * equal jitter so that many events do not retry in lockstep), then doubling, each wait at most an
 * hour, until 24 hours after the event was made; the last try is at that moment, and a failure then
 * is final. All times are Herald's clock (epoch ms).
 */
public final class RetrySchedule {

    public static final Duration FIRST = Duration.ofSeconds(10);
    public static final Duration LONGEST_WAIT = Duration.ofHours(1);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    static final Backoff BACKOFF = new Backoff(FIRST, LONGEST_WAIT, Integer.MAX_VALUE);

    private RetrySchedule() {
    }

    /** After attempt number attempt (1 = the first) failed at now: when to try again, or empty to give up. random in [0, 1). */
    public static OptionalLong next(long created, int attempt, long now, double random) {
        long deadline = created + GIVE_UP_AFTER.toMillis();
        if (now >= deadline) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(deadline, now + BACKOFF.delay(attempt, random).toMillis()));
    }
}
