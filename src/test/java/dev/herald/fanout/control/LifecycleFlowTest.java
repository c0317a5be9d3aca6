package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.JobPage;
import dev.herald.fanout.entity.JobReport;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Plan;
import dev.herald.fanout.entity.Unit;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.platform.control.Keys;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import dev.herald.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's life in the scripts, against a real Redis: scheduled until Herald's clock reaches send_at,
 * cancelled from any state but done, listed newest first through opaque positions, throttled by
 * the shared limiter, and waiting for local time in the delayed set. The clock is moved, never
 * waited for (Scripts.shift).
 */
class LifecycleFlowTest {

    static final int BATCH = 3;
    Scripts scripts;
    JobStore jobs;

    @BeforeEach
    void connect() {
        scripts = new Scripts(BATCH);
        jobs = scripts.jobs;
    }

    @AfterEach
    void clean() {
        scripts.close();
    }

    static Job job(Audience audience, Plan plan) {
        return new Job(UUID.randomUUID().toString(), new Message("{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                PushOptions.ttl(60)), audience, "Title", plan, java.util.Map.of());
    }

    JobReport report(String id) {
        return jobs.report(id).orElseThrow();
    }

    /** Settles a batch as if every push had been sent. */
    long sendAll(Unit unit) {
        var tally = new Tally();
        unit.items().forEach(item -> tally.sent());
        return scripts.settlement.settle(unit, tally, "a");
    }

    @Test
    void aScheduledJobHasNoWorkUntilHeraldsClockReachesSendAtAndThenStartsOnce() {
        scripts.subscribe(2);
        var sendAt = scripts.clock.now().plus(Duration.ofHours(1));
        var job = job(Audience.everyone(), new Plan(sendAt, null, 0));
        jobs.accept(job, Optional.empty());

        var scheduled = report(job.id());
        assertThat(scheduled.state()).isEqualTo(JobReport.SCHEDULED);
        assertThat(scheduled.sendAt()).isEqualTo(sendAt);
        assertThat(scheduled.started()).isNull();
        assertThat(scripts.streamLength(Lane.BULK)).isZero();
        assertThat(scripts.delayed.moveDue().count()).as("not due").isZero();
        assertThat(TestRedis.client().ttl(scripts.prefix + Keys.JOB + job.id())).as("kept until it ran").isEqualTo(-1);

        scripts.shift(Duration.ofHours(1).plusSeconds(1));
        assertThat(scripts.delayed.moveDue().count()).isEqualTo(1);
        assertThat(scripts.delayed.moveDue().count()).as("started once").isZero();

        var started = report(job.id());
        assertThat(started.state()).isEqualTo(JobReport.RUNNING);
        assertThat(started.started()).isAfterOrEqualTo(sendAt);
        assertThat(scripts.read(Lane.BULK, "a")).singleElement().satisfies(unit -> assertThat(unit.kind()).isEqualTo(Unit.Kind.WALK));
        assertThat(jobs.list(JobReport.RUNNING, 10, null).items()).extracting(JobReport::id).containsExactly(job.id());
        assertThat(jobs.list(JobReport.SCHEDULED, 10, null).items()).isEmpty();
    }

    @Test
    void aCancelledScheduledJobNeverStartsAndCancellingAgainFindsItCancelled() {
        var ids = scripts.subscribe(1);
        var job = job(new Audience.Listed(ids), new Plan(scripts.clock.now().plusSeconds(60), null, 0));
        jobs.accept(job, Optional.empty());

        assertThat(jobs.cancel(job.id())).isEqualTo(JobStore.Cancelled.NOW);
        assertThat(jobs.cancel(job.id())).isEqualTo(JobStore.Cancelled.BEFORE);
        scripts.shift(Duration.ofMinutes(2));
        var moved = scripts.delayed.moveDue(0);

        assertThat(moved.count()).as("its start was removed with the cancel").isZero();
        assertThat(moved.cancelled()).as("every instance reads the cancel").containsExactly(job.id());
        assertThat(scripts.streamLength(Lane.PRIORITY)).isZero();
        var report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.CANCELLED);
        assertThat(report.finished()).isNotNull();
        assertThat(report.sent()).isZero();
        assertThat(TestRedis.client().ttl(scripts.prefix + Keys.JOB + job.id())).as("expires like a finished job").isPositive();
        assertThat(jobs.list(JobReport.CANCELLED, 10, null).items()).extracting(JobReport::id).containsExactly(job.id());
        assertThat(jobs.cancel(UUID.randomUUID().toString())).isEqualTo(JobStore.Cancelled.MISSING);
    }

    @Test
    void aCancelledRunningJobCountsWhatWasSentQueuesNothingMoreAndADoneJobCannotBeCancelled() {
        var ids = scripts.subscribe(6);
        var job = job(new Audience.Listed(ids), Plan.immediate());
        jobs.accept(job, Optional.empty());
        var units = scripts.read(Lane.PRIORITY, "a");
        assertThat(units).hasSize(2);

        assertThat(jobs.cancel(job.id())).isEqualTo(JobStore.Cancelled.NOW);
        var tally = new Tally();
        tally.sent();
        tally.later(new Item(ids.get(1), 1), Duration.ofMillis(1));
        tally.now(new Item(ids.get(2), 0));
        scripts.settlement.settle(units.get(0), tally, "a");
        scripts.settlement.settle(units.get(1), new Tally(), "a");

        var report = report(job.id());
        assertThat(report.state()).as("stays cancelled when its last unit closes").isEqualTo(JobReport.CANCELLED);
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.pending()).as("never sent").isEqualTo(5);
        assertThat(scripts.delayedMembers()).as("no retry queued").isEmpty();
        assertThat(scripts.streamLength(Lane.PRIORITY)).as("nothing handed back").isZero();

        var done = job(new Audience.Listed(ids.subList(0, 1)), Plan.immediate());
        jobs.accept(done, Optional.empty());
        sendAll(scripts.read(Lane.PRIORITY, "a").get(0));
        assertThat(jobs.cancel(done.id())).isEqualTo(JobStore.Cancelled.FINISHED);
        assertThat(report(done.id()).state()).isEqualTo(JobReport.DONE);
    }

    @Test
    void aCancelledBroadcastsWalkCutsNothingMore() {
        scripts.subscribe(7);
        var job = job(Audience.everyone(), Plan.immediate());
        jobs.accept(job, Optional.empty());
        var walk = scripts.read(Lane.BULK, "a").get(0);

        jobs.cancel(job.id());
        scripts.settlement.walk(walk);

        assertThat(scripts.streamLength(Lane.BULK)).isZero();
        assertThat(report(job.id()).total()).isZero();
    }

    @Test
    void theListPagesThrough120JobsNewestFirstWithoutGapsOrDuplicatesAndFiltersByState() {
        var ids = scripts.subscribe(1);
        var made = new ArrayList<String>();
        for (int i = 0; i < 120; i++) {
            var job = job(new Audience.Listed(ids), i % 3 == 0 ? new Plan(scripts.clock.now().plusSeconds(600), null, 0) : Plan.immediate());
            jobs.accept(job, Optional.empty());
            made.add(job.id());
        }

        var seen = new ArrayList<JobReport>();
        JobPage.Position after = null;
        int pages = 0;
        do {
            var page = jobs.list(null, 50, after);
            seen.addAll(page.items());
            after = page.next() == null ? null : JobPage.Position.parse(page.next().cursor(), id -> true);
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).extracting(JobReport::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(made);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).created()).as("newest first").isBeforeOrEqualTo(seen.get(i - 1).created());
        }
        assertThat(jobs.list(JobReport.SCHEDULED, 200, null).items()).hasSize(40)
                .allSatisfy(report -> assertThat(report.state()).isEqualTo(JobReport.SCHEDULED));
        assertThat(jobs.list(JobReport.RUNNING, 200, null).items()).hasSize(80);
        assertThat(seen.get(0).title()).isEqualTo("Title");
        assertThat(seen.get(0).target()).isEqualTo("{\"subscriptions\":1}");
    }

    @Test
    void aFinishedJobLeavesTheListIndexesOnceItsRecordExpired() {
        var ids = scripts.subscribe(1);
        var job = job(new Audience.Listed(ids), Plan.immediate());
        jobs.accept(job, Optional.empty());
        sendAll(scripts.read(Lane.PRIORITY, "a").get(0));
        assertThat(jobs.list(JobReport.DONE, 10, null).items()).hasSize(1);

        // the record expires job-ttl after it finished: move the clock past that
        TestRedis.client().del(scripts.prefix + Keys.JOB + job.id());
        scripts.shift(Duration.ofDays(8));
        jobs.list(null, 10, null);

        for (String index : List.of("", ":done", ":expiry")) {
            assertThat(TestRedis.client().zcard(scripts.prefix + Keys.NOTIFICATIONS + index)).as("index" + index).isZero();
        }
    }

    @Test
    void aThrottledBroadcastIsCutAtItsRateAndItsNextStepWaitsInTheDelayedSet() {
        scripts.subscribe(7);
        // 120 a minute: a burst of 2, then one every 500 ms
        var job = job(Audience.everyone(), new Plan(null, null, 120));
        jobs.accept(job, Optional.empty());
        var walk = scripts.read(Lane.BULK, "a").get(0);

        scripts.settlement.walk(walk);

        // the walk runs up to 1 s ahead of the slots, so that a batch is ready when its slot comes
        var first = scripts.read(Lane.BULK, "a");
        assertThat(first).extracting(Unit::kind).containsExactly(Unit.Kind.BATCH, Unit.Kind.WALK);
        var burst = Throttle.Reservation.of(first.get(0), 120);
        assertThat(first.get(0).items()).as("ceil(120/60) ids").hasSize(2);
        assertThat(burst.slot(1) - burst.slot(0)).as("the burst").isZero();
        scripts.settlement.walk(first.get(1));
        var second = scripts.read(Lane.BULK, "a");
        assertThat(second).singleElement().satisfies(batch -> {
            var slots = Throttle.Reservation.of(batch, 120);
            assertThat(slots.slot(0) - burst.slot(0)).isEqualTo(500);
            assertThat(slots.slot(1) - burst.slot(0)).isEqualTo(1000);
        });
        assertThat(scripts.delayedMembers()).as("more than 1 s ahead: the next step waits")
                .singleElement().satisfies(member -> assertThat(member).startsWith("walk|bulk|" + job.id() + "|"));
        var report = report(job.id());
        assertThat(report.expectedEnd()).as("7 - 2 at once, then one every 500 ms").isEqualTo(report.started().plusMillis(5 * 500));
        assertThat(report.throttlePerMinute()).isEqualTo(120);
    }

    @Test
    void theLimiterGivesABurstOfItsCapacityThenOneSlotPerIntervalToWhoeverAsks() {
        String jobId = UUID.randomUUID().toString();
        // 600 a minute: capacity 10, then one every 100 ms
        var first = scripts.throttle.reserve(jobId, 600, 15);
        var second = scripts.throttle.reserve(jobId, 600, 30);

        assertThat(first.granted()).isEqualTo(15);
        var slots = new ArrayList<Long>();
        for (int i = 0; i < first.granted(); i++) {
            slots.add(first.slot(i) - first.cut());
        }
        assertThat(slots.subList(0, 10)).as("the burst").containsOnly(0L);
        assertThat(slots.subList(10, 15)).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(second.granted()).as("only what fits the 2-s horizon").isBetween(14, 16);
        assertThat(second.slot(0) - first.cut()).as("after the first one's, whoever asks").isBetween(590L, 610L);
        assertThat(second.nextFree()).isGreaterThan(second.slot(second.granted() - 1));
    }

    @Test
    void subscriptionsWaitingForTheirLocalTimeComeBackAsAWaitedBatchAndTheReportCountsThem() {
        var ids = scripts.subscribe(3);
        var job = job(new Audience.Listed(ids), new Plan(null, LocalTime.of(9, 0), 0));
        jobs.accept(job, Optional.empty());
        var unit = scripts.read(Lane.PRIORITY, "a").get(0);
        long due = scripts.clock.now().plus(Duration.ofHours(5)).toEpochMilli();
        var tally = new Tally();
        tally.sent();
        tally.waitUntil(new Item(ids.get(1), 0), due);
        tally.waitUntil(new Item(ids.get(2), 0), due);
        scripts.settlement.settle(unit, tally, "a");

        assertThat(report(job.id()).waiting()).isEqualTo(2);
        assertThat(report(job.id()).state()).isEqualTo(JobReport.RUNNING);
        assertThat(scripts.delayed.moveDue().count()).isZero();
        scripts.shift(Duration.ofHours(5));
        assertThat(scripts.delayed.moveDue().count()).isEqualTo(1);
        var waited = scripts.read(Lane.PRIORITY, "a");
        assertThat(waited).singleElement().satisfies(batch -> {
            assertThat(batch.waited()).isTrue();
            assertThat(batch.items()).extracting(Item::id).containsExactly(ids.get(1), ids.get(2));
        });
        sendAll(waited.get(0));

        var report = report(job.id());
        assertThat(report.waiting()).isZero();
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.sent()).isEqualTo(3);
        assertThat(report.localTime()).isEqualTo(LocalTime.of(9, 0));
    }

    @Test
    void aSendAtInThePastOrTooFarAheadByHeraldsClockStoresNothingButAReplayOfAnEarlierJobIsFound() {
        var ids = scripts.subscribe(1);
        var now = scripts.clock.now();
        var key = new dev.herald.fanout.entity.Idempotency(Keys.IDEMPOTENCY + "scope:key", "digest", Duration.ofHours(1));
        var scheduled = job(new Audience.Listed(ids), new Plan(now.plusSeconds(60), null, 0));
        jobs.accept(scheduled, Optional.of(key));

        var past = job(new Audience.Listed(ids), new Plan(now.minusSeconds(1), null, 0));
        var far = job(new Audience.Listed(ids), new Plan(now.plus(Duration.ofDays(31)), null, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs.accept(past, Optional.empty()))
                .isInstanceOf(JobStore.SendAtOutOfRange.class).hasMessageContaining("in the past");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs.accept(far, Optional.empty()))
                .isInstanceOf(JobStore.SendAtOutOfRange.class).hasMessageContaining("too far ahead");
        assertThat(jobs.report(past.id())).isEmpty();
        assertThat(jobs.report(far.id())).isEmpty();

        // the client retries after send_at passed: the same key finds the job it made
        scripts.shift(Duration.ofMinutes(2));
        var retry = job(new Audience.Listed(ids), new Plan(now.plusSeconds(60), null, 0));
        assertThat(jobs.accept(retry, Optional.of(key)).jobId()).isEqualTo(scheduled.id());
    }
}
