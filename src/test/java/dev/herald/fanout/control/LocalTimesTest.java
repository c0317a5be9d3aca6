package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LocalTimesTest {

    static final LocalTime NINE = LocalTime.of(9, 0);

    @Test
    void aSubscriberIsReachedAtTheNextWantedHourOfTheirOwnZone() {
        var created = Instant.parse("2026-12-02T06:00:00Z");

        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("UTC"), NINE))).isEqualTo("2026-12-02T09:00:00Z");
        // Tokyo is UTC+9: 15:00 there, so 09:00 tomorrow
        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("Asia/Tokyo"), NINE))).isEqualTo("2026-12-03T00:00:00Z");
        // New York is UTC-5 in December: 01:00 there
        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("America/New_York"), NINE))).isEqualTo("2026-12-02T14:00:00Z");
    }

    @Test
    void exactlyTheWantedTimeWhenAcceptedMeansTomorrow() {
        var created = Instant.parse("2026-12-02T09:00:00Z");

        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("UTC"), NINE))).isEqualTo("2026-12-03T09:00:00Z");
    }

    @Test
    void aTimeThatTheSpringChangeSkipsMovesForwardByTheGap() {
        // Berlin skips 02:00-03:00 on 2027-03-28: 02:30 becomes 03:30 CEST (01:30 UTC)
        var created = Instant.parse("2027-03-27T12:00:00Z");

        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("Europe/Berlin"), LocalTime.of(2, 30))))
                .isEqualTo("2027-03-28T01:30:00Z");
    }

    @Test
    void aTimeThatTheAutumnChangeRepeatsIsTheEarlierOne() {
        // Berlin repeats 02:00-03:00 on 2026-10-25: 02:30 CEST (00:30 UTC) comes first
        var created = Instant.parse("2026-10-24T12:00:00Z");

        assertThat(Instant.ofEpochMilli(LocalTimes.due(created, ZoneId.of("Europe/Berlin"), LocalTime.of(2, 30))))
                .isEqualTo("2026-10-25T00:30:00Z");
    }
}
