package dev.herald.portability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.DeclarativeMessage;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The same end-to-end smoke test on Payara Micro, WildFly and TomEE, each serving the WAR
 * this build produced (./mvnw -Pservers verify; README "Deploy"). Every server gets its own
 * Redis key prefix under the run's prefix and it is deleted afterwards.
 */
class ServersSmokeIT {

    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void payaraMicro() throws Exception {
        smoke(new PayaraMicroServer());
    }

    @Test
    void wildFly() throws Exception {
        smoke(new WildFlyServer());
    }

    @Test
    void tomEE() throws Exception {
        smoke(new TomEEServer());
    }

    void smoke(AppServer server) throws Exception {
        String prefix = TestRedis.PREFIX + server.name() + ":";
        String token = "smoke-" + UUID.randomUUID();
        long begin = System.nanoTime();
        long started = 0;
        long tested = 0;
        try {
            server.start(config(prefix, token), START_TIMEOUT);
            started = System.nanoTime();
            scenario(server, new Api(server.base()), prefix, token);
            tested = System.nanoTime();
        } finally {
            long stopping = System.nanoTime();
            server.close();
            TestRedis.deleteAll(prefix);
            long end = System.nanoTime();
            System.out.printf("[smoke] %-12s %s: start+deploy %s, scenario %s, stop %.1f s, total %.1f s; server log %s%n",
                    server.name(), tested > 0 ? "passed" : "FAILED", seconds(begin, started), seconds(started, tested),
                    (end - stopping) / 1e9, (end - begin) / 1e9, server.log);
        }
    }

    static String seconds(long from, long to) {
        return from == 0 || to == 0 ? "-" : String.format("%.1f s", (to - from) / 1e9);
    }

    static Map<String, String> config(String prefix, String token) {
        var config = new TreeMap<String, String>();
        config.put("herald.redis.url", TestRedis.URL);
        config.put("herald.redis.prefix", prefix);
        config.put("herald.push.allow-insecure", "true");
        config.put("herald.push.allowed-hosts", "127.0.0.1");
        config.put("herald.api.tokens", token);
        return config;
    }

    void scenario(AppServer server, Api anonymous, String prefix, String token) throws InterruptedException {
        var key = anonymous.get("api/subscribe");
        assertThat(key.status()).isEqualTo(200);
        String publicKey = key.json().getString("public_key");
        assertThat(Base64.getUrlDecoder().decode(publicKey)).hasSize(65);

        // readiness waits for the deployment's warm-up (its default 3,000 pushes to its loopback sink, a few seconds)
        var ready = anonymous.send(anonymous.request(server.readiness().toString()).GET().build());
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        // TomEE 9.0.0's MicroProfileHealthChecksEndpoint runs the checks twice per request, once for the status code
        // and once for the body, so the request that sees the warm-up end can be 503 with an "UP" body: ask again
        while (ready.status() == 503 && (ready.body().contains("\"phase\":\"running\"") || ready.body().startsWith("{\"status\":\"UP\""))
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
            ready = anonymous.send(anonymous.request(server.readiness().toString()).GET().build());
        }
        assertThat(ready.status()).as("MP Health readiness: " + ready.body()).isEqualTo(200);
        // ended: done, or failed (logged, fails open; seen once on WildFly: a sink connection answered no bytes)
        assertThat(ready.body()).as("the warm-up ran and ended").contains("\"warm-up\"").containsPattern("\"phase\":\"(done|failed)\"");
        assertThat(ready.body()).contains("\"redis\"").doesNotContain("DOWN");
        var health = anonymous.get("api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");

        assertThat(anonymous.get("api/openapi.yaml").body()).contains("/api/notify:");
        // some Accept header: TomEE 9.0.0 answers 500 (NullPointerException) without one, Payara 406 to application/yaml
        var mpOpenApi = anonymous.send(anonymous.request("openapi").header("Accept", "*/*").GET().build());
        assertThat(mpOpenApi.status()).as("MP OpenAPI at /openapi").isEqualTo(200);
        assertThat(mpOpenApi.body()).contains("/api/subscribe");

        try (var stub = PushServiceStub.start(publicKey)) {
            var before = TestRedis.snapshot(prefix);
            var subscriber = stub.subscriber(server.name());
            var subscribed = anonymous.post("api/subscribe", subscriber.json());
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
            String id = subscribed.json().getString("id");
            assertThat(TestRedis.client().exists(prefix + "subscription:" + id)).isTrue();

            String title = "Smoke test on " + server.name() + " \u2713";
            var notified = anonymous.withToken(token).send(anonymous.withToken(token).request("api/notify")
                    .header("Content-Type", "application/json").header("Prefer", "wait=30")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("title", title)
                            .add("body", "one WAR, three servers").add("subscriptions", Json.createArrayBuilder().add(id))
                            .build().toString())).build());
            assertThat(notified.status()).as("notify: " + notified.body()).isEqualTo(200);
            var report = notified.json();
            assertThat(report.getString("state")).isEqualTo("done");
            assertThat(report.getInt("total")).isEqualTo(1);
            assertThat(report.getInt("sent")).as(report.toString()).isEqualTo(1);
            var deliveries = stub.awaitDeliveries(server.name(), 1, Duration.ofSeconds(10));
            assertThat(deliveries).hasSize(1);
            assertThat(DeclarativeMessage.classic(deliveries.get(0).payload())).as("without a tag of its own, the tag is the job id").isEqualTo(Json.createObjectBuilder()
                    .add("title", title).add("body", "one WAR, three servers").add("tag", report.getString("id")).build().toString());
            assertThat(stub.rejections()).as("stub rejections (VAPID, encryption)").isEmpty();
            var jobReport = anonymous.withToken(token).get("api/notifications/" + report.getString("id"));
            assertThat(jobReport.status()).isEqualTo(200);
            assertThat(anonymous.get("api/notifications/" + report.getString("id")).status()).as("no token").isEqualTo(401);
            var listed = anonymous.withToken(token).get("api/notifications?state=done&limit=1");
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            assertThat(listed.json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(report.getString("id"));

            var unsubscribed = anonymous.post("api/unsubscribe", "{\"client_uuid\":\"" + id + "\"}");
            assertThat(unsubscribed.status()).isEqualTo(200);
            var after = TestRedis.snapshot(prefix);
            for (String subscriptionKey : List.of("subscription:" + id, "subscriptions", "subscriptions:by-endpoint")) {
                assertThat(after.get(prefix + subscriptionKey)).as(subscriptionKey).isEqualTo(before.get(prefix + subscriptionKey));
            }
            assertThat(withoutKept(after, prefix)).isEqualTo(withoutKept(before, prefix));
            assertThat(after).containsKey(prefix + "notification:" + report.getString("id"));
        }
    }

    /**
     * Keys the app legitimately keeps after a notify: job records and the list indexes that name them (both until
     * herald.delivery.job-ttl after the job), rate-limit counters, and the push services seen (the doctor's record of
     * each push service's last answer, which holds host names and times, never a subscription).
     */
    static Map<String, String> withoutKept(Map<String, String> snapshot, String prefix) {
        var result = new TreeMap<>(snapshot);
        result.keySet().removeIf(key -> key.startsWith(prefix + "notification:") || key.startsWith(prefix + "notifications")
                || key.startsWith(prefix + "ratelimit:") || key.equals(prefix + "push-services:seen"));
        return result;
    }
}
