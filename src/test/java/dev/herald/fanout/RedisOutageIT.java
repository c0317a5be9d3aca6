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
 * Redis going away under a running instance: a clean stop and start mid-broadcast (the append-only
 * file is replayed), and Redis down when a notification comes in. The Redis is a process of the
 * test's own; the shared one is never touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageIT {

    RedisProcess redis;
    PushServiceStub stub;
    Fixture fixture;
    Cluster cluster;

    /** One instance for both tests: each has its own subscribers, and a broadcast's counts compare with the store. */
    @BeforeAll
    void start() throws Exception {
        redis = RedisProcess.start();
        stub = PushServiceStub.start(null);
        String prefix = "herald-outage-" + UUID.randomUUID() + ":";
        fixture = new Fixture(redis.url(), prefix, stub);
        var settings = Cluster.settings(redis.url(), prefix);
        settings.put("herald.delivery.batch-size", "100");
        settings.put("herald.delivery.max-in-flight", "8");
        cluster = Cluster.start(settings, "a");
    }

    @AfterAll
    void stop() {
        cluster.close();
        fixture.close();
        stub.close();
        redis.close();
    }

    int health() {
        return cluster.api("a").get("api/health").status();
    }

    void awaitHealth(int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (health() != status) {
            assertThat(System.nanoTime()).as("readiness " + status).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void redisStoppedAndStartedAgainMidBroadcastDeliversToEveryoneAndTheReportIsExact() throws Exception {
        var names = fixture.subscribe("o", 1000, Duration.ofMillis(50));
        long everyone = fixture.subscriptions();
        var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Through an outage\"}", Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        String job = reply.json().getString("id");

        assertThat(stub.awaitTotalDeliveries(200, Duration.ofMinutes(1))).isTrue();
        redis.stop();
        awaitHealth(503);
        redis.restart();
        awaitHealth(200);

        var report = Fixture.awaitDone(cluster.api("a"), job, Duration.ofMinutes(2));
        Fixture.assertExact(report, (int) everyone, (int) everyone);
        var counts = fixture.assertEveryoneGot(names, "{\"title\":\"Through an outage\",\"tag\":\"" + job + "\"}");
        assertThat(Fixture.extra(counts)).isLessThanOrEqualTo(200);
        assertThat(cluster.get("a").alive()).isTrue();
    }

    @Test
    void redisDownAtNotifyIsA503AndNothingIsSentWhenRedisIsBack() throws Exception {
        var names = fixture.subscribe("x", 1, Duration.ZERO);
        String audience = ",\"subscriptions\":[\"" + fixture.id(names.get(0)) + "\"]}";
        redis.stop();

        var refused = Fixture.notify(cluster.api("a"), "{\"title\":\"Never\"" + audience, Map.of());

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.json().getString("detail")).contains("will not be sent").contains("Idempotency-Key");
        redis.restart();
        awaitHealth(200);
        // a later notification to the same subscriber: when it has arrived, the refused one would have too
        var later = Fixture.notify(cluster.api("a"), "{\"title\":\"Later\"" + audience, Map.of("Prefer", "wait=30"));
        assertThat(later.status()).as(later.body()).isEqualTo(200);
        assertThat(stub.deliveries(names.get(0))).extracting(PushServiceStub.Delivery::payload)
                .singleElement().asString().contains("Later");
    }
}
