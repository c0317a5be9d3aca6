package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Instances that die or stop in the middle of a broadcast, on a Redis of the test's own (append-only
 * file, fsync every second). Each test has its own instances and key prefix. The push-service stub
 * decrypts every push; it answers slowly enough that the broadcast is still running when the fault
 * comes, which each test waits for as an event (a number of deliveries), never as a time. As
 * nothing is shared between the tests, two run at a time (each is marked CONCURRENT; the pom's failsafe
 * configuration allows two): one's instances start while the other's broadcast waits on the slow stub.
 * The class itself runs alone, as every IT class does.
 */
class CrashIT {

    /** Tests that share the machine two at a time hold it for reading; one that must have it alone, for writing. */
    static final String CPU = "crash-it-cpu";

    static final int PREFETCH = 2;
    static final int BATCH = 100;
    RedisProcess redis;
    PushServiceStub stub;
    Fixture fixture;
    Cluster cluster;
    String prefix;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        stub = PushServiceStub.start(null);
        prefix = "herald-crash-" + UUID.randomUUID() + ":";
        fixture = new Fixture(redis.url(), prefix, stub);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        fixture.close();
        stub.close();
        redis.close();
    }

    Map<String, String> settings(String claimIdle) {
        var settings = Cluster.settings(redis.url(), prefix);
        settings.put("herald.delivery.batch-size", String.valueOf(BATCH));
        settings.put("herald.delivery.prefetch", String.valueOf(PREFETCH));
        settings.put("herald.delivery.max-in-flight", "16");
        settings.put("herald.delivery.claim-idle", claimIdle);
        return settings;
    }

    String broadcast(String instance, String title) {
        var reply = Fixture.notify(cluster.api(instance), "{\"title\":\"" + title + "\"}", Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json().getString("id");
    }

    static String payload(String title, String job) {
        return "{\"title\":\"" + title + "\",\"tag\":\"" + job + "\"}";
    }

    void awaitDeliveries(int count) throws InterruptedException {
        assertThat(stub.awaitTotalDeliveries(count, Duration.ofMinutes(2))).as(count + " deliveries").isTrue();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = CPU, mode = ResourceAccessMode.READ)
    void killingTheInstanceThatAcceptedABroadcastLosesNothingAndTheOtherEndsItExactly() throws Exception {
        cluster = Cluster.start(settings("PT3S"), "a", "b");
        var names = fixture.subscribe("k", 2000, Duration.ofMillis(50));

        String job = broadcast("a", "Killed midway");
        awaitDeliveries(300);
        cluster.kill("a");

        var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofMinutes(3));
        Fixture.assertExact(report, 2000, 2000);
        var counts = fixture.assertEveryoneGot(names, payload("Killed midway", job));
        assertThat(Fixture.extra(counts)).as("only the crashed instance's unacked batches are sent again")
                .isLessThanOrEqualTo(PREFETCH * BATCH);
        assertThat(report.getJsonObject("delivered_by").getInt("b")).isPositive();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    // timed by its stop grace period (10 s): it runs alone, never beside another test of this class
    @ResourceLock(value = CPU, mode = ResourceAccessMode.READ_WRITE)
    void aGracefulStopHandsItsWorkOverAndTheOtherInstanceFinishesWithoutWaitingForClaimIdle() throws Exception {
        // claim-idle far beyond the wait below: only the hand-over can let b finish in time
        cluster = Cluster.start(settings("PT10M"), "a", "b");
        var names = fixture.subscribe("g", 2000, Duration.ofMillis(50));

        String job = broadcast("a", "Stopped midway");
        awaitDeliveries(300);
        cluster.stop("a");

        assertThat(pendingOf("a")).as("a held batches when stopped; it finished or handed back each before it exited").isZero();
        var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofMinutes(2));
        Fixture.assertExact(report, 2000, 2000);
        var counts = fixture.assertEveryoneGot(names, payload("Stopped midway", job));
        assertThat(Fixture.extra(counts)).as("what a had sent it recorded; what it had not, it handed over").isZero();
    }

    /** Entries of the bulk lane a consumer holds unacked: what a take-over would have to wait claim-idle for. */
    long pendingOf(String consumer) {
        return fixture.redis.client().xinfoConsumers2(prefix + "stream:bulk", "herald").stream()
                .filter(info -> info.getName().equals(consumer)).mapToLong(info -> info.getPending()).sum();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = CPU, mode = ResourceAccessMode.READ)
    void theOnlyInstanceKilledAndStartedAgainResumesWhatItHeldAndFinishes() throws Exception {
        cluster = Cluster.start(settings("PT30S"), "a");
        var names = fixture.subscribe("r", 1000, Duration.ofMillis(50));

        String job = broadcast("a", "Resumed");
        awaitDeliveries(150);
        cluster.kill("a");
        cluster.restart("a");

        var report = Fixture.awaitDone(cluster.api("a"), job, Duration.ofMinutes(2));
        Fixture.assertExact(report, 1000, 1000);
        var counts = fixture.assertEveryoneGot(names, payload("Resumed", job));
        assertThat(Fixture.extra(counts)).isLessThanOrEqualTo(PREFETCH * BATCH);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = CPU, mode = ResourceAccessMode.READ)
    void aBatchDeliveredMoreOftenThanMaxClaimsIsDeadLetteredAndTheJobStillEnds() throws Exception {
        cluster = Cluster.start(settings("PT30S"), "a");
        fixture.subscribe("d", 600, Duration.ofMillis(50));

        String job = broadcast("a", "Dead letters");
        awaitDeliveries(50);
        cluster.kill("a");
        // what a held was delivered once; taken back after the restart it is the second delivery, over the limit
        cluster.restart("a", Map.of("herald.delivery.max-claims", "1"));

        var report = Fixture.awaitDone(cluster.api("a"), job, Duration.ofMinutes(2));
        assertThat(report.getInt("total")).isEqualTo(600);
        assertThat(report.getInt("pending")).isZero();
        assertThat(report.getInt("failed")).as(report.toString()).isPositive();
        assertThat(report.getInt("sent") + report.getInt("failed")).isEqualTo(600);
        var reasons = new LinkedHashMap<String, Integer>();
        report.getJsonObject("failures").forEach((reason, count) -> reasons.put(reason, ((jakarta.json.JsonNumber) count).intValue()));
        assertThat(reasons).hasSize(1);
        assertThat(reasons.keySet().iterator().next()).startsWith("given up after 2 deliveries");
        var dead = fixture.redis.client().xrange(prefix + "stream:dead-letters", (redis.clients.jedis.StreamEntryID) null, null);
        assertThat(dead).isNotEmpty().allSatisfy(entry -> assertThat(entry.getFields()).containsEntry("job", job));
        int deadIds = dead.stream().filter(entry -> entry.getFields().containsKey("ids"))
                .mapToInt(entry -> entry.getFields().get("ids").split(" ").length).sum();
        assertThat(deadIds).as("the dead-lettered batches' subscriptions are the failed ones").isEqualTo(report.getInt("failed"));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = CPU, mode = ResourceAccessMode.READ)
    void aSendToListedSubscriptionsIsDeliveredWhileABroadcastIsStuckInEveryBulkPlace() throws Exception {
        var settings = settings("PT30S");
        settings.put("herald.delivery.batch-size", "10");
        settings.put("herald.delivery.max-in-flight", "64");
        cluster = Cluster.start(settings, "a");
        var crowd = fixture.subscribe("crowd", 100, Duration.ZERO);
        crowd.forEach(name -> stub.respond(name, PushServiceStub.Behaviour.held()));
        try (var other = PushServiceStub.start(null); var users = new Fixture(redis.url(), prefix, other)) {
            var user = users.subscribe("user", 1, Duration.ZERO);
            String broadcast = broadcast("a", "Everyone");
            // a batch has 10 ids, at most one of them not held: 18 held pushes fill both bulk places (prefetch 2)
            assertThat(stub.awaitHeld(2 * 9, Duration.ofMinutes(1))).isTrue();

            var listed = Fixture.notify(cluster.api("a"), "{\"title\":\"Just you\",\"subscriptions\":[\"" + users.id(user.get(0))
                    + "\"]}", Map.of("Prefer", "wait=30"));

            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            assertThat(listed.json().getInt("sent")).isEqualTo(1);
            assertThat(other.deliveries(user.get(0))).extracting(PushServiceStub.Delivery::payload)
                    .anySatisfy(payload -> assertThat(payload).contains("Just you"));
            assertThat(cluster.api("a").get("api/notifications/" + broadcast).json().getString("state")).isEqualTo("running");
            stub.release();
            Fixture.awaitDone(cluster.api("a"), broadcast, Duration.ofMinutes(2));
        }
    }
}
