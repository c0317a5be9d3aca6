package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobWatchTest {

    @Test
    void aWaitIsAnsweredTrueWhenItsJobFinishesAndNoLongerAwaited() throws Exception {
        var watch = new JobWatch();
        var done = watch.whenDone("job-1", Duration.ofMinutes(1));
        var other = watch.whenDone("job-2", Duration.ofMinutes(1));

        watch.finished("job-1");

        assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other).isNotDone();
        assertThat(watch.awaited).containsOnlyKeys(other);
    }

    @Test
    void aWaitIsAnsweredFalseWhenItsTimeIsUpAndIsForgotten() throws Exception {
        var watch = new JobWatch();
        var done = watch.whenDone("job-1", Duration.ofMillis(1));

        // completed by the JDK's timer: no thread of the caller's waits for it
        assertThat(done.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(watch.anyAwaited()).isFalse();
        watch.finished("job-1");
        assertThat(done.get()).isFalse();
    }

    @Test
    void everyWaitForTheSameJobIsAnswered() throws Exception {
        var watch = new JobWatch();
        var first = watch.whenDone("job-1", Duration.ofMinutes(1));
        var second = watch.whenDone("job-1", Duration.ofMinutes(1));

        watch.finished("job-1");

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.anyAwaited()).isFalse();
    }
}
