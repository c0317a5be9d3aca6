package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.SharedCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Payara Micro instances on one Redis (the {@link SharedCluster}'s, a process with an append-only
 * file), both up: they share every broadcast, and an Idempotency-Key holds across them. Each test's
 * subscribers are its own (every class on the shared instances deletes its own at its end); a broadcast
 * reaches every subscription, so counts compare with the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCluster.Extension.class)
class TwoInstancesIT {

    static final String PREFIX = SharedCluster.PREFIX;
    /** Short, so that a lease that was not renewed would run out during a test. */
    static final Duration CLAIM_IDLE = SharedCluster.CLAIM_IDLE;
    String redisUrl;
    PushServiceStub stub;
    Cluster cluster;
    Fixture fixture;

    @BeforeAll
    void start(SharedCluster shared) {
        redisUrl = shared.redisUrl();
        cluster = shared.cluster();
        stub = PushServiceStub.start(null);
        fixture = new Fixture(redisUrl, PREFIX, stub);
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void bothInstancesTakeARealShareOfABroadcastAndNobodyGetsItTwice() throws Exception {
        var names = fixture.subscribe("share", 2000, Duration.ofMillis(20));
        long everyone = fixture.subscriptions();

        var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Shared\",\"body\":\"by two\"}", Map.of("Prefer", "wait=60"));

        assertThat(reply.status()).as("a sees the job done though b delivered half of it: " + reply.body()).isEqualTo(200);
        String job = reply.json().getString("id");
        var report = cluster.api("b").get("api/notifications/" + job).json();
        assertThat(report).as("the same report on either instance").isEqualTo(reply.json());
        Fixture.assertExact(report, (int) everyone, (int) everyone);
        var counts = fixture.assertEveryoneGot(names, "{\"title\":\"Shared\",\"body\":\"by two\",\"tag\":\"" + job + "\"}");
        assertThat(Fixture.extra(counts)).as("no crash, no duplicates").isZero();
        var shares = report.getJsonObject("delivered_by");
        assertThat(shares.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(shares.getInt("a")).as("a's share of " + shares).isGreaterThan((int) everyone / 5);
        assertThat(shares.getInt("b")).as("b's share of " + shares).isGreaterThan((int) everyone / 5);
    }

    @Test
    void theSameIdempotencyKeyOnEitherInstanceMakesOneJobAlsoWhileItRunsAndAnotherBodyIs422() throws Exception {
        // its own stub (the gate is the stub's); its subscribers are deleted at the end, before another test broadcasts
        try (var held = PushServiceStub.start(null); var own = new Fixture(redisUrl, PREFIX, held)) {
            var names = own.subscribe("idem", 3, Duration.ZERO);
            names.forEach(name -> held.respond(name, PushServiceStub.Behaviour.held()));
            String body = "{\"title\":\"Once\",\"subscriptions\":[\"" + own.id(names.get(0)) + "\",\"" + own.id(names.get(1))
                    + "\",\"" + own.id(names.get(2)) + "\"]}";
            var key = Map.of("Idempotency-Key", "\"order-4711-shipped\"");

            var first = Fixture.notify(cluster.api("a"), body, key);
            assertThat(held.awaitHeld(3, Duration.ofMinutes(1))).as("the job is running: its pushes are held").isTrue();
            var again = Fixture.notify(cluster.api("b"), body, key);
            var other = Fixture.notify(cluster.api("b"), body.replace("Once", "Twice"), key);

            assertThat(first.status()).as(first.body()).isEqualTo(202);
            String job = first.json().getString("id");
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.json().getString("id")).isEqualTo(job);
            assertThat(again.header("Location")).endsWith("/api/notifications/" + job);
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(cluster.api("b").get("api/notifications/" + job).json().getString("state")).isEqualTo("running");
            assertThat(other.status()).isEqualTo(422);
            assertThat(other.json().getString("title")).isEqualTo("Unprocessable Content");
            assertThat(other.contentType()).startsWith("application/problem+json");
            assertThat(other.json().getString("detail")).contains("Idempotency-Key").contains("different request body");
            held.release();
            var report = Fixture.awaitDone(cluster.api("a"), job, Duration.ofMinutes(1));
            Fixture.assertExact(report, 3, 3);
            var counts = own.assertEveryoneGot(names, "{\"title\":\"Once\",\"tag\":\"" + job + "\"}");
            assertThat(counts).containsOnly(1);
            for (String name : names) {
                assertThat(held.deliveries(name)).noneMatch(delivery -> delivery.payload().contains("Twice"));
            }
        }
    }

    @Test
    void aBatchSlowerThanClaimIdleKeepsItsLeaseAndIsNotSentTwice() throws Exception {
        try (var held = PushServiceStub.start(null); var own = new Fixture(redisUrl, PREFIX, held)) {
            var names = own.subscribe("slow", 2, Duration.ZERO);
            names.forEach(name -> held.respond(name, PushServiceStub.Behaviour.held()));
            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Slow\",\"subscriptions\":[\"" + own.id(names.get(0)) + "\",\""
                    + own.id(names.get(1)) + "\"]}", Map.of());
            assertThat(held.awaitHeld(2, Duration.ofMinutes(1))).isTrue();

            // the lease is the subject: let three claim-idle periods pass with the batch held (renewed every third of one)
            Thread.sleep(CLAIM_IDLE.multipliedBy(3).toMillis());

            var pending = own.redis.client().xpending(PREFIX + "stream:priority", "herald",
                    new redis.clients.jedis.params.XPendingParams().count(10));
            assertThat(pending).singleElement().satisfies(entry -> {
                assertThat(entry.getDeliveredTimes()).as("never taken over").isEqualTo(1);
                assertThat(entry.getIdleTime()).as("renewed").isLessThan(CLAIM_IDLE.toMillis());
            });
            held.release();
            var report = Fixture.awaitDone(cluster.api("b"), reply.json().getString("id"), Duration.ofMinutes(1));
            Fixture.assertExact(report, 2, 2);
            for (String name : names) {
                assertThat(held.requestCount(name)).as(name + " was sent once").isEqualTo(1);
            }
        }
    }
}
