package dev.herald.testing;

import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.entity.Subscribing;
import dev.herald.subscriptions.entity.Subscription;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Redis memory per subscription, and where the bytes go: N subscriptions through the real store
 * (SubscriptionStore), each with an FCM-like endpoint of today's length, two channels and a user
 * of its own, then MEMORY USAGE (SAMPLES 0: exact) of a sample of records and of every index,
 * divided by N. Under a prefix of its own on the run's Redis, deleted at the end.
 *
 *     ./mvnw -q test-compile exec:java@footprint -Dfootprint.n=10000 [-Dfootprint.bare=true]
 */
public final class StorageFootprint {

    private StorageFootprint() {
    }

    public static void main(String[] args) {
        int n = Integer.getInteger("footprint.n", 10_000);
        // footprint.bare: no zone, no channels, no user (as before audiences)
        boolean bare = Boolean.getBoolean("footprint.bare");
        // as long as the default prefix "herald:", so that key names weigh what they weigh in a deployment
        String prefix = "hf" + UUID.randomUUID().toString().substring(0, 4) + ":";
        var redis = Redises.connect(prefix);
        var jedis = TestRedis.client();
        try {
            var store = Stores.on(redis);
            var random = new SecureRandom();
            var keys = TestSubscriber.create();
            var ids = new ArrayList<String>();
            for (int i = 0; i < n; i++) {
                // FCM web push endpoints: /fcm/send/ and a token of about 163 characters
                byte[] token = new byte[122];
                random.nextBytes(token);
                String endpoint = "https://fcm.googleapis.com/fcm/send/" + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
                var subscription = new Subscription(endpoint, null, new Subscription.Keys(keys.p256dh(), keys.authSecret()),
                        bare ? null : "Europe/Berlin");
                ids.add(store.upsert(bare ? Subscribing.of(subscription)
                        : new Subscribing(subscription, List.of("news", "offers"), "user-" + i, true, null)).id());
            }
            long records = 0;
            int sample = Math.min(n, 1000);
            for (int i = 0; i < sample; i++) {
                records += jedis.memoryUsage(prefix + Keys.SUBSCRIPTION + ids.get(i), 0);
            }
            double record = records / (double) sample;
            double idSet = jedis.memoryUsage(prefix + Keys.SUBSCRIPTIONS, 0) / (double) n;
            double byEndpoint = jedis.memoryUsage(prefix + Keys.BY_ENDPOINT, 0) / (double) n;
            double channels = bare ? 0 : (jedis.memoryUsage(prefix + Keys.CHANNEL + "news", 0)
                    + jedis.memoryUsage(prefix + Keys.CHANNEL + "offers", 0)) / (double) n;
            long users = 0;
            for (int i = 0; i < sample && !bare; i++) {
                users += jedis.memoryUsage(prefix + Keys.USER + "user-" + i, 0);
            }
            double user = users / (double) sample;
            double audience = jedis.memoryUsage(prefix + Keys.AUDIENCE, 0) / (double) n;
            double total = record + idSet + byEndpoint + channels + user + audience;
            System.out.printf("footprint: %,d subscriptions, each with an endpoint of %d characters, keys%s%n",
                    n, store.find(ids.get(0)).orElseThrow().endpoint().length(), bare ? " (nothing else)" : ", a zone, 2 channels and a user of its own");
            System.out.printf("  record (hash)                %6.0f bytes%n", record);
            System.out.printf("  id sorted set entry          %6.0f bytes%n", idSet);
            System.out.printf("  endpoint index entry         %6.0f bytes%n", byEndpoint);
            System.out.printf("  2 channel set entries        %6.0f bytes%n", channels);
            System.out.printf("  user set (one key per user)  %6.0f bytes%n", user);
            System.out.printf("  audience counters            %6.0f bytes%n", audience);
            System.out.printf("  total per subscription       %6.0f bytes%n", total);
        } finally {
            TestRedis.deleteAll(prefix);
            Redises.close(redis);
        }
        System.exit(0);
    }
}
