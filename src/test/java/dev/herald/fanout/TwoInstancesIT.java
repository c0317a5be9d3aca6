package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Payara Micro instances on one Redis (a process of this test's own, with an append-only file),
 * both up: they share every broadcast, and an Idempotency-Key holds across them. Each test's
 * subscribers are its own; a broadcast reaches every subscription, so counts compare with the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {

    static final String PREFIX = "herald-two-" + UUID.randomUUID() + ":";
    RedisProcess redis;
    PushServiceStub stub;
    Cluster cluster;
    Fixture fixture;

    @BeforeAll
    void start() throws Exception {
        redis = RedisProcess.start();
        stub = PushServiceStub.start(null);
        var settings = Cluster.settings(redis.url(), PREFIX);
        settings.put("herald.delivery.batch-size", "100");
        settings.put("herald.delivery.max-in-flight", "16");
        cluster = Cluster.start(settings, "a", "b");
        fixture = new Fixture(redis.url(), PREFIX, stub);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (stub != null) {
            stub.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void bothInstancesTakeARealShareOfABroadcastAndNobodyGetsItTwice() throws Exception {
        var names = fixture.subscribe("share", 2000, Duration.ofMillis(20));
        long everyone = fixture.subscriptions();

        var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Shared\",\"body\":\"by two\"}", Map.of());

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        String job = reply.json().getString("id");
        var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofMinutes(3));
        Fixture.assertExact(report, (int) everyone, (int) everyone);
        var counts = fixture.assertEveryoneGot(names, "{\"title\":\"Shared\",\"body\":\"by two\",\"tag\":\"" + job + "\"}");
        assertThat(Fixture.extra(counts)).as("no crash, no duplicates").isZero();
        var shares = report.getJsonObject("delivered_by");
        assertThat(shares.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(shares.getInt("a")).as("a's share of " + shares).isGreaterThan((int) everyone / 5);
        assertThat(shares.getInt("b")).as("b's share of " + shares).isGreaterThan((int) everyone / 5);
    }

    @Test
    void theSameIdempotencyKeyOnEitherInstanceMakesOneJobAndAnotherBodyIs422() throws Exception {
        var names = fixture.subscribe("idem", 3, Duration.ZERO);
        String body = "{\"title\":\"Once\",\"subscriptions\":[\"" + fixture.id(names.get(0)) + "\",\"" + fixture.id(names.get(1))
                + "\",\"" + fixture.id(names.get(2)) + "\"]}";
        var key = Map.of("Idempotency-Key", "\"order-4711-shipped\"");

        var first = Fixture.notify(cluster.api("a"), body, key);
        var again = Fixture.notify(cluster.api("b"), body, key);
        var other = Fixture.notify(cluster.api("b"), body.replace("Once", "Twice"), key);

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        String job = first.json().getString("id");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().getString("id")).isEqualTo(job);
        assertThat(again.header("Location")).isEqualTo(first.header("Location").replace(cluster.get("a").uri("/").toString(),
                cluster.get("b").uri("/").toString()));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.json().getString("detail")).contains("Idempotency-Key").contains("different request body");
        var report = Fixture.awaitDone(cluster.api("a"), job, Duration.ofMinutes(1));
        Fixture.assertExact(report, 3, 3);
        var counts = fixture.assertEveryoneGot(names, "{\"title\":\"Once\",\"tag\":\"" + job + "\"}");
        assertThat(counts).containsOnly(1);
        for (String name : names) {
            assertThat(stub.deliveries(name)).noneMatch(delivery -> delivery.payload().contains("Twice"));
        }
    }
}
