package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobWatchTest {

    final JobWatch watch = new JobWatch();

    {
        watch.scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopScheduler() {
        watch.scheduler.shutdownNow();
    }

    @Test
    void everyWaitForAJobIsAnsweredTrueWhenItFinishesAndNoLongerAwaited() throws Exception {
        var first = watch.whenDone("job-1", Duration.ofMinutes(1));
        var second = watch.whenDone("job-1", Duration.ofMinutes(1));
        var other = watch.whenDone("job-2", Duration.ofMinutes(1));

        watch.finished("job-1");

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other).isNotDone();
        assertThat(watch.awaited).containsOnlyKeys(other);
    }

    @Test
    void aWaitIsAnsweredFalseWhenItsTimeIsUpAndIsForgotten() throws Exception {
        var done = watch.whenDone("job-1", Duration.ofMillis(1));

        // completed by the scheduler: no thread of the caller's waits for it
        assertThat(done.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(watch.anyAwaited()).isFalse();
        watch.finished("job-1");
        assertThat(done.get()).isFalse();
    }

    @Test
    void whenTheInstanceStopsEveryWaitIsAnsweredAtOnceAndLaterOnesDoNotWait() throws Exception {
        var waiting = watch.whenDone("job-1", Duration.ofMinutes(1));

        watch.releaseAll();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(watch.whenDone("job-2", Duration.ofMinutes(1))).isCompletedWithValue(false);
        assertThat(watch.anyAwaited()).isFalse();
    }

    @Test
    void beyondTheLimitOfWaitingRequestsOneIsAnsweredAtOnce() {
        for (int i = 0; i < JobWatch.MAX_AWAITED; i++) {
            watch.whenDone("job-" + i, Duration.ofMinutes(1));
        }

        assertThat(watch.whenDone("one-more", Duration.ofMinutes(1))).isCompletedWithValue(false);
        assertThat(watch.awaited).hasSize(JobWatch.MAX_AWAITED);
    }

    @Test
    void theFirstWaitAmongNoneWakesThePollerAndLaterOnesDoNot() {
        var wakes = new java.util.concurrent.atomic.AtomicInteger();
        watch.onFirstWait = wakes::incrementAndGet;

        watch.whenDone("job-1", Duration.ofMinutes(1));
        watch.whenDone("job-2", Duration.ofMinutes(1));
        assertThat(wakes).hasValue(1);

        watch.finished("job-1");
        watch.finished("job-2");
        watch.whenDone("job-3", Duration.ofMinutes(1));
        assertThat(wakes).hasValue(2);
    }

    @Test
    void aWaitTheSchedulerCannotTakeIsAnsweredAtOnce() {
        watch.scheduler.shutdownNow();

        assertThat(watch.whenDone("job-1", Duration.ofMinutes(1))).isCompletedWithValue(false);
        assertThat(watch.anyAwaited()).isFalse();
    }
}
