package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 3);

    @Test
    void eachRetryWaitsBetweenHalfAndAllOfTheDoubledBase() {
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(1, 0.999999)).isBetween(Duration.ofMillis(999), Duration.ofMillis(1000));
        assertThat(backoff.delay(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(3));
        for (int retry = 1; retry <= 6; retry++) {
            long ceiling = Math.min(60_000, 1000L << (retry - 1));
            for (double random : new double[] {0, 0.25, 0.5, 0.75, 0.9999}) {
                assertThat(backoff.delay(retry, random).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void delayNeverExceedsTheMaximumNorOverflows() {
        assertThat(backoff.delay(7, 0.9999).toMillis()).isLessThanOrEqualTo(60_000).isGreaterThanOrEqualTo(30_000);
        assertThat(backoff.delay(1000, 0.9999).toMillis()).isLessThanOrEqualTo(60_000).isGreaterThanOrEqualTo(30_000);
        assertThat(backoff.delay(Integer.MAX_VALUE, 0.0).toMillis()).isEqualTo(30_000);
    }

    @Test
    void attemptsAreBounded() {
        assertThat(backoff.exhausted(0)).isFalse();
        assertThat(backoff.exhausted(2)).isFalse();
        assertThat(backoff.exhausted(3)).isTrue();
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).exhausted(0)).isTrue();
    }
}
