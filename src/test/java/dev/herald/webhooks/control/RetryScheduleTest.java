package dev.herald.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    static final long CREATED = 1_733_112_000_000L;

    @Test
    void theFirstRetryComesWithinTenSecondsAndNoEarlierThanFive() {
        assertThat(RetrySchedule.next(CREATED, 1, CREATED, 0.0)).hasValue(CREATED + 5_000);
        assertThat(RetrySchedule.next(CREATED, 1, CREATED, 0.999_999)).hasValue(CREATED + 9_999);
    }

    @Test
    void eachWaitDoublesUpToAnHour() {
        var ceilings = new ArrayList<Long>();
        for (int attempt = 1; attempt <= 11; attempt++) {
            ceilings.add(RetrySchedule.next(CREATED, attempt, CREATED, 0.999_999_999).getAsLong() - CREATED + 1);
        }
        assertThat(ceilings).containsExactly(10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 320_000L, 640_000L, 1_280_000L,
                2_560_000L, 3_600_000L, 3_600_000L);
    }

    @Test
    void theLastTryIsTwentyFourHoursAfterTheEventAndAFailureThenIsFinal() {
        long almost = CREATED + Duration.ofHours(24).toMillis() - 60_000;
        assertThat(RetrySchedule.next(CREATED, 20, almost, 0.5)).hasValue(CREATED + Duration.ofHours(24).toMillis());
        assertThat(RetrySchedule.next(CREATED, 21, CREATED + Duration.ofHours(24).toMillis(), 0.5)).isEmpty();
    }

    @Test
    void aReceiverDownForADayGetsAboutThirtyAttempts() {
        long now = CREATED;
        var attempts = new ArrayList<Long>(List.of(now));
        for (int attempt = 1; ; attempt++) {
            var next = RetrySchedule.next(CREATED, attempt, now, 1.0 - 1e-9);
            if (next.isEmpty()) {
                break;
            }
            now = next.getAsLong();
            attempts.add(now);
        }
        assertThat(attempts.get(attempts.size() - 1)).isEqualTo(CREATED + Duration.ofHours(24).toMillis());
        assertThat(attempts).hasSizeBetween(25, 40);
    }
}
