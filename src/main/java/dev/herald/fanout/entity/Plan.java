package dev.herald.fanout.entity;

import java.time.Instant;
import java.time.LocalTime;

/**
 * When and how fast a job is sent: from sendAt (null: at once); to each subscription at the next
 * localTime in its own zone (null: as soon as reached); at most throttlePerMinute pushes a minute
 * across all instances (0: no limit).
 */
public record Plan(Instant sendAt, LocalTime localTime, int throttlePerMinute) {

    public static Plan immediate() {
        return new Plan(null, null, 0);
    }

    public boolean throttled() {
        return throttlePerMinute > 0;
    }
}
