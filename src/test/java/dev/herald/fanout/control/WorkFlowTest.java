package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Idempotency;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.JobReport;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.platform.control.Keys;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamConsumerInfo;

/**
 * The fan-out's Redis scripts against a real Redis, under a key prefix of this test's own: cutting
 * a broadcast into batches, counting each subscription once whoever finishes its batch, retries
 * that wait in the delayed set, dead letters, and that nothing is left behind. Time is never
 * waited for: a take-over uses a minimum idle time of zero, a due time is set in the data.
 */
class WorkFlowTest {

    static final int BATCH = 3;
    Scripts scripts;
    String prefix;
    SubscriptionStore store;
    JobStore jobs;
    Settlement settlement;
    WorkStream streams;
    DelayedWork delayed;

    @BeforeEach
    void connect() {
        scripts = new Scripts(BATCH);
        prefix = scripts.prefix;
        store = scripts.store;
        jobs = scripts.jobs;
        settlement = scripts.settlement;
        streams = scripts.streams;
        delayed = scripts.delayed;
    }

    @AfterEach
    void clean() {
        scripts.close();
    }

    List<String> subscribe(int count) {
        return scripts.subscribe(count);
    }

    static Job job(Audience audience) {
        return new Job(UUID.randomUUID().toString(), new Message("{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                PushOptions.ttl(60)), audience);
    }

    List<Unit> read(Lane lane, String consumer) {
        return scripts.read(lane, consumer);
    }

    JobReport report(String id) {
        return jobs.report(id).orElseThrow();
    }

    long streamLength(Lane lane) {
        return scripts.streamLength(lane);
    }

    /** Settles a batch as if every push had been sent. */
    long sendAll(Unit unit, String consumer) {
        var tally = new Tally();
        unit.items().forEach(item -> tally.sent());
        return settlement.settle(unit, tally, consumer);
    }

    @Test
    void aBroadcastIsWalkedInIdOrderOneBatchPerStepUntilTheLastIdAndThenIsDone() {
        var ids = subscribe(7);
        var job = job(Audience.everyone());
        assertThat(jobs.accept(job, Optional.empty())).satisfies(accepted -> assertThat(accepted.replayed()).isFalse());
        assertThat(report(job.id()).total()).isZero();

        var cut = new ArrayList<String>();
        List<Unit> units;
        while (!(units = read(Lane.BULK, "a")).isEmpty()) {
            for (Unit unit : units) {
                if (unit.kind() == Unit.Kind.WALK) {
                    settlement.walk(unit);
                } else {
                    assertThat(unit.items()).hasSizeLessThanOrEqualTo(BATCH);
                    unit.items().forEach(item -> cut.add(item.id()));
                    sendAll(unit, "a");
                }
            }
        }

        assertThat(cut).as("every id once, in order").containsExactlyElementsOf(ids);
        var report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.total()).isEqualTo(7);
        assertThat(report.sent()).isEqualTo(7);
        assertThat(report.pending()).isZero();
        assertThat(report.deliveredBy()).containsEntry("a", 7L);
        assertThat(streamLength(Lane.BULK)).as("acked entries are deleted with their ack").isZero();
    }

    @Test
    void aBroadcastWithNobodyToReachIsDoneAfterItsFirstStep() {
        var job = job(Audience.everyone());
        jobs.accept(job, Optional.empty());

        var walk = read(Lane.BULK, "a");
        assertThat(walk).singleElement().satisfies(unit -> assertThat(unit.kind()).isEqualTo(Unit.Kind.WALK));
        assertThat(settlement.walk(walk.get(0))).isZero();

        assertThat(report(job.id()).state()).isEqualTo(JobReport.DONE);
        assertThat(read(Lane.BULK, "a")).isEmpty();
    }

    @Test
    void listedSubscriptionsAreCutIntoBatchesAtOnceOnThePriorityLaneAndCountedInTotal() {
        var ids = subscribe(5);
        var job = job(new Audience.Listed(ids));

        jobs.accept(job, Optional.empty());

        assertThat(report(job.id()).total()).isEqualTo(5);
        var units = read(Lane.PRIORITY, "a");
        assertThat(units).extracting(unit -> unit.items().size()).containsExactly(3, 2);
        assertThat(read(Lane.BULK, "a")).isEmpty();
        assertThat(units.stream().flatMap(unit -> unit.items().stream()).map(Item::id)).containsExactlyElementsOf(ids);
    }

    @Test
    void aBatchTakenOverAfterACrashIsCountedOnceWhoeverFinishesIt() {
        var ids = subscribe(3);
        var job = job(new Audience.Listed(ids));
        jobs.accept(job, Optional.empty());
        var first = read(Lane.PRIORITY, "crashed").get(0);

        // "crashed" stops answering: "b" takes its batch over (no idle time needed for the test)
        var taken = streams.reclaim(Lane.PRIORITY, "b", Duration.ZERO, 10);
        assertThat(taken).singleElement().satisfies(unit -> {
            assertThat(unit.entryId()).isEqualTo(first.entryId());
            assertThat(unit.deliveries()).isEqualTo(2);
        });
        assertThat(streams.renew(Lane.PRIORITY, "crashed", List.of(first.entryId()))).as("the old holder lost its lease")
                .containsExactly(first.entryId());
        assertThat(streams.renew(Lane.PRIORITY, "b", List.of(first.entryId()))).isEmpty();

        assertThat(sendAll(taken.get(0), "b")).isZero();
        assertThat(sendAll(first, "crashed")).as("the second finisher writes nothing").isEqualTo(Settlement.NOT_PENDING);

        var report = report(job.id());
        assertThat(report.total()).isEqualTo(3);
        assertThat(report.sent()).isEqualTo(3);
        assertThat(report.deliveredBy()).containsOnlyKeys("b");
        assertThat(report.state()).isEqualTo(JobReport.DONE);
    }

    @Test
    void outcomesRemovalsAndRetriesOfOneBatchAreWrittenTogetherAndTheRetryComesBackWhenDue() {
        var ids = subscribe(5);
        var job = job(new Audience.Listed(ids.subList(0, 3)));
        jobs.accept(job, Optional.empty());
        var unit = read(Lane.PRIORITY, "a").get(0);
        var tally = new Tally();
        tally.sent();
        tally.removed(ids.get(1));
        tally.later(new Item(ids.get(2), 1), Duration.ofSeconds(30));

        assertThat(settlement.settle(unit, tally, "a")).as("the retry keeps the job open").isEqualTo(1);

        var report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.RUNNING);
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.removed()).isEqualTo(1);
        assertThat(report.pending()).isEqualTo(1);
        assertThat(store.find(ids.get(1))).as("a gone subscription is removed with its indexes").isEmpty();
        assertThat(TestRedis.client().zscore(prefix + Keys.SUBSCRIPTIONS, ids.get(1))).isNull();
        assertThat(TestRedis.client().hvals(prefix + Keys.BY_ENDPOINT)).doesNotContain(ids.get(1));
        assertThat(delayed.moveDue().count()).as("not due yet").isZero();

        // make it due (the set is scored by Redis TIME in ms): no waiting
        String member = TestRedis.client().zrange(prefix + Keys.DELAYED, 0, -1).get(0);
        TestRedis.client().zadd(prefix + Keys.DELAYED, 0, member);
        assertThat(delayed.moveDue().count()).isEqualTo(1);
        var retry = read(Lane.PRIORITY, "a");
        assertThat(retry).singleElement().satisfies(again -> assertThat(again.items()).containsExactly(new Item(ids.get(2), 1)));
        var last = new Tally();
        last.failed("HTTP 400");
        assertThat(settlement.settle(retry.get(0), last, "a")).isZero();

        report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.failures()).containsEntry("HTTP 400", 1L);
        assertThat(report.total()).isEqualTo(report.sent() + report.removed() + report.failed());
        assertThat(TestRedis.client().zcard(prefix + Keys.DELAYED)).isZero();
    }

    @Test
    void aBroadcastsIdThatWasUnsubscribedMeanwhileIsNotCountedAsReached() {
        subscribe(2);
        var job = job(Audience.everyone());
        jobs.accept(job, Optional.empty());
        settlement.walk(read(Lane.BULK, "a").get(0));
        var batch = read(Lane.BULK, "a").get(0);
        var tally = new Tally();
        tally.sent();
        tally.missing();

        settlement.settle(batch, tally, "a");

        var report = report(job.id());
        assertThat(report.total()).isEqualTo(1);
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.pending()).isZero();
    }

    @Test
    void handingBackQueuesTheRestAsANewEntryInTheSameStep() {
        var ids = subscribe(3);
        var job = job(new Audience.Listed(ids));
        jobs.accept(job, Optional.empty());
        var unit = read(Lane.PRIORITY, "stopping").get(0);
        var tally = new Tally();
        tally.sent();
        tally.now(new Item(ids.get(1), 0));
        tally.now(new Item(ids.get(2), 2));

        assertThat(settlement.settle(unit, tally, "stopping")).isEqualTo(1);

        var rest = read(Lane.PRIORITY, "other");
        assertThat(rest).singleElement().satisfies(again -> {
            assertThat(again.items()).containsExactly(new Item(ids.get(1), 0), new Item(ids.get(2), 2));
            assertThat(again.deliveries()).isEqualTo(1);
        });
        assertThat(report(job.id()).pending()).isEqualTo(2);
    }

    @Test
    void aDeadLetteredBatchEndsTheJobWithItsSubscriptionsFailedForTheReason() {
        var ids = subscribe(3);
        var job = job(new Audience.Listed(ids));
        jobs.accept(job, Optional.empty());
        var unit = read(Lane.PRIORITY, "a").get(0);

        assertThat(settlement.deadLetter(unit, "given up")).isZero();

        var report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.failed()).isEqualTo(3);
        assertThat(report.failures()).containsExactly(java.util.Map.entry("given up", 3L));
        var dead = TestRedis.client().xrange(prefix + Keys.DEAD_LETTERS, (StreamEntryID) null, null);
        assertThat(dead).singleElement().satisfies(entry -> {
            assertThat(entry.getFields()).containsEntry("job", job.id()).containsEntry("reason", "given up").containsEntry("lane", "priority");
            assertThat(entry.getFields().get("ids")).isEqualTo(String.join(" ", ids));
        });
        assertThat(streamLength(Lane.PRIORITY)).isZero();
    }

    @Test
    void aDeadLetteredWalkStepCountsTheRestOfTheBroadcastAsFailed() {
        subscribe(5);
        var job = job(Audience.everyone());
        jobs.accept(job, Optional.empty());
        settlement.walk(read(Lane.BULK, "a").get(0));
        var units = read(Lane.BULK, "a");
        var batch = units.stream().filter(unit -> unit.kind() == Unit.Kind.BATCH).findFirst().orElseThrow();
        var walk = units.stream().filter(unit -> unit.kind() == Unit.Kind.WALK).findFirst().orElseThrow();

        settlement.deadLetter(walk, "given up");
        sendAll(batch, "a");

        var report = report(job.id());
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.total()).isEqualTo(5);
        assertThat(report.sent()).isEqualTo(3);
        assertThat(report.failed()).isEqualTo(2);
    }

    @Test
    void theJobRecordExpiresOnlyOnceTheJobIsDone() {
        var ids = subscribe(1);
        var job = job(new Audience.Listed(ids));
        jobs.accept(job, Optional.empty());
        assertThat(TestRedis.client().ttl(prefix + Keys.JOB + job.id())).as("waiting: no expiry").isEqualTo(-1);

        var unit = read(Lane.PRIORITY, "a").get(0);
        var tally = new Tally();
        tally.failed("HTTP 400");
        settlement.settle(unit, tally, "a");

        assertThat(TestRedis.client().ttl(prefix + Keys.JOB + job.id())).isBetween(Duration.ofDays(7).toSeconds() - 60, Duration.ofDays(7).toSeconds());
        assertThat(TestRedis.client().ttl(prefix + Keys.JOB + job.id() + Keys.FAILURES)).isPositive();
        assertThat(report(job.id()).finished()).isNotNull();
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameJobAndAnotherBodyIsToldApart() {
        var ids = subscribe(1);
        var key = new Idempotency(Keys.IDEMPOTENCY + "scope:key", "body-digest", Duration.ofHours(24));
        var first = job(new Audience.Listed(ids));

        var accepted = jobs.accept(first, Optional.of(key));
        var again = jobs.accept(job(new Audience.Listed(ids)), Optional.of(key));
        var other = jobs.accept(job(new Audience.Listed(ids)), Optional.of(new Idempotency(key.key(), "other-digest", key.ttl())));

        assertThat(accepted.jobId()).isEqualTo(first.id());
        assertThat(again.jobId()).isEqualTo(first.id());
        assertThat(again.replayed()).isTrue();
        assertThat(again.sameBody()).isTrue();
        assertThat(other.jobId()).isEqualTo(first.id());
        assertThat(other.sameBody()).isFalse();
        assertThat(streamLength(Lane.PRIORITY)).as("one job's work only").isEqualTo(1);
        assertThat(TestRedis.client().pttl(prefix + key.key())).isBetween(Duration.ofHours(24).toMillis() - 60_000, Duration.ofHours(24).toMillis());
    }

    @Test
    void consumersWithNothingPendingAreForgottenAndOnesHoldingWorkAreKept() {
        var ids = subscribe(1);
        jobs.accept(job(new Audience.Listed(ids)), Optional.empty());
        jobs.accept(job(new Audience.Listed(ids)), Optional.empty());
        streams.read(Lane.PRIORITY, "holding", 1, Duration.ofMillis(1));
        sendAll(streams.read(Lane.PRIORITY, "idle", 1, Duration.ofMillis(1)).get(0), "idle");

        var forgotten = streams.forgetGone(Lane.PRIORITY, Duration.ZERO);

        assertThat(forgotten).containsExactly("idle");
        assertThat(TestRedis.client().xinfoConsumers2(prefix + Keys.STREAM + "priority", Keys.GROUP))
                .extracting(StreamConsumerInfo::getName).containsExactly("holding");
    }
}
