package dev.herald.notifications.boundary;

import static dev.herald.testing.PushServiceStub.Behaviour.delay;
import static dev.herald.testing.PushServiceStub.Behaviour.held;
import static dev.herald.testing.PushServiceStub.Behaviour.status;
import static dev.herald.testing.PushServiceStub.Behaviour.statusWithRetryAfter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.DeclarativeMessage;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notify API end to end: Payara Micro with the built WAR, real Redis, and a push-service
 * stub that verifies the VAPID signature and decrypts every push with the subscriber's keys.
 * Names in the stub are unique per test, so tests do not see each other's pushes.
 */
@ExtendWith(ArquillianExtension.class)
class NotifyIT {

    static final String P = TestRedis.PREFIX;
    static PushServiceStub stub;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, MicroProcess.WAR.toFile());
    }

    @ArquillianResource
    URL url;

    Api api;

    @BeforeEach
    void connect() {
        api = Api.at(url).authorized();
        synchronized (NotifyIT.class) {
            if (stub == null) {
                stub = PushServiceStub.start(api.get("api/subscribe").json().getString("public_key"));
            }
        }
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
            stub = null;
        }
    }

    String subscribe(String name) {
        var reply = api.post("api/subscribe", stub.subscriber(name).json());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().getString("id");
    }

    /** name -> id, subscribed through the API by a few threads. */
    Map<String, String> subscribeAll(List<String> names) throws Exception {
        var ids = new ConcurrentHashMap<String, String>();
        var pool = Executors.newFixedThreadPool(6);
        try {
            var futures = new ArrayList<Future<?>>();
            for (String name : names) {
                futures.add(pool.submit(() -> ids.put(name, subscribe(name))));
            }
            for (var future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return ids;
    }

    Api.Reply notify(String json, String prefer) {
        var request = api.request("api/notify").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return api.send(request.build());
    }

    JsonObject awaitDone(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            var reply = api.get("api/notifications/" + id);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            if ("done".equals(reply.json().getString("state")) || System.nanoTime() > deadline) {
                return reply.json();
            }
            Thread.sleep(50);
        }
    }

    static void assertAddsUp(JsonObject report) {
        assertThat(report.getInt("sent") + report.getInt("removed") + report.getInt("failed") + report.getInt("pending"))
                .isEqualTo(report.getInt("total"));
    }

    boolean stored(String id) {
        return TestRedis.client().exists(P + "subscription:" + id);
    }

    @Test
    void broadcastReachesEverySubscriberOnceAndAppliesEachOutcomeRule() throws Exception {
        // a broadcast reaches every subscription under this run's prefix: start from none, so that
        // nothing left by other tests (some with real push-service hosts) is ever contacted
        for (String id : TestRedis.client().zrange(P + "subscriptions", 0, -1)) {
            assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
        }
        var ok = IntStream.range(0, 1000).mapToObj(i -> "b-ok-" + i).toList();
        var gone = IntStream.range(0, 12).mapToObj(i -> "b-gone-" + i).toList();
        var flaky = IntStream.range(0, 8).mapToObj(i -> "b-flaky-" + i).toList();
        var bad = List.of("b-bad-0", "b-bad-1", "b-forbidden-0");
        var slow = List.of("b-slow-0", "b-slow-1");
        var throttled = "b-throttled";
        gone.forEach(name -> stub.respond(name, status(410)));
        flaky.forEach(name -> stub.respond(name, status(500), status(201)));
        stub.respond("b-bad-0", status(400));
        stub.respond("b-bad-1", status(400));
        stub.respond("b-forbidden-0", status(403));
        slow.forEach(name -> stub.respond(name, delay(Duration.ofSeconds(2))));
        stub.respond(throttled, statusWithRetryAfter(429, 1), status(201));
        var all = new ArrayList<String>();
        List.of(ok, gone, flaky, bad, slow, List.of(throttled)).forEach(all::addAll);
        Map<String, String> ids = subscribeAll(all);
        String payload = "{\"title\":\"Grüße\",\"body\":\"to all 1025\",\"url\":\"/news/1\",\"tag\":\"news\"}";

        var reply = notify(payload, "wait=45");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("Preference-Applied")).isEqualTo("wait=45");
        var report = reply.json();
        assertThat(reply.header("Location")).endsWith("/api/notifications/" + report.getString("id"));
        assertThat(report.getString("state")).isEqualTo("done");
        assertThat(report.getInt("total")).isEqualTo(all.size());
        assertThat(report.getInt("sent")).isEqualTo(ok.size() + flaky.size() + slow.size() + 1);
        assertThat(report.getInt("removed")).isEqualTo(gone.size());
        assertThat(report.getInt("failed")).isEqualTo(3);
        assertThat(report.getInt("pending")).isZero();
        assertThat(report.getJsonObject("failures").toString()).isEqualTo("{\"HTTP 400\":2,\"HTTP 403\":1}");
        assertAddsUp(report);
        assertThat(api.get("api/notifications/" + report.getString("id")).json()).isEqualTo(report);

        assertThat(stub.rejections()).isEmpty();
        var sentOnce = new ArrayList<String>(ok);
        sentOnce.addAll(slow);
        for (String name : sentOnce) {
            assertThat(stub.requestCount(name)).as(name).isEqualTo(1);
            assertThat(stub.deliveries(name)).as(name).singleElement()
                    .satisfies(delivery -> assertThat(DeclarativeMessage.classic(delivery.payload())).isEqualTo(payload));
        }
        for (String name : flaky) {
            assertThat(stub.requestCount(name)).as(name).isEqualTo(2);
            assertThat(DeclarativeMessage.classic(stub.deliveries(name).get(stub.deliveries(name).size() - 1).payload())).isEqualTo(payload);
        }
        assertThat(stub.requestCount(throttled)).isEqualTo(2);
        for (String name : gone) {
            assertThat(stub.requestCount(name)).as(name).isEqualTo(1);
            String id = ids.get(name);
            assertThat(stored(id)).as(name).isFalse();
            assertThat(TestRedis.client().zscore(P + "subscriptions", id)).isNull();
            assertThat(TestRedis.client().hvals(P + "subscriptions:by-endpoint")).doesNotContain(id);
        }
        for (String name : bad) {
            assertThat(stub.requestCount(name)).as(name + " is not retried").isEqualTo(1);
        }
        var kept = new HashSet<>(ids.keySet());
        gone.forEach(kept::remove);
        for (String name : kept) {
            assertThat(stored(ids.get(name))).as(name).isTrue();
        }
        assertThat(TestRedis.client().zcard(P + "subscriptions")).isEqualTo(kept.size());
        assertThat(TestRedis.client().ttl(P + "notification:" + report.getString("id"))).isPositive();
    }

    @Test
    void targetedNotifyReachesOnlyThoseIdsAndCountsUnknownOnesAsFailed() throws Exception {
        var ids = subscribeAll(List.of("t-a", "t-b", "t-c"));
        String unknown = UUID.randomUUID().toString();
        String body = "{\"title\":\"only a and c\",\"subscriptions\":[\"" + ids.get("t-a") + "\",\"" + ids.get("t-c")
                + "\",\"" + unknown + "\"]}";

        var report = notify(body, "wait=30").json();

        assertThat(report.getString("state")).isEqualTo("done");
        String job = report.getString("id");
        assertThat(report.getInt("total")).isEqualTo(3);
        assertThat(report.getInt("sent")).isEqualTo(2);
        assertThat(report.getInt("failed")).isEqualTo(1);
        assertThat(report.getJsonObject("failures").getInt("unknown subscription")).isEqualTo(1);
        assertThat(stub.deliveries("t-a")).singleElement().extracting(delivery -> DeclarativeMessage.classic(delivery.payload()))
                .as("without a tag of its own, the tag is the job id").isEqualTo("{\"title\":\"only a and c\",\"tag\":\"" + job + "\"}");
        assertThat(stub.deliveries("t-c")).hasSize(1);
        assertThat(stub.requestCount("t-b")).isZero();
    }

    @Test
    void ttlUrgencyAndTopicReachThePushServiceAndTtlDefaultsToFourWeeks() throws Exception {
        var ids = subscribeAll(List.of("h-set", "h-default"));

        notify("{\"title\":\"h\",\"ttl\":90,\"urgency\":\"high\",\"topic\":\"breaking-news_1\",\"subscriptions\":[\""
                + ids.get("h-set") + "\"]}", "wait=30");
        notify("{\"title\":\"h\",\"subscriptions\":[\"" + ids.get("h-default") + "\"]}", "wait=30");

        var set = stub.deliveries("h-set").get(0);
        assertThat(set.header("TTL")).isEqualTo("90");
        assertThat(set.header("Urgency")).isEqualTo("high");
        assertThat(set.header("Topic")).isEqualTo("breaking-news_1");
        var defaults = stub.deliveries("h-default").get(0);
        assertThat(defaults.header("TTL")).isEqualTo("2419200");
        assertThat(defaults.header("Topic")).isNull();
    }

    @Test
    void withoutPreferNotifyAnswers202AndTheReportCanBePolledUntilDone() throws Exception {
        var ids = subscribeAll(List.of("p-fast", "p-slow"));
        stub.respond("p-slow", delay(Duration.ofSeconds(3)));

        var reply = notify("{\"title\":\"poll\",\"subscriptions\":[\"" + ids.get("p-fast") + "\",\"" + ids.get("p-slow") + "\"]}", null);

        assertThat(reply.status()).isEqualTo(202);
        String id = reply.json().getString("id");
        assertThat(reply.header("Location")).endsWith("/api/notifications/" + id);
        var first = api.get("api/notifications/" + id).json();
        assertThat(first.getString("id")).isEqualTo(id);
        assertThat(first.getString("state")).isIn("running", "done");
        assertAddsUp(first);
        var report = awaitDone(id);
        assertThat(report.getString("state")).isEqualTo("done");
        assertThat(report.getInt("total")).isEqualTo(2);
        assertThat(report.getInt("sent")).isEqualTo(2);
        assertThat(report.getInt("pending")).isZero();
        assertThat(stub.deliveries("p-slow")).hasSize(1);
    }

    /**
     * The only test of this class that holds pushes: the stub's release() lets every later push through too. More
     * requests wait than the server has request threads (server-config's http-thread-pool); had each held a thread,
     * the ones beyond would not even be accepted, and nothing else would be answered.
     */
    @Test
    void requestsWaitingForTheirNotificationHoldNoRequestThread() throws Exception {
        var preboot = Files.readString(Path.of("server-config/payara-micro-preboot.asadmin"));
        var size = Pattern.compile("http-thread-pool\\.max-thread-pool-size=(\\d+)").matcher(preboot);
        assertThat(size.find()).as("server-config sizes the request thread pool").isTrue();
        int waiting = Integer.parseInt(size.group(1)) + 4;
        String run = "hold-" + UUID.randomUUID() + "-";
        var names = IntStream.range(0, waiting).mapToObj(i -> run + i).toList();
        var ids = subscribeAll(names);
        names.forEach(name -> stub.respond(name, held()));
        var pool = Executors.newFixedThreadPool(waiting);
        try {
            var replies = new ArrayList<Future<Api.Reply>>();
            for (String name : names) {
                replies.add(pool.submit(() -> notify("{\"title\":\"" + name + "\",\"subscriptions\":[\"" + ids.get(name) + "\"]}", "wait=60")));
            }

            assertThat(awaitAccepted(run, waiting, Duration.ofSeconds(60))).as("all %d notifications accepted", waiting).isTrue();
            assertThat(stub.awaitHeld(1, Duration.ofSeconds(60))).as("their pushes held at the push service").isTrue();
            var meanwhile = api.get("api/subscribe");
            assertThat(meanwhile.status()).as("answered while %d requests wait", waiting).isEqualTo(200);
            assertThat(replies).noneMatch(Future::isDone);

            stub.release();
            for (var reply : replies) {
                var answer = reply.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.header("Preference-Applied")).isEqualTo("wait=60");
                assertThat(answer.json().getInt("sent")).isEqualTo(1);
            }
        } finally {
            stub.release();
            pool.shutdownNow();
        }
    }

    /** Until count notifications whose titles start with prefix are listed; false at the timeout. */
    boolean awaitAccepted(String prefix, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var reply = api.get("api/notifications?limit=200");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            long listed = reply.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                    .filter(item -> item.getString("title").startsWith(prefix)).count();
            if (listed >= count) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void shortPreferWaitFallsBackTo202() throws Exception {
        var ids = subscribeAll(List.of("w-slow"));
        stub.respond("w-slow", delay(Duration.ofSeconds(3)));

        var reply = notify("{\"title\":\"w\",\"subscriptions\":[\"" + ids.get("w-slow") + "\"]}", "wait=1");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Preference-Applied")).isNull();
        assertThat(awaitDone(reply.json().getString("id")).getInt("sent")).isEqualTo(1);
    }

    @Test
    void oversizedPayloadIs413AndNothingIsSent() throws Exception {
        var ids = subscribeAll(List.of("big"));
        String title = "x".repeat(4000);

        var reply = notify("{\"title\":\"" + title + "\",\"subscriptions\":[\"" + ids.get("big") + "\"]}", "wait=5");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        // the whole message counts: the title twice (in notification and the legacy fields), the tag that defaults to the job id, the token
        int size = dev.herald.notifications.control.DeclarativePayload.forJob(dev.herald.notifications.entity.Display.of(title, null, null, null),
                dev.herald.notifications.control.NotificationParser.SOME_JOB_ID, dev.herald.notifications.entity.PayloadFormat.DEFAULT).bytes().length;
        assertThat(size).isGreaterThan(8000);
        assertThat(reply.json().getString("detail")).contains(size + " bytes").contains("3993");
        // the body cap (1.5 MiB: 10,000 long user ids fit) comes before the payload's, from Content-Length alone
        try (var socket = new java.net.Socket("127.0.0.1", url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + url.getPath() + "api/notify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer " + dev.herald.testing.Api.TOKEN + "\r\n"
                    + "Content-Length: 1600000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var response = new StringBuilder();
            byte[] chunk = new byte[8192];
            int n;
            // the head and the problem body may come in separate reads; the server closes after refusing
            while (!response.toString().contains("1572864") && (n = socket.getInputStream().read(chunk)) > 0) {
                response.append(new String(chunk, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 413").contains("1572864");
        }
        assertThat(stub.requestCount("big")).isZero();
    }

    @Test
    void invalidRequestsAre400ProblemsAndStartNoJob() {
        var before = TestRedis.client().keys(P + "notification:*").size();
        Map<String, String> cases = Map.of(
                "{\"title\":\"t\",\"colour\":\"red\"}", "Unknown field(s) colour",
                "{\"title\":\"t\",\"url\":\"javascript:alert(1)\"}", "url must be an https URL",
                "{\"title\":\"t\",\"icon\":\"http://example.com/i.png\"}", "icon must be an https URL",
                "{\"body\":\"no title\"}", "title is required",
                "{\"title\":\"t\",\"ttl\":\"60\"}", "ttl must be a whole number",
                "{\"title\":\"t\",\"subscriptions\":[\"nope\"]}", "is not one");
        cases.forEach((body, detail) -> {
            var reply = notify(body, null);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().getString("detail")).as(body).contains(detail);
        });
        assertThat(TestRedis.client().keys(P + "notification:*")).hasSize(before);
    }

    @Test
    void aMalformedIdempotencyKeyIs400AndStartsNoJob() {
        var before = TestRedis.client().keys(P + "notification:*").size();
        var request = api.request("api/notify").header("Content-Type", "application/json").header("Idempotency-Key", "x".repeat(256))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\"}"));

        var reply = api.send(request.build());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getString("detail")).contains("Idempotency-Key");
        assertThat(TestRedis.client().keys(P + "notification:*")).hasSize(before);
    }

    @Test
    void reportOfUnknownJobIs404AndOfMalformedIdIs400() {
        assertThat(api.get("api/notifications/" + UUID.randomUUID()).status()).isEqualTo(404);
        var malformed = api.get("api/notifications/not-a-job");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().getString("detail")).contains("not a notification id");
    }
}
