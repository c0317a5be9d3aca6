package dev.herald.subscriptions.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.time.ZoneId;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The subscription store's scripts against the run's Redis, under a key prefix of this test's own. */
class SubscriptionStoreTest {

    final String prefix = TestRedis.PREFIX + "store-" + UUID.randomUUID() + ":";
    Redis redis;
    SubscriptionStore store;

    @BeforeEach
    void connect() {
        redis = Redises.connect(prefix);
        store = Stores.on(redis);
    }

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    @Test
    void idsAreASortedSetThatTheUpsertAndTheDeleteKeepInStepWithTheRecords() {
        var subscriber = TestSubscriber.create();
        var subscription = new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()));

        var created = store.upsert(subscription);
        var again = store.upsert(subscription);

        assertThat(created.created()).isTrue();
        assertThat(again).isEqualTo(new SubscriptionStore.Upserted(created.id(), false));
        assertThat(TestRedis.client().zscore(prefix + Keys.SUBSCRIPTIONS, created.id())).isZero();
        assertThat(store.load(java.util.List.of(created.id(), UUID.randomUUID().toString())))
                .satisfies(records -> assertThat(records.get(1)).isNull())
                .first().asString().contains(subscriber.endpoint());

        assertThat(store.delete(created.id())).isTrue();
        assertThat(TestRedis.client().exists(prefix + Keys.SUBSCRIPTIONS)).as("the last id went with it").isFalse();
        assertThat(TestRedis.client().hlen(prefix + Keys.BY_ENDPOINT)).isZero();
        assertThat(store.find(created.id())).isEmpty();
    }

    @Test
    void theTimeZoneSurvivesTheUpsertAndTheFindAndARenewalReplacesIt() {
        var subscriber = TestSubscriber.create();
        var keys = new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret());

        String id = store.upsert(new Subscription(subscriber.endpoint(), null, keys, "Europe/Berlin")).id();
        assertThat(store.find(id)).get().satisfies(found -> {
            assertThat(found.timezone()).isEqualTo("Europe/Berlin");
            assertThat(found.zone()).contains(ZoneId.of("Europe/Berlin"));
        });

        store.upsert(new Subscription(subscriber.endpoint(), null, keys, "Mars/Olympus"));
        assertThat(store.find(id)).get().satisfies(found -> {
            assertThat(found.timezone()).as("kept as given").isEqualTo("Mars/Olympus");
            assertThat(found.zone()).as("unknown to Java").isEmpty();
        });

        store.upsert(new Subscription(subscriber.endpoint(), null, keys));
        assertThat(store.find(id)).get().extracting(Subscription::timezone).as("a renewal without a zone has none").isNull();
    }

    @Test
    void theIdSetOfAnOlderVersionBecomesTheSortedSetInOneStep() {
        String key = prefix + Keys.SUBSCRIPTIONS;
        var ids = IntStream.range(0, 7000).mapToObj(i -> UUID.randomUUID().toString()).toList();
        for (int from = 0; from < ids.size(); from += 1000) {
            TestRedis.client().sadd(key, ids.subList(from, from + 1000).toArray(String[]::new));
        }

        assertThat(store.migrate()).isEqualTo(7000);

        assertThat(TestRedis.client().type(key)).isEqualTo("zset");
        assertThat(TestRedis.client().zrange(key, 0, -1)).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(store.migrate()).as("nothing to do the second time").isEqualTo(-1);
    }
}
