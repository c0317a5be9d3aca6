package dev.herald.fanout.control;

import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.RedisClock;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The fan-out's control classes wired by hand over a real Redis, under a key prefix of the test's own
 * (deleted by close), for tests that drive its scripts step by step. shift(...) moves Herald's
 * clock (RedisClock) as a test may: the scripts then judge what is due by it.
 */
final class Scripts implements AutoCloseable {

    final String prefix = TestRedis.PREFIX + "scripts-" + UUID.randomUUID() + ":";
    final Redis redis = Redises.connect(prefix);
    final SubscriptionStore store = Stores.on(redis);
    final RedisClock clock = RedisClock.on(redis);
    final JobStore jobs = new JobStore();
    final Settlement settlement = new Settlement();
    final WorkStream streams = new WorkStream();
    final DelayedWork delayed = new DelayedWork();
    final Throttle throttle = new Throttle();
    final dev.herald.engagement.control.Engagement engagement = dev.herald.engagement.control.Engagement.on(redis, 10_000);
    final dev.herald.engagement.control.EventTokens tokens = dev.herald.engagement.control.EventTokens.on(redis);

    Scripts(int batchSize) {
        jobs.redis = redis;
        jobs.clock = clock;
        jobs.batchSize = batchSize;
        jobs.jobTtl = Duration.ofDays(7);
        jobs.maxAhead = Duration.ofDays(30);
        jobs.engagement = engagement;
        settlement.redis = redis;
        settlement.clock = clock;
        settlement.batchSize = batchSize;
        settlement.jobTtl = Duration.ofDays(7);
        settlement.maxFailureStreak = 10;
        settlement.staleAfter = Duration.ofDays(30);
        streams.redis = redis;
        delayed.redis = redis;
        delayed.clock = clock;
        throttle.redis = redis;
        throttle.clock = clock;
        for (Lane lane : Lane.values()) {
            streams.ensureGroup(lane);
        }
    }

    /** count new subscriptions, their ids sorted (the order a broadcast walks them). */
    List<String> subscribe(int count) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var subscriber = TestSubscriber.create();
            ids.add(store.upsert(new Subscription(subscriber.endpoint(), null,
                    new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()))).id());
        }
        return ids.stream().sorted().toList();
    }

    /** count new subscriptions in these channels for this user (null: none), their ids sorted. */
    List<String> subscribe(int count, List<String> channels, String user) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var subscriber = TestSubscriber.create();
            ids.add(store.upsert(new dev.herald.subscriptions.entity.Subscribing(new Subscription(subscriber.endpoint(), null,
                    new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret())), channels, user, false, null)).id());
        }
        return ids.stream().sorted().toList();
    }

    List<Unit> read(Lane lane, String consumer) {
        return streams.read(lane, consumer, 10, Duration.ofMillis(1));
    }

    long streamLength(Lane lane) {
        return TestRedis.client().xlen(prefix + Keys.STREAM + lane.key());
    }

    List<String> delayedMembers() {
        return TestRedis.client().zrange(prefix + Keys.DELAYED, 0, -1);
    }

    /** Moves Herald's clock by this much from Redis TIME, for every script and every reader of it. */
    void shift(Duration by) {
        TestRedis.client().set(prefix + Keys.CLOCK_SHIFT, String.valueOf(by.toMillis()));
    }

    @Override
    public void close() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }
}
