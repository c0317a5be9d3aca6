package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostPausesTest {

    @Test
    void pauseAppliesToTheHostUntilItEndsAndTheLongerPauseWins() {
        var pauses = new HostPauses();
        long now = 1_000_000_000L;
        pauses.pause("a.example", Duration.ofSeconds(5), now);
        pauses.pause("a.example", Duration.ofSeconds(2), now);
        assertThat(pauses.remaining("a.example", now + Duration.ofSeconds(1).toNanos())).isEqualTo(Duration.ofSeconds(4));
        assertThat(pauses.remaining("b.example", now)).isZero();
        assertThat(pauses.remaining("a.example", now + Duration.ofSeconds(5).toNanos())).isZero();
        assertThat(pauses.until).isEmpty();
    }
}
