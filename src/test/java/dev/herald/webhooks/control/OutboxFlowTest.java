package dev.herald.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Removal;
import dev.herald.subscriptions.entity.Subscribing;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import dev.herald.webhooks.entity.Claim;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's scripts against the run's Redis, under a key prefix of this test's own: events are
 * written by the scripts that delete subscriptions, claimed with a lease, retried, and gone once
 * every target has them. Time moves by Herald's clock (the shift key), never by waiting.
 */
class OutboxFlowTest {

    static final String A = "http://127.0.0.1:1/a";
    static final String B = "http://127.0.0.1:1/b";
    static final Duration LEASE = Duration.ofSeconds(60);

    final String prefix = TestRedis.PREFIX + "outbox-" + UUID.randomUUID() + ":";
    Redis redis;
    SubscriptionStore store;
    Outbox outbox;

    @BeforeEach
    void connect() {
        redis = Redises.connect(prefix);
        store = Stores.on(redis);
        outbox = Outbox.on(redis);
    }

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    String subscribe(String user) {
        var subscriber = TestSubscriber.create();
        return store.upsert(new Subscribing(new Subscription(subscriber.endpoint(), null,
                new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret())), null, user, false, null)).id();
    }

    void shift(Duration by) {
        TestRedis.client().set(prefix + Keys.CLOCK_SHIFT, String.valueOf(by.toMillis()));
    }

    long outboxLength() {
        return TestRedis.client().exists(prefix + Keys.WEBHOOK_OUTBOX) ? TestRedis.client().xlen(prefix + Keys.WEBHOOK_OUTBOX) : 0;
    }

    @Test
    void withoutTargetsADeleteRecordsNoEvent() {
        outbox.publishTargets(List.of());
        String id = subscribe(null);

        assertThat(store.delete(id, Removal.UNSUBSCRIBED)).isTrue();

        assertThat(TestRedis.snapshot(prefix).keySet()).noneMatch(key -> key.startsWith(prefix + "webhooks:"));
    }

    @Test
    void eachDeletionRecordsOneEventWithItsReasonAndUserAndARepeatRecordsNone() {
        outbox.publishTargets(List.of(A));
        String plain = subscribe(null);
        String erased = subscribe("u-7");

        store.delete(plain, Removal.UNSUBSCRIBED);
        store.delete(plain, Removal.UNSUBSCRIBED);
        store.eraseUser("u-7");
        var claims = outbox.claim(10, LEASE).claims();

        assertThat(claims).extracting(Claim::type).containsExactly("subscription.removed", "subscription.removed");
        assertThat(claims).extracting(Claim::url).containsOnly(A);
        assertThat(claims).extracting(Claim::attempt).containsOnly(1);
        assertThat(json(claims.get(0).data())).isEqualTo(json("{\"subscription\":\"" + plain + "\",\"reason\":\"unsubscribed\"}"));
        assertThat(json(claims.get(1).data()))
                .isEqualTo(json("{\"subscription\":\"" + erased + "\",\"reason\":\"erased\",\"user\":\"u-7\"}"));
        assertThat(claims.get(0).eventId()).isNotEqualTo(claims.get(1).eventId());
    }

    @Test
    void aRenewedSubscriptionRecordsTheOneItReplacedAsReplaced() {
        outbox.publishTargets(List.of(A));
        String old = subscribe(null);
        var renewed = TestSubscriber.create();

        String id = store.upsert(new Subscribing(new Subscription(renewed.endpoint(), null,
                new Subscription.Keys(renewed.p256dh(), renewed.authSecret())), null, null, false, old)).id();

        assertThat(id).isNotEqualTo(old);
        assertThat(outbox.claim(10, LEASE).claims()).singleElement().satisfies(claim -> assertThat(json(claim.data()))
                .isEqualTo(json("{\"subscription\":\"" + old + "\",\"reason\":\"replaced\"}")));
    }

    @Test
    void aClaimIsLeasedAndComesDueAgainWhenItsLeaseEndsWithTheNextAttemptNumber() {
        outbox.publishTargets(List.of(A));
        store.delete(subscribe(null), Removal.UNSUBSCRIBED);

        var first = outbox.claim(10, LEASE);
        var meanwhile = outbox.claim(10, LEASE);
        shift(LEASE.plusSeconds(1));
        var afterTheLease = outbox.claim(10, LEASE).claims();

        assertThat(first.claims()).hasSize(1);
        assertThat(meanwhile.claims()).as("leased").isEmpty();
        assertThat(meanwhile.nextDueIn()).isBetween(LEASE.minusSeconds(2), LEASE);
        assertThat(afterTheLease).singleElement().satisfies(claim -> {
            assertThat(claim.eventId()).isEqualTo(first.claims().get(0).eventId());
            assertThat(claim.attempt()).isEqualTo(2);
        });
        assertThat(outbox.failed(first.claims().get(0), OptionalLong.of(0)))
                .as("the answer to the expired attempt changes nothing").isEqualTo(Outbox.Failed.NOT_CURRENT);
    }

    @Test
    void theBodyOfTheFirstAttemptIsKeptForEveryRetry() {
        outbox.publishTargets(List.of(A));
        store.delete(subscribe(null), Removal.UNSUBSCRIBED);
        var claim = outbox.claim(10, LEASE).claims().get(0);

        String kept = outbox.keepBody(claim, "{\"first\":1}");
        String again = outbox.keepBody(claim, "{\"second\":2}");
        outbox.failed(claim, OptionalLong.of(outbox.now()));
        var retry = outbox.claim(10, LEASE).claims().get(0);

        assertThat(kept).isEqualTo("{\"first\":1}");
        assertThat(again).isEqualTo(kept);
        assertThat(retry.body()).isEqualTo(kept);
        assertThat(retry.attempt()).isEqualTo(2);
    }

    @Test
    void aFailedAttemptWaitsForItsRetryAndTheEventGoesOnceEveryTargetHasIt() {
        outbox.publishTargets(List.of(A, B));
        store.delete(subscribe(null), Removal.UNSUBSCRIBED);
        var claims = outbox.claim(10, LEASE).claims();
        var toA = claims.stream().filter(claim -> claim.url().equals(A)).findFirst().orElseThrow();
        var toB = claims.stream().filter(claim -> claim.url().equals(B)).findFirst().orElseThrow();

        assertThat(outbox.delivered(toA)).isTrue();
        assertThat(outbox.delivered(toA)).as("a second answer closes nothing").isFalse();
        assertThat(outbox.failed(toB, OptionalLong.of(outbox.now() + 10_000))).isEqualTo(Outbox.Failed.RETRY_LATER);
        assertThat(outbox.claim(10, LEASE).claims()).as("not due yet").isEmpty();
        assertThat(outboxLength()).as("B does not have it yet").isEqualTo(1);
        shift(Duration.ofSeconds(11));
        var retry = outbox.claim(10, LEASE).claims();
        assertThat(retry).singleElement().satisfies(claim -> assertThat(claim.url()).isEqualTo(B));
        assertThat(outbox.delivered(retry.get(0))).isTrue();

        assertThat(outboxLength()).isZero();
        assertThat(TestRedis.client().zcard(prefix + Keys.WEBHOOK_DUE)).isZero();
        assertThat(TestRedis.client().exists(prefix + Keys.WEBHOOK_EVENT + toA.eventId())).isFalse();
        assertThat(TestRedis.client().hget(prefix + Keys.WEBHOOK_STATS, "delivered")).isEqualTo("2");
        assertThat(TestRedis.client().hget(prefix + Keys.WEBHOOK_STATS, "failed_attempts")).isEqualTo("1");
    }

    @Test
    void anEventGivenUpOnIsCountedAndGone() {
        outbox.publishTargets(List.of(A));
        store.delete(subscribe(null), Removal.UNSUBSCRIBED);
        var claim = outbox.claim(10, LEASE).claims().get(0);

        assertThat(outbox.failed(claim, OptionalLong.empty())).isEqualTo(Outbox.Failed.GIVEN_UP);

        assertThat(outboxLength()).isZero();
        assertThat(TestRedis.client().zcard(prefix + Keys.WEBHOOK_DUE)).isZero();
        assertThat(TestRedis.client().hget(prefix + Keys.WEBHOOK_STATS, "given_up")).isEqualTo("1");
    }

    static jakarta.json.JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
