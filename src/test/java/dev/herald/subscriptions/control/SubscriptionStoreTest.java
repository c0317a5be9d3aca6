package dev.herald.subscriptions.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.entity.Removal;
import dev.herald.subscriptions.entity.Subscribing;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
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
                .first().satisfies(fields -> assertThat(fields).containsExactly(subscriber.endpoint(),
                        subscriber.p256dh() + "." + subscriber.authSecret(), null, null, store.vapid.current().fingerprint()));

        assertThat(store.delete(created.id(), Removal.UNSUBSCRIBED)).isTrue();
        assertThat(TestRedis.client().exists(prefix + Keys.SUBSCRIPTIONS)).as("the last id went with it").isFalse();
        assertThat(TestRedis.client().hlen(prefix + Keys.BY_ENDPOINT)).isZero();
        assertThat(store.find(created.id())).isEmpty();
    }

    @Test
    void theTimeZoneSurvivesTheUpsertAndTheFindAndARenewalThatNamesNoneKeepsIt() {
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
        assertThat(store.find(id)).get().extracting(Subscription::timezone).as("a renewal that names no zone keeps it").isEqualTo("Mars/Olympus");
        store.upsert(new Subscribing(new Subscription(subscriber.endpoint(), null, keys), null, null, true, null));
        assertThat(store.find(id)).get().extracting(Subscription::timezone).as("one that names none (null) clears it").isNull();
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

    Subscription subscription() {
        var subscriber = TestSubscriber.create();
        return new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()));
    }

    java.util.Set<String> members(String key) {
        return "set".equals(TestRedis.client().type(prefix + key)) ? TestRedis.client().smembers(prefix + key)
                : new java.util.HashSet<>(TestRedis.client().zrange(prefix + key, 0, -1));
    }

    String counter(String field) {
        return TestRedis.client().hget(prefix + Keys.AUDIENCE, field);
    }

    @Test
    void channelsAndTheUserMoveWithTheRecordAndAResubscribeThatNamesThemNotKeepsThem() {
        var subscription = subscription();
        String id = store.upsert(new Subscribing(subscription, List.of("news", "offers"), "u-42", false, null)).id();

        assertThat(members(Keys.CHANNEL + "news")).containsExactly(id);
        assertThat(members(Keys.CHANNEL + "offers")).containsExactly(id);
        assertThat(members(Keys.USER + "u-42")).containsExactly(id);
        assertThat(counter("users")).isEqualTo("1");
        assertThat(counter("host:fcm.googleapis.com")).isEqualTo("1");

        store.upsert(subscription);
        assertThat(store.findStored(id)).get().satisfies(stored -> {
            assertThat(stored.channels()).containsExactly("news", "offers");
            assertThat(stored.user()).isEqualTo("u-42");
            assertThat(stored.created()).isNotNull();
            assertThat(stored.failureStreak()).isZero();
        });

        assertThat(store.setChannels(id, List.of("offers"))).isTrue();
        assertThat(members(Keys.CHANNEL + "news")).isEmpty();
        assertThat(store.setUser(id, "u-43")).isTrue();
        assertThat(members(Keys.USER + "u-43")).containsExactly(id);
        assertThat(TestRedis.client().exists(prefix + Keys.USER + "u-42")).isFalse();
        assertThat(counter("users")).isEqualTo("1");
        assertThat(store.setChannels(UUID.randomUUID().toString(), List.of())).as("unknown id").isFalse();

        assertThat(store.delete(id, Removal.UNSUBSCRIBED)).isTrue();
        assertThat(members(Keys.CHANNEL + "offers")).isEmpty();
        assertThat(members(Keys.USER + "u-43")).isEmpty();
        assertThat(counter("users")).as("a counter at 0 goes").isNull();
        assertThat(counter("host:fcm.googleapis.com")).isNull();
    }

    @Test
    void aRenewedSubscriptionTakesTheChannelsUserAndHealthOfTheOneItReplacesWhichIsRemoved() {
        var old = subscription();
        String oldId = store.upsert(new Subscribing(old, List.of("news"), "u-1", false, null)).id();
        var created = store.findStored(oldId).orElseThrow().created();

        String newId = store.upsert(new Subscribing(subscription(), null, null, false, oldId, true)).id();
        var ignored = store.upsert(new Subscribing(subscription(), null, null, false, UUID.randomUUID().toString()));

        assertThat(newId).isNotEqualTo(oldId);
        assertThat(store.findStored(oldId)).isEmpty();
        assertThat(store.findStored(newId)).get().satisfies(stored -> {
            assertThat(stored.channels()).containsExactly("news");
            assertThat(stored.user()).isEqualTo("u-1");
            assertThat(stored.created()).isEqualTo(created);
        });
        assertThat(members(Keys.CHANNEL + "news")).containsExactly(newId);
        assertThat(members(Keys.USER + "u-1")).containsExactly(newId);
        assertThat(ignored.created()).as("replacing an unknown id is ignored").isTrue();
        assertThat(counter("users")).isEqualTo("1");
        assertThat(TestRedis.client().zcard(prefix + Keys.SUBSCRIPTIONS)).isEqualTo(2);
    }

    @Test
    void aRenewalWithoutTheApiTokenKeepsTheChannelsButNotTheUserTheOldIdIsPublic() {
        String oldId = store.upsert(new Subscribing(subscription(), List.of("news"), "u-2", false, null)).id();

        String newId = store.upsert(new Subscribing(subscription(), null, null, false, oldId, false)).id();

        assertThat(store.findStored(newId)).get().satisfies(stored -> {
            assertThat(stored.channels()).containsExactly("news");
            assertThat(stored.user()).isNull();
        });
        assertThat(members(Keys.USER + "u-2")).isEmpty();
        assertThat(counter("users")).isNull();
    }

    @Test
    void aLongEndpointIsKeptWholeInPiecesAndTheRecordStaysCompact() {
        var keys = new Subscription.Keys(TestSubscriber.create().p256dh(), "AAAAAAAAAAAAAAAAAAAAAA");
        String endpoint = "https://fcm.googleapis.com/fcm/send/" + "x".repeat(600);
        String id = store.upsert(new Subscription(endpoint, null, keys)).id();
        assertThat(store.find(id)).get().extracting(Subscription::endpoint).isEqualTo(endpoint);
        assertThat(store.load(List.of(id)).get(0).get(0)).isEqualTo(endpoint);
        assertThat(TestRedis.client().hkeys(prefix + Keys.SUBSCRIPTION + id)).contains("e11").doesNotContain("e12");
        assertThat(TestRedis.client().objectEncoding(prefix + Keys.SUBSCRIPTION + id)).isEqualTo("listpack");
    }

    @Test
    void erasingAUserRemovesEveryOneOfTheirSubscriptionsWithEveryIndex() {
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            ids.add(store.upsert(new Subscribing(subscription(), List.of("news"), "u-9", false, null)).id());
        }
        String other = store.upsert(new Subscribing(subscription(), List.of("news"), "u-10", false, null)).id();

        assertThat(store.userSubscriptions("u-9")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.eraseUser("u-9")).isEqualTo(3);
        assertThat(store.eraseUser("nobody")).isZero();

        assertThat(members(Keys.CHANNEL + "news")).containsExactly(other);
        assertThat(members(Keys.SUBSCRIPTIONS)).containsExactly(other);
        assertThat(TestRedis.client().hvals(prefix + Keys.BY_ENDPOINT)).containsExactly(other);
        assertThat(counter("users")).isEqualTo("1");
        assertThat(counter("host:fcm.googleapis.com")).isEqualTo("1");
        for (String id : ids) {
            assertThat(TestRedis.client().exists(prefix + Keys.SUBSCRIPTION + id)).isFalse();
        }
    }

    @Test
    void recordsOfTheOldLayoutAreConvertedOnceAndTheirEndpointStillFindsThem() {
        var subscription = new Subscription(TestSubscriber.create().endpoint(), 1_900_000_000_000L,
                new Subscription.Keys(TestSubscriber.create().p256dh(), "AAAAAAAAAAAAAAAAAAAAAA"), "Asia/Tokyo");
        String id = UUID.randomUUID().toString();
        String hex = java.util.HexFormat.of().formatHex(sha256(subscription.endpoint()));
        TestRedis.client().hset(prefix + Keys.SUBSCRIPTION + id, Map.of("subscription", subscription.toJson().build().toString(), "endpoint", hex));
        TestRedis.client().hset(prefix + Keys.BY_ENDPOINT, hex, id);
        TestRedis.client().zadd(prefix + Keys.SUBSCRIPTIONS, 0, id);

        assertThat(store.convertRecords()).isEqualTo(1);
        assertThat(store.convertRecords()).as("once").isZero();

        assertThat(store.find(id)).contains(subscription);
        assertThat(TestRedis.client().hkeys(prefix + Keys.SUBSCRIPTION + id)).doesNotContain("subscription", "endpoint");
        assertThat(TestRedis.client().objectEncoding(prefix + Keys.SUBSCRIPTION + id)).as("compact").isEqualTo("listpack");
        assertThat(counter("host:fcm.googleapis.com")).isEqualTo("1");
        assertThat(store.upsert(subscription)).isEqualTo(new SubscriptionStore.Upserted(id, false));
        assertThat(TestRedis.client().hlen(prefix + Keys.BY_ENDPOINT)).isEqualTo(1);
    }

    @Test
    void eachSubscriptionKeepsTheKeyItWasMadeWithAndARenewalTakesTheCurrentOne() {
        String first = store.vapid.current().fingerprint();
        var a = subscription();
        String aId = store.upsert(a).id();
        store.vapid = dev.herald.vapid.control.VapidFixture.keys();
        String second = store.vapid.current().fingerprint();
        String bId = store.upsert(subscription()).id();

        store.upsert(a);
        String lateId = store.upsert(subscription().madeWith(first)).id();

        assertThat(store.find(aId)).get().extracting(Subscription::vapidKey).as("a re-post keeps its key").isEqualTo(first);
        assertThat(store.find(lateId)).get().extracting(Subscription::vapidKey).as("the key the request names").isEqualTo(first);
        store.delete(lateId, Removal.UNSUBSCRIBED);
        assertThat(store.find(bId)).get().extracting(Subscription::vapidKey).isEqualTo(second);
        assertThat(store.perVapidKey()).containsOnly(Map.entry(first, 1L), Map.entry(second, 1L));
        assertThat(store.audience(List.of()).getJsonObject("vapid_keys").getInt(first)).isEqualTo(1);

        String renewed = store.upsert(new Subscribing(a, null, null, false, aId)).id();

        assertThat(store.find(renewed)).get().extracting(Subscription::vapidKey).as("subscribed anew: the current key").isEqualTo(second);
        assertThat(store.perVapidKey()).containsOnly(Map.entry(second, 2L));
        store.delete(bId, Removal.UNSUBSCRIBED);
        assertThat(store.perVapidKey()).containsOnly(Map.entry(second, 1L));
    }

    @Test
    void subscriptionsFromBeforeKeyRotationBelongToTheCurrentKeyOnceConverted() {
        String id = store.upsert(subscription()).id();
        String fingerprint = store.vapid.current().fingerprint();
        TestRedis.client().hdel(prefix + Keys.SUBSCRIPTION + id, "v");
        TestRedis.client().hdel(prefix + Keys.AUDIENCE, "vapid:" + fingerprint);
        TestRedis.client().hset(prefix + Keys.AUDIENCE, "version", "2");

        assertThat(store.assignKeys()).isEqualTo(1);
        assertThat(store.assignKeys()).as("once").isZero();

        assertThat(store.find(id)).get().extracting(Subscription::vapidKey).isEqualTo(fingerprint);
        assertThat(store.perVapidKey()).containsOnly(Map.entry(fingerprint, 1L));
        assertThat(TestRedis.client().objectEncoding(prefix + Keys.SUBSCRIPTION + id)).as("compact").isEqualTo("listpack");
    }

    @Test
    void deletingWhatAKeyMadeRemovesOnlyThoseWithReasonKeyRemovedAndIsSafeToRepeat() {
        TestRedis.client().set(prefix + Keys.WEBHOOK_TARGETS, "https://hooks.example/herald");
        String old = store.vapid.current().fingerprint();
        var oldIds = IntStream.range(0, 3).mapToObj(i -> store.upsert(subscription()).id()).toList();
        store.vapid = dev.herald.vapid.control.VapidFixture.keys();
        String kept = store.upsert(subscription()).id();

        assertThat(store.deleteMadeWith(old)).isEqualTo(3);
        assertThat(store.deleteMadeWith(old)).as("again: nothing left, nothing announced twice").isZero();

        assertThat(oldIds).allSatisfy(id -> assertThat(store.find(id)).isEmpty());
        assertThat(store.find(kept)).isPresent();
        assertThat(store.perVapidKey()).containsOnlyKeys(store.vapid.current().fingerprint());
        var events = TestRedis.client().xrange(prefix + Keys.WEBHOOK_OUTBOX, (redis.clients.jedis.StreamEntryID) null, null);
        assertThat(events).hasSize(3).allSatisfy(event -> assertThat(event.getFields().get("data")).contains("\"reason\":\"key removed\""));
    }

    static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
