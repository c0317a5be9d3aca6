package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
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

    @Test
    void aUnitReadJustAfterTheStopBeganIsHandedBackAtOnceInsteadOfStayingPendingUntilClaimIdle() throws Exception {
        try (var scripts = new Scripts(3)) {
            var ids = scripts.subscribe(3);
            var job = new Job(UUID.randomUUID().toString(), new Message("{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                    PushOptions.ttl(60)), new Audience.Listed(ids));
            scripts.jobs.accept(job, Optional.empty());
            var worker = stopped(scripts, "stopping");
            // what the reader's last read returned while the stop ran (it had checked running just before)
            var unit = scripts.read(Lane.PRIORITY, "stopping").get(0);
            var room = new Semaphore(0);

            worker.startUnit(unit, room);

            assertThat(scripts.streams.redis.client().xpending(scripts.prefix + dev.herald.platform.control.Keys.STREAM
                    + Lane.PRIORITY.key(), "herald").getTotal()).as("nothing left for claim-idle").isZero();
            assertThat(scripts.read(Lane.PRIORITY, "other")).singleElement()
                    .satisfies(again -> assertThat(again.items()).extracting(Item::id).containsExactlyElementsOf(ids));
            assertThat(room.availablePermits()).as("its place is given back").isEqualTo(1);
            assertThat(worker.held).isEmpty();
        }
    }

    /** A Worker over the scripts' Redis whose stop has begun, its grace period over: no reader, no runner. */
    static Worker stopped(Scripts scripts, String name) {
        var worker = new Worker();
        worker.streams = scripts.streams;
        worker.settlement = scripts.settlement;
        worker.delayed = scripts.delayed;
        worker.jobs = scripts.jobs;
        worker.store = scripts.store;
        worker.clock = scripts.clock;
        worker.throttle = scripts.throttle;
        worker.tokens = scripts.tokens;
        worker.watch = new JobWatch();
        worker.defaultZone = ZoneId.of("UTC");
        worker.grace = Duration.ZERO;
        worker.maxClaims = 10;
        worker.name = name;
        worker.runners = Worker.runners(2, Thread::new);
        worker.runners.shutdown();
        worker.stopDeadline = System.nanoTime();
        worker.running = false;
        return worker;
    }
}
