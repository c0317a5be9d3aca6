package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.JobReport;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Plan;
import dev.herald.fanout.entity.Unit;
import dev.herald.platform.control.Keys;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
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

/**
 * Audiences in the scripts, against a real Redis: a union of channels, users and ids is walked
 * once per subscription, a dry run counts the same, and the failure-streak rule removes a
 * subscription only after max-failure-streak failures that may be its fault and stale-after
 * without a success, by Herald's clock (moved, not waited for).
 */
class AudienceFlowTest {

    Scripts scripts;

    @BeforeEach
    void connect() {
        scripts = new Scripts(4);
    }

    @AfterEach
    void clean() {
        scripts.close();
    }

    static Job job(Audience audience) {
        return new Job(UUID.randomUUID().toString(), new Message("{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                PushOptions.ttl(60)), audience, "Title", Plan.immediate(), java.util.Map.of());
    }

    /** Walks the job's broadcast to its end; the ids of its batches in order. */
    List<String> walkAll(String consumer) {
        var cut = new ArrayList<String>();
        List<Unit> units;
        while (!(units = scripts.read(Lane.BULK, consumer)).isEmpty()) {
            for (Unit unit : units) {
                if (unit.kind() == Unit.Kind.WALK) {
                    scripts.settlement.walk(unit);
                } else {
                    unit.items().forEach(item -> cut.add(item.id()));
                    var tally = new Tally();
                    unit.items().forEach(item -> tally.succeeded(item.id()));
                    scripts.settlement.settle(unit, tally, consumer);
                }
            }
        }
        return cut;
    }

    @Test
    void aUnionOfAChannelTwoUsersAndIdsReachesEachSubscriptionOnceAndTheDryRunCountsTheSame() {
        var news = scripts.subscribe(6, List.of("news"), null);
        var alice = scripts.subscribe(3, List.of("news"), "alice");
        var bob = scripts.subscribe(2, List.of(), "bob");
        var others = scripts.subscribe(5);
        var listed = new ArrayList<>(others.subList(0, 3));
        listed.add(news.get(0));
        listed.add(UUID.randomUUID().toString());
        var audience = new Audience.Union(List.of("news"), List.of("alice", "bob", "nobody"), listed);
        var expected = new java.util.TreeSet<String>();
        expected.addAll(news);
        expected.addAll(alice);
        expected.addAll(bob);
        expected.addAll(others.subList(0, 3));

        long reach = scripts.jobs.reach(audience);
        var job = job(audience);
        scripts.jobs.accept(job, Optional.empty());
        var cut = walkAll("a");

        assertThat(reach).isEqualTo(expected.size());
        assertThat(cut).as("each once, in id order").containsExactlyElementsOf(expected);
        var report = scripts.jobs.report(job.id()).orElseThrow();
        assertThat(report.state()).isEqualTo(JobReport.DONE);
        assertThat(report.sent()).isEqualTo(expected.size());
        assertThat(report.failures()).as("the listed id without a record").containsEntry("unknown subscription", 1L);
        assertThat(report.total()).isEqualTo(expected.size() + 1);
        assertThat(report.target()).isEqualTo("{\"channels\":[\"news\"],\"users\":3,\"subscriptions\":5}");
        assertThat(TestRedis.client().exists(scripts.prefix + Keys.JOB + job.id() + ":audience")).as("dropped when walked").isFalse();
        assertThat(TestRedis.client().keys(scripts.prefix + Keys.JOB + "reach:*")).as("the dry run leaves nothing").isEmpty();
        assertThat(scripts.jobs.reach(Audience.everyone())).isEqualTo(16);
        assertThat(scripts.jobs.reach(new Audience.Listed(listed))).isEqualTo(4);
    }

    @Test
    void aChannelBroadcastReachesExactlyItsMembers() {
        var members = scripts.subscribe(9, List.of("offers"), null);
        scripts.subscribe(20);

        var job = job(new Audience.Union(List.of("offers"), List.of(), List.of()));
        scripts.jobs.accept(job, Optional.empty());

        assertThat(walkAll("a")).containsExactlyElementsOf(members);
        assertThat(scripts.jobs.report(job.id()).orElseThrow().total()).isEqualTo(9);
    }

    /** One delivery of a listed job to id that fails for good with reason, at the clock as it is. */
    void failOnce(String id, String reason) {
        var job = job(new Audience.Listed(List.of(id)));
        scripts.jobs.accept(job, Optional.empty());
        var unit = scripts.read(Lane.PRIORITY, "a").get(0);
        var tally = new Tally();
        tally.failed(id, reason);
        scripts.settlement.settle(unit, tally, "a");
    }

    @Test
    void tenFailuresThatMayBeItsFaultOver31DaysRemoveASubscriptionAsStaleButOnesOfOurSetupNever() {
        String failing = scripts.subscribe(1).get(0);
        String refused = scripts.subscribe(1).get(0);
        for (int day = 0; day <= 27; day += 3) {
            scripts.shift(Duration.ofDays(day));
            failOnce(failing, "HTTP 400");
            failOnce(refused, "HTTP 403");
        }
        assertThat(scripts.store.findStored(failing)).as("10 in a row, but only 27 days without a success")
                .get().satisfies(stored -> assertThat(stored.failureStreak()).isEqualTo(10));

        scripts.shift(Duration.ofDays(31));
        var job = job(new Audience.Listed(List.of(failing)));
        scripts.jobs.accept(job, Optional.empty());
        var tally = new Tally();
        tally.failed(failing, "HTTP 400");
        scripts.settlement.settle(scripts.read(Lane.PRIORITY, "a").get(0), tally, "a");
        failOnce(refused, "HTTP 403");
        String recent = scripts.subscribe(1).get(0);
        for (int i = 0; i < 12; i++) {
            failOnce(recent, "transport failure: timeout");
        }

        assertThat(scripts.store.findStored(failing)).as("removed").isEmpty();
        var report = scripts.jobs.report(job.id()).orElseThrow();
        assertThat(report.removed()).isEqualTo(1);
        assertThat(report.failed()).isZero();
        assertThat(report.removals()).containsEntry("stale", 1L);
        assertThat(report.failures()).doesNotContainKey("HTTP 400");
        assertThat(scripts.store.findStored(refused)).as("401/403 are our VAPID setup, never its fault")
                .get().satisfies(stored -> assertThat(stored.failureStreak()).isZero());
        assertThat(scripts.store.findStored(recent)).as("12 timeouts, but made today")
                .get().satisfies(stored -> assertThat(stored.failureStreak()).isEqualTo(12));
    }

    @Test
    void aSuccessResetsTheStreakAndRecordsWhen() {
        String id = scripts.subscribe(1).get(0);
        failOnce(id, "HTTP 500");
        var job = job(new Audience.Listed(List.of(id)));
        scripts.jobs.accept(job, Optional.empty());
        var tally = new Tally();
        tally.succeeded(id);
        scripts.settlement.settle(scripts.read(Lane.PRIORITY, "a").get(0), tally, "a");

        assertThat(scripts.store.findStored(id)).get().satisfies(stored -> {
            assertThat(stored.failureStreak()).isZero();
            assertThat(stored.lastSuccess()).isNotNull();
        });
    }
}
