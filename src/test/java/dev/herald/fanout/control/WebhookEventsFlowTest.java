package dev.herald.fanout.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Job;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Plan;
import dev.herald.platform.control.Keys;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import dev.herald.testing.TestRedis;
import dev.herald.webhooks.control.Outbox;
import dev.herald.webhooks.entity.Claim;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out's scripts record their webhook events in the same step as the change, against a real
 * Redis: a job's end once (done or cancelled), and each removal a settle makes with its reason
 * (gone, expired, stale). A settle that finds its entry finished already records nothing.
 */
class WebhookEventsFlowTest {

    Scripts scripts;
    Outbox outbox;

    @BeforeEach
    void connect() {
        scripts = new Scripts(4);
        outbox = Outbox.on(scripts.redis);
        outbox.publishTargets(List.of("http://127.0.0.1:1/hook"));
    }

    @AfterEach
    void clean() {
        scripts.close();
    }

    static Job job(Audience audience, Plan plan) {
        return new Job(UUID.randomUUID().toString(), new Message("{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                PushOptions.ttl(60)), audience, "Title", plan, java.util.Map.of());
    }

    List<String> events() {
        return outbox.claim(100, Duration.ofMinutes(1)).claims().stream().map(WebhookEventsFlowTest::describe).toList();
    }

    /** "type subject reason" of an event. */
    static String describe(Claim claim) {
        try (var reader = Json.createReader(new StringReader(claim.data()))) {
            var data = reader.readObject();
            return claim.type() + " " + (data.containsKey("notification") ? data.getString("notification")
                    : data.getString("subscription") + " " + data.getString("reason"));
        }
    }

    @Test
    void aSettleThatEndsAJobRecordsItsRemovalsWithTheirReasonsAndTheJobDoneOnce() {
        var ids = scripts.subscribe(3);
        var job = job(new Audience.Listed(ids), Plan.immediate());
        scripts.jobs.accept(job, Optional.empty());
        var unit = scripts.read(Lane.PRIORITY, "a").get(0);
        var tally = new Tally();
        tally.succeeded(ids.get(0));
        tally.removed(ids.get(1), "HTTP 410");
        tally.removed(ids.get(2), "expired");

        scripts.settlement.settle(unit, tally, "a");
        long again = scripts.settlement.settle(unit, tally, "b");

        assertThat(again).isEqualTo(Settlement.NOT_PENDING);
        assertThat(events()).containsExactly("subscription.removed " + ids.get(1) + " gone",
                "subscription.removed " + ids.get(2) + " expired", "notification.done " + job.id());
    }

    @Test
    void aCancelRecordsOneNotificationCancelledAndARepeatNone() {
        var job = job(Audience.everyone(), new Plan(scripts.clock.now().plusSeconds(600), null, 0));
        scripts.jobs.accept(job, Optional.empty());

        scripts.jobs.cancel(job.id());
        scripts.jobs.cancel(job.id());

        assertThat(events()).containsExactly("notification.cancelled " + job.id());
    }

    @Test
    void aSubscriptionRemovedByTheFailureStreakRuleIsStale() {
        String id = scripts.subscribe(1).get(0);
        TestRedis.client().hset(scripts.prefix + Keys.SUBSCRIPTION + id, "f", "9");
        scripts.shift(Duration.ofDays(31));
        var job = job(new Audience.Listed(List.of(id)), Plan.immediate());
        scripts.jobs.accept(job, Optional.empty());
        var tally = new Tally();
        tally.failed(id, "HTTP 400");

        scripts.settlement.settle(scripts.read(Lane.PRIORITY, "a").get(0), tally, "a");

        assertThat(events()).containsExactly("subscription.removed " + id + " stale", "notification.done " + job.id());
    }

    @Test
    void withoutTargetsAJobEndsWithoutAnyEvent() {
        outbox.publishTargets(List.of());
        var ids = scripts.subscribe(1);
        var job = job(new Audience.Listed(ids), Plan.immediate());
        scripts.jobs.accept(job, Optional.empty());
        var tally = new Tally();
        tally.removed(ids.get(0), "HTTP 404");

        scripts.settlement.settle(scripts.read(Lane.PRIORITY, "a").get(0), tally, "a");

        assertThat(scripts.jobs.report(job.id()).orElseThrow().done()).isTrue();
        assertThat(TestRedis.snapshot(scripts.prefix).keySet()).noneMatch(key -> key.startsWith(scripts.prefix + "webhooks:"));
    }
}
