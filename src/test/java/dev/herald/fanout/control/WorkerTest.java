package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerTest {

    @Test
    void theRunnersRunAsManyBatchesAtOnceAsTheLanesMayHold() throws Exception {
        var runners = Worker.runners(4, Thread::new);
        try {
            var allRunning = new CountDownLatch(4);
            var release = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                runners.execute(() -> {
                    allRunning.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            // each batch holds its runner until its pushes settle: one runner would leave three of them queued
            assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("four batches running at once").isTrue();
            release.countDown();
        } finally {
            runners.shutdownNow();
        }
    }
}
