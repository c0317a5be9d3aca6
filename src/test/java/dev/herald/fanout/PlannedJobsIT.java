package dev.herald.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.SharedCluster;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scheduled, local-time, throttled and cancelled jobs on two Payara Micro instances sharing one
 * Redis (the {@link SharedCluster}'s process). Every test has its own stub and subscribers, deleted at
 * its end, so a broadcast reaches only the test's own. Herald's clock is moved by the shift key
 * where the test would otherwise wait hours (local time), and reset after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCluster.Extension.class)
class PlannedJobsIT {

    static final String PREFIX = SharedCluster.PREFIX;
    SharedCluster shared;
    Cluster cluster;
    String redisUrl;

    @BeforeAll
    void start(SharedCluster shared) {
        this.shared = shared;
        redisUrl = shared.redisUrl();
    }

    /** Both up: the instance a test killed is started again. */
    @BeforeEach
    void bothUp() {
        cluster = shared.cluster();
    }

    static String ids(Fixture fixture, List<String> names) {
        return names.stream().map(name -> "\"" + fixture.id(name) + "\"").collect(Collectors.joining(","));
    }

    @Test
    void aJobScheduledFiveSecondsAheadIsSentOnceByTheSurvivorAfterTheAcceptingInstanceWasKilled() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var names = fixture.subscribe("later", 20, Duration.ZERO);
            // Herald keeps times to the millisecond
            var sendAt = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Later\",\"send_at\":\"" + sendAt + "\"}", Map.of());
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
            String job = reply.json().getString("id");
            var scheduled = cluster.api("a").get("api/notifications/" + job).json();
            cluster.kill("a");

            assertThat(scheduled.getString("state")).isEqualTo("scheduled");
            assertThat(Instant.parse(scheduled.getString("send_at"))).isEqualTo(sendAt);
            var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofSeconds(60));
            Fixture.assertExact(report, 20, 20);
            assertThat(report.getJsonObject("delivered_by").keySet()).containsExactly("b");
            assertThat(Instant.parse(report.getString("started"))).isAfterOrEqualTo(sendAt).isBefore(sendAt.plusSeconds(2));
            var counts = fixture.assertEveryoneGot(names, "{\"title\":\"Later\",\"tag\":\"" + job + "\"}");
            assertThat(counts).as("nothing twice").containsOnly(1);
            for (String name : names) {
                assertThat(stub.deliveries(name)).allSatisfy(delivery -> assertThat(delivery.time()).as("nothing early").isAfterOrEqualTo(sendAt));
            }
        }
    }

    @Test
    void aJobCancelledBeforeItsSendAtSendsNothing() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var names = fixture.subscribe("never", 3, Duration.ZERO);
            var sendAt = Instant.now().plusSeconds(3);
            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Never\",\"send_at\":\"" + sendAt + "\",\"subscriptions\":["
                    + ids(fixture, names) + "]}", Map.of());
            String job = reply.json().getString("id");

            var cancelled = cluster.api("b").delete("api/notifications/" + job);
            var again = cluster.api("a").delete("api/notifications/" + job);

            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().getString("state")).isEqualTo("cancelled");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json()).as("the same answer again").isEqualTo(cancelled.json());
            // instead of waiting for send_at: Herald's clock moved past it, and a marker job due just after it has started
            // (one script moves due jobs in send_at order, so by then the cancelled one would have started too)
            try (var markers = PushServiceStub.start(null); var marking = new Fixture(redisUrl, PREFIX, markers)) {
                var marker = marking.subscribe("marker", 1, Duration.ZERO);
                var markerReply = Fixture.notify(cluster.api("a"), "{\"title\":\"Marker\",\"send_at\":\"" + sendAt.plusMillis(1)
                        + "\",\"subscriptions\":[" + ids(marking, marker) + "]}", Map.of());
                assertThat(markerReply.status()).as(markerReply.body()).isEqualTo(202);
                long shift = sendAt.plusSeconds(1).toEpochMilli() - redisMillis(fixture);
                fixture.redis.client().set(PREFIX + "clock:shift", String.valueOf(shift));
                assertThat(markers.awaitDeliveries(marker.get(0), 1, Duration.ofSeconds(30))).as("the marker, due after send_at").hasSize(1);
            } finally {
                fixture.redis.client().del(PREFIX + "clock:shift");
            }
            assertThat(stub.totalDeliveries()).isZero();
            var report = cluster.api("a").get("api/notifications/" + job).json();
            assertThat(report.getString("state")).isEqualTo("cancelled");
            assertThat(report.getInt("sent")).isZero();
            assertThat(report.containsKey("started")).isFalse();
        }
    }

    @Test
    void aCancelMidBroadcastStopsEveryInstanceWithinTwoSecondsAndTheCountsShowWhatWasSent() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            fixture.subscribe("stop", 3000, Duration.ofMillis(100));
            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Stop\"}", Map.of());
            String job = reply.json().getString("id");
            assertThat(stub.awaitTotalDeliveries(300, Duration.ofSeconds(60))).isTrue();

            var cancelled = cluster.api("b").delete("api/notifications/" + job);
            Instant answered = Instant.now();

            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().getString("state")).isEqualTo("cancelled");
            assertThat(cancelled.json().containsKey("finished")).isTrue();
            awaitNothingLeftToSend(fixture, job);
            var late = allDeliveries(stub).stream().filter(time -> time.isAfter(answered.plusSeconds(2))).count();
            assertThat(late).as("pushes more than 2 s after the DELETE answered").isZero();
            int delivered = stub.totalDeliveries();
            assertThat(delivered).as("it was stopped, not finished").isLessThan(2900);
            var report = cluster.api("a").get("api/notifications/" + job).json();
            assertThat(report.getString("state")).isEqualTo("cancelled");
            assertThat(report.getInt("sent")).as("the counts show what was sent: " + report).isEqualTo(delivered);
            assertThat(cluster.api("a").delete("api/notifications/" + job).json().getInt("sent")).isEqualTo(delivered);
        }
    }

    @Test
    void aThrottledBroadcastSendsAtMostItsRateAcrossBothInstancesAndEndsWhenTheRateSays() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            // both instances read the job's batches (which one takes a batch is Redis's choice, so the test does not ask
            // for both); whichever sends, it is the one limiter in Redis that spaces the pushes
            var names = fixture.subscribe("slow", 300, Duration.ZERO);

            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Slow\",\"throttle_per_minute\":600}", Map.of());
            String job = reply.json().getString("id");
            var running = cluster.api("b").get("api/notifications/" + job).json();
            var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofSeconds(90));

            Fixture.assertExact(report, 300, 300);
            assertThat(fixture.assertEveryoneGot(names, "{\"title\":\"Slow\",\"tag\":\"" + job + "\"}")).containsOnly(1);
            System.out.println("throttled broadcast delivered by " + report.getJsonObject("delivered_by"));
            assertThat(running.getInt("throttle_per_minute")).isEqualTo(600);
            Instant started = Instant.parse(report.getString("started"));
            assertThat(Instant.parse(running.getString("expected_end"))).isEqualTo(started.plusSeconds(29));
            Duration took = Duration.between(started, Instant.parse(report.getString("finished")));
            assertThat(took).as("10 at once, then 10 a second").isBetween(Duration.ofSeconds(28), Duration.ofSeconds(33));
            var times = allDeliveries(stub);
            Instant first = times.get(0);
            for (int i = 0; i < times.size(); i++) {
                Instant from = times.get(i);
                long inWindow = times.stream().filter(time -> !time.isBefore(from) && time.isBefore(from.plusSeconds(1))).count();
                // the bucket's capacity once at the start; after it, 10 slots a second. The stub sees a push when it
                // arrives, its slot plus its own way there (a thread waking, a request on a busy machine): a window
                // that starts just after a late one may hold one or two more
                long allowed = (from.isBefore(first.plusSeconds(1)) ? 20 : 10) + 2;
                assertThat(inWindow).as("pushes in the second from " + from + " (first push " + first + ")").isLessThanOrEqualTo(allowed);
            }
        }
    }

    @Test
    void aLocalTimeJobReachesEachZoneAtItsOwnHourAndNotBefore() throws Exception {
        var zones = List.of("UTC", "Asia/Tokyo", "America/New_York");
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var byZone = new java.util.LinkedHashMap<String, List<String>>();
            for (String zone : zones) {
                byZone.put(zone, new ArrayList<>(fixture.subscribe("zone-" + zone.replace('/', '-'), 2, Duration.ZERO, zone)));
            }
            // a zone Java does not know counts as the default zone (UTC)
            byZone.get("UTC").addAll(fixture.subscribe("zone-unknown", 1, Duration.ZERO, "Mars/Olympus"));
            var all = byZone.values().stream().flatMap(List::stream).toList();

            var reply = Fixture.notify(cluster.api("a"), "{\"title\":\"Morning\",\"local_time\":\"09:00\",\"subscriptions\":["
                    + ids(fixture, all) + "]}", Map.of());
            String job = reply.json().getString("id");
            Instant created = Instant.parse(cluster.api("a").get("api/notifications/" + job).json().getString("created"));
            var order = new ArrayList<>(zones);
            order.sort(Comparator.comparing(zone -> nine(created, zone)));
            try {
                awaitWaiting(job, all.size());
                int reached = 0;
                for (String zone : order) {
                    // Herald's clock to just past 09:00 in this zone: Redis TIME + shift
                    long shift = nine(created, zone).toEpochMilli() + 500 - redisMillis(fixture);
                    fixture.redis.client().set(PREFIX + "clock:shift", String.valueOf(shift));
                    for (String name : byZone.get(zone)) {
                        assertThat(stub.awaitDeliveries(name, 1, Duration.ofSeconds(30))).as(name + " at 09:00 " + zone).hasSize(1);
                    }
                    reached += byZone.get(zone).size();
                    var report = awaitWaiting(job, all.size() - reached);
                    for (String later : order.subList(order.indexOf(zone) + 1, order.size())) {
                        for (String name : byZone.get(later)) {
                            assertThat(stub.deliveries(name)).as(name + " in " + later + " at 09:00 " + zone).isEmpty();
                        }
                    }
                    assertThat(report.getString("state")).isEqualTo(reached == all.size() ? "done" : "running");
                }
                var report = Fixture.awaitDone(cluster.api("b"), job, Duration.ofSeconds(30));
                Fixture.assertExact(report, all.size(), all.size());
                assertThat(report.getString("local_time")).isEqualTo("09:00");
            } finally {
                fixture.redis.client().del(PREFIX + "clock:shift");
            }
        }
    }

    @Test
    void theListPagesThrough120JobsNewestFirstWithoutDuplicatesOrGaps() throws Exception {
        try (var stub = PushServiceStub.start(null); var fixture = new Fixture(redisUrl, PREFIX, stub)) {
            var names = fixture.subscribe("list", 1, Duration.ZERO);
            var made = new ArrayList<String>();
            for (int i = 0; i < 120; i++) {
                var reply = Fixture.notify(cluster.api(i % 2 == 0 ? "a" : "b"), "{\"title\":\"List " + i + "\",\"subscriptions\":["
                        + ids(fixture, names) + "]}", Map.of());
                assertThat(reply.status()).isEqualTo(202);
                made.add(reply.json().getString("id"));
            }

            var seen = new ArrayList<JsonObject>();
            String cursor = null;
            do {
                var page = cluster.api("b").get("api/notifications?limit=50" + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                page.json().getJsonArray("items").forEach(item -> seen.add(item.asJsonObject()));
                cursor = page.json().containsKey("next") ? page.json().getString("next") : null;
            } while (cursor != null);

            var ids = seen.stream().map(item -> item.getString("id")).toList();
            assertThat(ids).doesNotHaveDuplicates().containsAll(made);
            var mine = ids.stream().filter(made::contains).toList();
            assertThat(mine).as("newest first").containsExactlyElementsOf(reversed(made));
            for (int i = 1; i < seen.size(); i++) {
                assertThat(Instant.parse(seen.get(i).getString("created"))).isBeforeOrEqualTo(Instant.parse(seen.get(i - 1).getString("created")));
            }
            var entry = seen.get(ids.indexOf(made.get(119)));
            assertThat(entry.getString("title")).isEqualTo("List 119");
            assertThat(entry.getJsonObject("target").getInt("subscriptions")).isEqualTo(1);
            var bad = cluster.api("a").get("api/notifications?cursor=not-a-cursor");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().getString("detail")).contains("cursor");
        }
    }

    /**
     * Waits until no unit of work of the job is left in Redis: none in either lane (an entry is deleted when it is
     * acked, and a batch is acked after its last push ended) and none delayed. From then on no push of it can come,
     * so what the stub has is all there will be.
     */
    static void awaitNothingLeftToSend(Fixture fixture, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (workLeft(fixture, job)) {
            assertThat(System.nanoTime()).as("work of " + job + " left in Redis").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static boolean workLeft(Fixture fixture, String job) {
        var client = fixture.redis.client();
        for (String lane : List.of("bulk", "priority")) {
            if (client.xrange(PREFIX + "stream:" + lane, (redis.clients.jedis.StreamEntryID) null, null).stream()
                    .anyMatch(entry -> job.equals(entry.getFields().get("job")))) {
                return true;
            }
        }
        return client.zrange(PREFIX + "delayed", 0, -1).stream().anyMatch(member -> member.contains(job));
    }

    JsonObject awaitWaiting(String job, int waiting) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var report = cluster.api("b").get("api/notifications/" + job).json();
            if (report.getInt("waiting") == waiting) {
                return report;
            }
            assertThat(System.nanoTime()).as("waiting " + waiting + ": " + report).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static long redisMillis(Fixture fixture) {
        var time = (List<?>) fixture.redis.client().eval("return redis.call('TIME')");
        return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
    }

    static Instant nine(Instant created, String zone) {
        var date = created.atZone(ZoneId.of(zone)).toLocalDate();
        var at = ZonedDateTime.of(date, LocalTime.of(9, 0), ZoneId.of(zone));
        return (at.toInstant().isAfter(created) ? at : at.plusDays(1)).toInstant();
    }

    static List<String> reversed(List<String> list) {
        var copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    static List<Instant> allDeliveries(PushServiceStub stub) {
        return stub.allDeliveries().stream().map(PushServiceStub.Delivery::time).sorted().toList();
    }
}
