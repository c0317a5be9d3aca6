package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SenderThreadsTest {

    SenderThreads senders = new SenderThreads(Executors.defaultThreadFactory(), 3);

    @AfterEach
    void stop() {
        senders.stop();
    }

    @Test
    void blockedStepsRunSideBySideUpToMaxInFlightAndTheRestWait() throws Exception {
        var release = new CountDownLatch(1);
        var running = new AtomicInteger();
        var mostAtOnce = new AtomicInteger();
        var done = new CountDownLatch(7);
        for (int i = 0; i < 7; i++) {
            senders.submit(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            });
        }
        // three block at once (a push waiting for its answer must not stop the next two), the other four queue
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(running.get()).isEqualTo(3);
        assertThat(senders.pool.getQueue()).hasSize(4);

        release.countDown();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(3);
        assertThat(senders.pool.getLargestPoolSize()).isEqualTo(3);
    }

    @Test
    void aFailingStepDoesNotStopTheOnesAfterIt() throws Exception {
        var ran = new CountDownLatch(2);
        senders.submit(ran::countDown);
        senders.submit(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        senders.submit(ran::countDown);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
