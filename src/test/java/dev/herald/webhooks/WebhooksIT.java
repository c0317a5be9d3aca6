package dev.herald.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.platform.control.Keys;
import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: one Payara Micro instance on the run's Redis (a prefix of this test's own),
 * a push-service stub, and a receiver on 127.0.0.1 that checks every signature as the README tells
 * receivers to, with each of the two configured secrets, and is down for the first 3 attempts of
 * every event (503, a redirect that must not be followed, 500). Retries are made due by moving
 * Herald's clock (the shift key), never by waiting 10 + 20 + 40 s. Every event arrives, and is
 * accepted once by its id; then the outbox is empty.
 */
class WebhooksIT {

    static final String OLD_SECRET = "whsec-old-" + UUID.randomUUID();
    static final String NEW_SECRET = "whsec-new-" + UUID.randomUUID();
    static final Duration WAIT = Duration.ofSeconds(30);

    final String prefix = TestRedis.PREFIX + "webhooks-" + UUID.randomUUID() + ":";
    final Receiver receiver = new Receiver();

    @Test
    void everyEventArrivesSignedAndOnceByIdAlthoughTheReceiverRefusesTheFirstThreeAttempts() throws Exception {
        var settings = Cluster.settings(TestRedis.URL, prefix);
        settings.put("herald.webhooks.urls", receiver.url("/hook"));
        settings.put("herald.webhooks.secret", NEW_SECRET + "," + OLD_SECRET);
        try (var stub = PushServiceStub.start(null); var cluster = Cluster.start(settings, "a")) {
            var api = cluster.api("a");
            String kept = subscribe(api, stub, "kept", null);
            String gone = subscribe(api, stub, "gone", null);
            String erased = subscribe(api, stub, "erased", "u-erase-me");
            stub.respond("gone", PushServiceStub.Behaviour.status(410));

            var sent = notify(api, "{\"title\":\"Hello\",\"subscriptions\":[\"" + kept + "\",\"" + gone + "\"]}", "wait=30");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            String done = sent.json().getString("id");
            var later = notify(api, "{\"title\":\"Later\",\"send_at\":\"" + Instant.now().plusSeconds(3600) + "\"}", null);
            String cancelled = later.json().getString("id");
            assertThat(api.delete("api/notifications/" + cancelled).status()).isEqualTo(200);
            assertThat(api.delete("api/subscriptions/" + kept).status()).isEqualTo(204);
            assertThat(api.delete("api/users/u-erase-me").json().getInt("removed")).isEqualTo(1);

            for (int refused = 1; refused <= 3; refused++) {
                int expected = 5 * refused;
                await("refusal " + refused + " of every event recorded", () -> stat("failed_attempts") >= expected);
                // the retries are due 10, 20, 40 s later by Herald's clock: move it instead of waiting
                TestRedis.client().set(prefix + Keys.CLOCK_SHIFT, String.valueOf(Duration.ofHours(refused).toMillis()));
            }
            await("every event delivered and the outbox empty", () -> stat("delivered") == 5
                    && TestRedis.client().zcard(prefix + Keys.WEBHOOK_DUE) == 0);

            assertThat(receiver.bad).as("signature, body or header problems").isEmpty();
            assertThat(receiver.elsewhere).as("the redirect was not followed").isEmpty();
            assertThat(receiver.accepted.values()).as("accepted once per id").hasSize(5).containsOnly(1);
            assertThat(receiver.attempts.values()).as("attempts per id").containsOnly(4);
            assertThat(receiver.bodies.values()).as("the same body on every attempt").allSatisfy(bodies -> assertThat(bodies).hasSize(1));
            var events = receiver.events();
            assertThat(events.keySet()).containsExactlyInAnyOrder("notification.done " + done, "notification.cancelled " + cancelled,
                    "subscription.removed " + gone, "subscription.removed " + kept, "subscription.removed " + erased);
            var report = events.get("notification.done " + done).getJsonObject("data");
            assertThat(report.getString("state")).isEqualTo("done");
            assertThat(report.getInt("sent")).isEqualTo(1);
            assertThat(report.getInt("removed")).isEqualTo(1);
            assertThat(report.getJsonObject("removals").getInt("HTTP 410")).isEqualTo(1);
            assertThat(events.get("notification.cancelled " + cancelled).getJsonObject("data").getString("state")).isEqualTo("cancelled");
            assertThat(events.get("subscription.removed " + gone).getJsonObject("data").getString("reason")).isEqualTo("gone");
            assertThat(events.get("subscription.removed " + kept).getJsonObject("data").getString("reason")).isEqualTo("unsubscribed");
            var erasedData = events.get("subscription.removed " + erased).getJsonObject("data");
            assertThat(erasedData.getString("reason")).isEqualTo("erased");
            assertThat(erasedData.getString("user")).isEqualTo("u-erase-me");
            assertThat(TestRedis.snapshot(prefix).keySet()).as("the outbox keeps nothing once delivered")
                    .noneMatch(key -> key.startsWith(prefix + Keys.WEBHOOK_EVENT))
                    .contains(prefix + Keys.WEBHOOK_TARGETS);
            assertThat(TestRedis.client().xlen(prefix + Keys.WEBHOOK_OUTBOX)).isZero();
        } finally {
            receiver.server.stop(0);
            TestRedis.deleteAll(prefix);
        }
    }

    static String subscribe(Api api, PushServiceStub stub, String name, String user) {
        var subscription = Json.createObjectBuilder(json(stub.subscriber(name).json()));
        if (user != null) {
            subscription.add("user", user);
        }
        var reply = api.post("api/subscribe", subscription.build().toString());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().getString("id");
    }

    static Api.Reply notify(Api api, String body, String prefer) {
        var request = api.request("api/notify").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return api.send(request.build());
    }

    long stat(String name) {
        String value = TestRedis.client().hget(prefix + Keys.WEBHOOK_STATS, name);
        return value == null ? 0 : Long.parseLong(value);
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WAIT + "; receiver saw " + receiver.attempts).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /**
     * The receiver: verifies Herald-Signature exactly as README "Webhooks" tells (t within 5 minutes of
     * now, an HMAC-SHA256 of "t.body" in hex among the v1 values, compared in constant time), once with
     * each secret, as a receiver that knows only one of them would; answers 503, then a redirect, then
     * 500 to the first three attempts of each event id, 200 after.
     */
    static final class Receiver {
        final HttpServer server;
        final Map<String, Integer> attempts = new ConcurrentHashMap<>();
        final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        final Map<String, Set<String>> bodies = new ConcurrentHashMap<>();
        final List<String> bad = new CopyOnWriteArrayList<>();
        final List<String> elsewhere = new CopyOnWriteArrayList<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/hook", this::hook);
            server.createContext("/elsewhere", exchange -> {
                elsewhere.add(exchange.getRequestURI().toString());
                answer(exchange, 200);
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void hook(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("Herald-Signature");
            for (String secret : List.of(OLD_SECRET, NEW_SECRET)) {
                if (!verifies(signature, body, secret, Instant.now())) {
                    bad.add("signature " + signature + " does not verify with one secret for " + body);
                }
            }
            if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                bad.add("Content-Type " + exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            String id = json(body).getString("id");
            bodies.computeIfAbsent(id, i -> ConcurrentHashMap.newKeySet()).add(body);
            int attempt = attempts.merge(id, 1, Integer::sum);
            switch (attempt) {
                case 1 -> answer(exchange, 503);
                case 2 -> {
                    exchange.getResponseHeaders().add("Location", url("/elsewhere"));
                    answer(exchange, 302);
                }
                case 3 -> answer(exchange, 500);
                default -> {
                    accepted.merge(id, 1, Integer::sum);
                    answer(exchange, 200);
                }
            }
        }

        /** What README "Webhooks" tells a receiver to do. */
        static boolean verifies(String header, String body, String secret, Instant now) {
            if (header == null) {
                return false;
            }
            long t = -1;
            var candidates = new ArrayList<String>();
            for (String part : header.split(",")) {
                String[] pair = part.split("=", 2);
                if (pair.length == 2 && pair[0].equals("t")) {
                    t = Long.parseLong(pair[1]);
                } else if (pair.length == 2 && pair[0].equals("v1")) {
                    candidates.add(pair[1]);
                }
            }
            if (t < 0 || Math.abs(now.getEpochSecond() - t) > 300) {
                return false;
            }
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.US_ASCII);
                return candidates.stream().anyMatch(v1 -> MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static void answer(HttpExchange exchange, int status) throws IOException {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }

        /** "type subject" -> the event as received (subject: the job or the subscription). */
        Map<String, JsonObject> events() {
            return bodies.values().stream().map(set -> json(set.iterator().next())).collect(Collectors.toMap(event -> {
                var data = event.getJsonObject("data");
                return event.getString("type") + " " + (data.containsKey("subscription") ? data.getString("subscription") : data.getString("id"));
            }, event -> event));
        }
    }
}
