package dev.herald.vapid;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The VAPID doctor and key rotation end to end: two Payara Micro instances side by side on the
 * run's Redis (each with a prefix of this test's own), the checking push-service stub (it verifies
 * every JWT's signature against the k it carries, and its aud and exp), and a webhook receiver.
 * "generated" keeps its keys in Redis and rotates them; "configured" has a configured key, which
 * only configuration rotates.
 */
class VapidKeysIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** A configured key (raw base64url, as the Flask project writes them). */
    static final String CONFIGURED = rawKey();

    final String generated = TestRedis.PREFIX + "vapid-" + UUID.randomUUID() + ":";
    final String configured = TestRedis.PREFIX + "vapid-configured-" + UUID.randomUUID() + ":";
    final List<String> webhooks = new CopyOnWriteArrayList<>();

    @Test
    void subscriptionsMadeBeforeAndAfterARotationAreEachSignedWithTheirOwnKeyUntilTheOldKeyIsRemoved() throws Exception {
        HttpServer receiver = receiver();
        var common = Cluster.settings(TestRedis.URL, generated);
        common.put("herald.webhooks.urls", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        common.put("herald.webhooks.secret", "whsec-" + UUID.randomUUID());
        var instances = Map.<String, Map<String, String>>of("generated", Map.of(),
                "configured", Map.of("herald.redis.prefix", configured, "herald.vapid.private-key", CONFIGURED,
                        "herald.vapid.subject", "mailto:push-admin@herald.dev"));
        try (var stub = PushServiceStub.start(null); var cluster = Cluster.start(common, instances)) {
            var api = cluster.api("generated");
            var anonymous = new Api(cluster.get("generated").uri("/"), null);

            var doctor = api.get("api/diagnostics");
            assertThat(doctor.status()).as(doctor.body()).isEqualTo(200);
            assertThat(anonymous.get("api/diagnostics").status()).isEqualTo(401);
            JsonObject subject = check(doctor.json(), "vapid.subject");
            assertThat(subject.getString("status")).isEqualTo("warn");
            assertThat(subject.getString("detail")).contains("mailto:admin@example.com", "herald.vapid.subject", subject.getString("fix"));
            assertThat(check(doctor.json(), "vapid.key-pair").getString("status")).isEqualTo("ok");
            assertThat(check(doctor.json(), "vapid.jwt-exp").getString("status")).isEqualTo("ok");
            assertThat(check(doctor.json(), "clock").getString("status")).isEqualTo("ok");
            assertThat(check(doctor.json(), "push.allowed-hosts").getString("status")).as("allow-insecure: tests only").isEqualTo("warn");
            assertThat(doctor.json().getString("status")).isEqualTo("warn");
            assertThat(cluster.get("generated").log()).contains("VAPID doctor: vapid.subject warn");

            String firstKey = api.get("api/subscribe").json().getString("public_key");
            String before = subscribe(api, stub, "before");
            assertThat(anonymous.post("api/vapid/rotate", "").status()).isEqualTo(401);
            var rotated = api.post("api/vapid/rotate", "");
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String secondKey = rotated.json().getString("public_key");
            assertThat(api.get("api/subscribe").json().getString("public_key")).isEqualTo(secondKey).isNotEqualTo(firstKey);
            String after = subscribe(api, stub, "after");
            // a page loaded before the rotation subscribes with the key it was given, and says so
            var late = api.post("api/subscribe", Json.createObjectBuilder(json(stub.subscriber("late").json()))
                    .add("application_server_key", firstKey).build().toString());
            assertThat(late.status()).as(late.body()).isEqualTo(201);
            var unknownKey = api.post("api/subscribe", Json.createObjectBuilder(json(stub.subscriber("stray").json()))
                    .add("application_server_key", stub.subscriber("y").p256dh()).build().toString());
            assertThat(unknownKey.status()).isEqualTo(400);
            assertThat(unknownKey.contentType()).startsWith("application/problem+json");

            var sent = notify(api, "{\"title\":\"Both keys\"}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            assertThat(sent.json().getInt("sent")).as(sent.body()).isEqualTo(3);
            assertThat(stub.rejections()).isEmpty();
            assertThat(stub.awaitDeliveries("before", 1, WAIT)).singleElement()
                    .satisfies(delivery -> assertThat(delivery.header("Authorization")).endsWith("k=" + firstKey));
            assertThat(stub.awaitDeliveries("late", 1, WAIT)).singleElement()
                    .satisfies(delivery -> assertThat(delivery.header("Authorization")).endsWith("k=" + firstKey));
            assertThat(stub.awaitDeliveries("after", 1, WAIT)).singleElement()
                    .satisfies(delivery -> assertThat(delivery.header("Authorization")).endsWith("k=" + secondKey));
            assertThat(check(api.get("api/diagnostics").json(), "push-service 127.0.0.1").getString("status")).isEqualTo("ok");

            String oldPrint = fingerprint(firstKey);
            String newPrint = fingerprint(secondKey);
            assertThat(rotated.json().getString("fingerprint")).isEqualTo(newPrint);
            var keys = api.get("api/vapid/keys").body();
            try (var reader = Json.createReader(new StringReader(keys))) {
                var list = reader.readArray().getValuesAs(JsonObject.class);
                assertThat(list).extracting(k -> k.getString("fingerprint")).containsExactly(newPrint, oldPrint);
                assertThat(list).extracting(k -> k.getBoolean("current")).containsExactly(true, false);
                assertThat(list).extracting(k -> k.getInt("subscriptions")).containsExactly(1, 2);
                assertThat(list).extracting(k -> k.getString("public_key")).containsExactly(secondKey, firstKey);
                assertThat(keys).doesNotContain("private");
            }
            assertThat(api.get("api/audience").json().getJsonObject("vapid_keys")).isEqualTo(Json.createObjectBuilder()
                    .add(newPrint, 1).add(oldPrint, 2).build());

            assertThat(api.delete("api/vapid/keys/" + newPrint).status()).as("the current key").isEqualTo(409);
            assertThat(api.delete("api/vapid/keys/" + fingerprint(stub.subscriber("x").p256dh())).status()).isEqualTo(404);
            var inUse = api.delete("api/vapid/keys/" + oldPrint);
            assertThat(inUse.status()).isEqualTo(409);
            assertThat(inUse.contentType()).startsWith("application/problem+json");
            assertThat(inUse.body()).contains("force=true");
            assertThat(anonymous.delete("api/vapid/keys/" + oldPrint + "?force=true").status()).isEqualTo(401);

            var forced = api.delete("api/vapid/keys/" + oldPrint + "?force=true");
            assertThat(forced.status()).as(forced.body()).isEqualTo(200);
            assertThat(forced.json().getInt("removed_subscriptions")).isEqualTo(2);
            assertThat(api.get("api/subscriptions/" + before).status()).isEqualTo(404);
            assertThat(api.get("api/subscriptions/" + after).status()).isEqualTo(200);
            assertThat(api.get("api/audience").json().getJsonObject("vapid_keys").keySet()).containsExactly(newPrint);
            assertThat(api.delete("api/vapid/keys/" + oldPrint).status()).as("gone now").isEqualTo(404);
            await("the subscription.removed webhook with reason key removed", () -> webhooks.stream()
                    .anyMatch(body -> body.contains("subscription.removed") && body.contains(before) && body.contains("key removed")));

            var other = cluster.api("configured");
            var refused = other.post("api/vapid/rotate", "");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("herald.vapid.previous-private-keys");
            assertThat(check(other.get("api/diagnostics").json(), "vapid.subject").getString("status")).isEqualTo("ok");
            assertThat(other.get("api/vapid/keys").body()).contains("\"configured\":true").doesNotContain(CONFIGURED);
        } finally {
            receiver.stop(0);
            TestRedis.deleteAll(generated);
            TestRedis.deleteAll(configured);
        }
    }

    static JsonObject check(JsonObject diagnostics, String name) {
        return diagnostics.getJsonArray("checks").getValuesAs(JsonObject.class).stream().filter(c -> name.equals(c.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + diagnostics));
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static String subscribe(Api api, PushServiceStub stub, String name) {
        var reply = api.post("api/subscribe", stub.subscriber(name).json());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().getString("id");
    }

    static Api.Reply notify(Api api, String body) {
        return api.send(api.request("api/notify").header("Content-Type", "application/json").header("Prefer", "wait=30")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String fingerprint(String publicKey) throws Exception {
        byte[] raw = java.util.Base64.getUrlDecoder().decode(publicKey);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
    }

    HttpServer receiver() throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            webhooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WAIT + "; received " + webhooks).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String rawKey() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            byte[] d = ((java.security.interfaces.ECPrivateKey) generator.generateKeyPair().getPrivate()).getS().toByteArray();
            byte[] fixed = new byte[32];
            int copy = Math.min(32, d.length);
            System.arraycopy(d, d.length - copy, fixed, 32 - copy, copy);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
