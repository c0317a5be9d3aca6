package dev.herald.fanout.control;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a local-time job reaches a subscriber: the first time after the job was accepted that the
 * subscriber's clock shows the wanted time. A time that a daylight-saving change skips moves
 * forward by the length of the gap, and one it repeats is the earlier of the two, as
 * ZonedDateTime.of resolves them. Counting from the job's own created time (not from "now") makes
 * the answer the same on every try and every instance.
 */
final class LocalTimes {

    private LocalTimes() {
    }

    /** Epoch ms of the first wanted local time in zone strictly after created. */
    static long due(Instant created, ZoneId zone, LocalTime wanted) {
        var date = created.atZone(zone).toLocalDate();
        var candidate = ZonedDateTime.of(date, wanted, zone);
        if (!candidate.toInstant().isAfter(created)) {
            candidate = ZonedDateTime.of(date.plusDays(1), wanted, zone);
        }
        return candidate.toInstant().toEpochMilli();
    }
}
