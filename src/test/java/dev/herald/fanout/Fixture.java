package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.Api;
import dev.herald.testing.DeclarativeMessage;
import dev.herald.testing.PushServiceStub;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the durability tests share: subscribers of the push-service stub stored through the real
 * subscription store under the test's prefix, notify calls, and waiting for a job's report.
 */
final class Fixture implements AutoCloseable {

    final PushServiceStub stub;
    final Redis redis;
    final SubscriptionStore store;
    final String prefix;
    final List<String> created = new ArrayList<>();

    Fixture(String redisUrl, String prefix, PushServiceStub stub) {
        this.stub = stub;
        this.prefix = prefix;
        this.redis = Redises.connect(redisUrl, prefix);
        this.store = Stores.on(redis);
    }

    /** count subscribers named base-0 ... base-(count-1), each answering after latency; returns the names. */
    List<String> subscribe(String base, int count, Duration latency) {
        return subscribe(base, count, latency, null);
    }

    /** The same, each subscription with this time zone as its page reported it (null: none). */
    List<String> subscribe(String base, int count, Duration latency, String timezone) {
        return subscribe(base, count, latency, timezone, null, null);
    }

    /** The same, in these channels (null: none) and bound to this user (null: none). */
    List<String> subscribe(String base, int count, Duration latency, String timezone, List<String> channels, String user) {
        var names = IntStream.range(0, count).mapToObj(i -> base + "-" + i).toList();
        for (String name : names) {
            var subscriber = stub.subscriber(name);
            created.add(store.upsert(new dev.herald.subscriptions.entity.Subscribing(new Subscription(subscriber.endpoint(), null,
                    new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()), timezone), channels, user, timezone != null,
                    null)).id());
            if (!latency.isZero()) {
                stub.respond(name, PushServiceStub.Behaviour.delay(latency));
            }
        }
        return names;
    }

    /** The stored id of a subscriber. */
    String id(String name) {
        var id = redis.client().hget(prefix + "subscriptions:by-endpoint", SubscriptionStore.endpointHash(stub.endpoint(name)));
        assertThat(id).as("subscription of " + name).isNotNull();
        return id;
    }

    static Api.Reply notify(Api api, String json, Map<String, String> headers) {
        var request = api.request("api/notify").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return api.send(request.build());
    }

    /** Polls the report (on the given instance) until it is done; fails with the last report at the timeout. */
    static JsonObject awaitDone(Api api, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject report;
        while (true) {
            var reply = api.get("api/notifications/" + id);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            report = reply.json();
            if ("done".equals(report.getString("state"))) {
                return report;
            }
            assertThat(System.nanoTime()).as("job not done in " + timeout + ": " + report).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The report's numbers add up: total = sent + removed + failed + pending. */
    static void assertExact(JsonObject report, int total, int sent) {
        assertThat(report.getInt("total")).as(report.toString()).isEqualTo(total);
        assertThat(report.getInt("sent")).as(report.toString()).isEqualTo(sent);
        assertThat(report.getInt("pending")).as(report.toString()).isZero();
        assertThat(report.getInt("sent") + report.getInt("removed") + report.getInt("failed") + report.getInt("pending"))
                .isEqualTo(report.getInt("total"));
        long settledByInstances = report.getJsonObject("delivered_by").values().stream()
                .mapToLong(value -> ((jakarta.json.JsonNumber) value).longValue()).sum();
        assertThat(settledByInstances).as("per-instance shares add up to the subscriptions settled").isEqualTo(
                report.getInt("sent") + report.getInt("removed") + report.getInt("failed"));
    }

    /** Deliveries of exactly this payload, per name; and every name got it at least once. */
    List<Integer> assertEveryoneGot(List<String> names, String payload) {
        var counts = new ArrayList<Integer>();
        for (String name : names) {
            long got = stub.deliveries(name).stream().filter(delivery -> DeclarativeMessage.classic(delivery.payload()).equals(payload)).count();
            assertThat(got).as(name + " received the notification").isPositive();
            counts.add((int) got);
        }
        assertThat(stub.rejections()).as("the stub verified every VAPID signature and decrypted every push").isEmpty();
        return counts;
    }

    static int extra(List<Integer> counts) {
        return counts.stream().mapToInt(count -> count - 1).sum();
    }

    long subscriptions() {
        return redis.client().zcard(prefix + "subscriptions");
    }

    /** Deletes the subscriptions this fixture made (the Redis itself is the test's own and goes with its folder). */
    @Override
    public void close() {
        try {
            created.forEach(id -> store.delete(id, dev.herald.subscriptions.entity.Removal.UNSUBSCRIBED));
        } finally {
            Redises.close(redis);
        }
    }
}
