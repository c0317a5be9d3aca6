package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PreferWaitTest {

    static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void readsWaitAmongOtherPreferencesAndCapsIt() {
        assertThat(PreferWait.of("wait=10", MAX)).contains(Duration.ofSeconds(10));
        assertThat(PreferWait.of("respond-async, wait=5", MAX)).contains(Duration.ofSeconds(5));
        assertThat(PreferWait.of("handling=lenient; WAIT = \"7\"", MAX)).contains(Duration.ofSeconds(7));
        assertThat(PreferWait.of("wait=3600", MAX)).contains(MAX);
    }

    @Test
    void ignoresAbsentOrMalformedWait() {
        assertThat(PreferWait.of(null, MAX)).isEmpty();
        assertThat(PreferWait.of("respond-async", MAX)).isEmpty();
        assertThat(PreferWait.of("wait=-1", MAX)).isEmpty();
        assertThat(PreferWait.of("wait=abc", MAX)).isEmpty();
        assertThat(PreferWait.of("wait=99999999999", MAX)).isEmpty();
    }
}
