package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.control.VapidHeaders;
import dev.herald.vapid.control.VapidKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stub must refuse what a real push service refuses, or PushClient's tests prove nothing. */
class PushServiceStubTest {

    final VapidKeys keys = VapidFixture.keys();
    final VapidHeaders vapid = VapidFixture.headers(keys);
    final PushServiceStub stub = PushServiceStub.start(keys.publicKeyBase64Url());
    final HttpClient client = HttpClient.newHttpClient();
    final TestSubscriber subscriber = stub.subscriber("s");

    @AfterEach
    void close() {
        stub.close();
    }

    Map<String, String> validHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", vapid.create(stub.origin(), Instant.now()));
        headers.put("TTL", "60");
        headers.put("Content-Encoding", "aes128gcm");
        return headers;
    }

    byte[] body() {
        return new dev.herald.encryption.control.PayloadEncryption(true).encrypt("hi".getBytes(), subscriber.p256dh(), subscriber.authSecret());
    }

    int post(Map<String, String> headers, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stub.endpoint("s"))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String onlyRejection() {
        assertThat(stub.deliveries("s")).isEmpty();
        assertThat(stub.rejections()).hasSize(1);
        return stub.rejections().get(0).reason();
    }

    @Test
    void acceptsAValidMessage() throws Exception {
        assertThat(post(validHeaders(), body())).isEqualTo(201);
        assertThat(stub.deliveries("s")).singleElement().satisfies(d -> assertThat(d.payload()).isEqualTo("hi"));
        assertThat(stub.rejections()).isEmpty();
    }

    @Test
    void refusesAnAudienceWithoutThePort() throws Exception {
        var headers = validHeaders();
        headers.put("Authorization", vapid.create("http://127.0.0.1", Instant.now()));

        assertThat(post(headers, body())).isEqualTo(401);
        assertThat(onlyRejection()).contains("aud");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        var headers = validHeaders();
        headers.put("Authorization", vapid.create(stub.origin(), Instant.now().minus(Duration.ofHours(13))));

        assertThat(post(headers, body())).isEqualTo(401);
        assertThat(onlyRejection()).contains("exp");
    }

    @Test
    void refusesATamperedSignature() throws Exception {
        var headers = validHeaders();
        String header = headers.get("Authorization");
        int signatureStart = header.lastIndexOf('.', header.indexOf(", k=")) + 1;
        char flipped = header.charAt(signatureStart) == 'A' ? 'B' : 'A';
        headers.put("Authorization", header.substring(0, signatureStart) + flipped + header.substring(signatureStart + 1));

        assertThat(post(headers, body())).isEqualTo(401);
        assertThat(onlyRejection()).contains("signature");
    }

    @Test
    void refusesAnotherServerKey() throws Exception {
        var headers = validHeaders();
        headers.put("Authorization", VapidFixture.headers(VapidFixture.keys()).create(stub.origin(), Instant.now()));

        assertThat(post(headers, body())).isEqualTo(403);
        assertThat(onlyRejection()).contains("k is not");
    }

    @Test
    void refusesAMissingTtl() throws Exception {
        var headers = validHeaders();
        headers.remove("TTL");

        assertThat(post(headers, body())).isEqualTo(400);
        assertThat(onlyRejection()).contains("TTL");
    }

    @Test
    void refusesTheLegacyAesgcmEncoding() throws Exception {
        var headers = validHeaders();
        headers.put("Content-Encoding", "aesgcm");

        assertThat(post(headers, body())).isEqualTo(415);
        assertThat(onlyRejection()).contains("aes128gcm");
    }

    @Test
    void refusesABodyEncryptedForAnotherSubscriber() throws Exception {
        TestSubscriber other = TestSubscriber.create();
        byte[] foreign = new dev.herald.encryption.control.PayloadEncryption(true).encrypt("hi".getBytes(), other.p256dh(), other.authSecret());

        assertThat(post(validHeaders(), foreign)).isEqualTo(400);
        assertThat(onlyRejection()).contains("decrypt");
    }

    @Test
    void scriptedAnswersAreConsumedInOrderAndTheLastRepeats() throws Exception {
        stub.respond("s", PushServiceStub.Behaviour.status(500), PushServiceStub.Behaviour.status(404));

        assertThat(post(validHeaders(), body())).isEqualTo(500);
        assertThat(post(validHeaders(), body())).isEqualTo(404);
        assertThat(post(validHeaders(), body())).isEqualTo(404);
        assertThat(stub.requestCount("s")).isEqualTo(3);
        assertThat(stub.deliveries("s")).isEmpty();
    }

    @Test
    void fastModeAcceptsAnything() throws Exception {
        try (PushServiceStub fast = PushServiceStub.startFast(Duration.ZERO)) {
            var response = client.send(HttpRequest.newBuilder(URI.create(fast.endpoint("x"))).POST(HttpRequest.BodyPublishers.ofString("junk")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(fast.endpoint("x")));
            assertThat(fast.requestCount("x")).isEqualTo(1);
        }
    }

    /** A request to a stub with a personality: the whole answer. */
    HttpResponse<String> exchange(PushServiceStub other, String name, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(other.endpoint(name))).POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<String, String> headersFor(PushServiceStub other) {
        var headers = validHeaders();
        headers.put("Authorization", vapid.create(other.origin(), Instant.now()));
        return headers;
    }

    @Test
    void applePersonalityAnswersWithAJsonReason() throws Exception {
        try (var apple = PushServiceStub.start("BAnotherKey", Personality.APPLE)) {
            apple.register("s", subscriber);
            var refused = exchange(apple, "s", headersFor(apple));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(refused.body()).isEqualTo("{\"reason\":\"VapidPkHashMismatch\"}");
            assertThat(apple.rejections()).singleElement().satisfies(r -> assertThat(r.reason()).contains("k is not"));
        }
        try (var apple = PushServiceStub.start(keys.publicKeyBase64Url(), Personality.APPLE)) {
            var headers = headersFor(apple);
            headers.put("Authorization", vapid.create("http://127.0.0.1", Instant.now()));
            apple.register("s", subscriber);
            assertThat(exchange(apple, "s", headers).body()).isEqualTo("{\"reason\":\"BadJwtToken\"}");
            assertThat(exchange(apple, "nobody", headersFor(apple))).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(410);
                assertThat(r.body()).isEqualTo("{\"reason\":\"Unregistered\"}");
            });
            apple.respond("s", PushServiceStub.Behaviour.throttled(30));
            var throttled = exchange(apple, "s", headersFor(apple));
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(throttled.body()).isEqualTo("{\"reason\":\"TooManyRequests\"}");
        }
    }

    @Test
    void mozillaPersonalityAnswersWithAutopushErrnos() throws Exception {
        try (var mozilla = PushServiceStub.start(keys.publicKeyBase64Url(), Personality.MOZILLA)) {
            var unknown = exchange(mozilla, "nobody", headersFor(mozilla));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).startsWith("{\"code\": 404, \"errno\": 102, \"error\": \"Not Found\", \"message\": ")
                    .endsWith("\"more_info\": \"http://autopush.readthedocs.io/en/latest/http.html#error-codes\"}");
            var headers = headersFor(mozilla);
            headers.remove("TTL");
            mozilla.register("s", subscriber);
            assertThat(exchange(mozilla, "s", headers).body()).contains("\"errno\": 112");
            headers = headersFor(mozilla);
            headers.put("Authorization", vapid.create("http://127.0.0.1", Instant.now()));
            assertThat(exchange(mozilla, "s", headers)).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).contains("\"errno\": 109");
            });
            mozilla.respond("s", PushServiceStub.Behaviour.gone());
            assertThat(exchange(mozilla, "s", headersFor(mozilla)).body()).startsWith("{\"code\": 410, \"errno\": 103");
        }
    }

    @Test
    void fcmPersonalityAnswersInPlainTextOrGooglesErrorJson() throws Exception {
        try (var fcm = PushServiceStub.start("BAnotherKey", Personality.FCM)) {
            fcm.register("s", subscriber);
            var refused = exchange(fcm, "s", headersFor(fcm));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).startsWith("the VAPID credentials in the authorization header do not correspond");
        }
        try (var fcm = PushServiceStub.start(keys.publicKeyBase64Url(), Personality.FCM)) {
            assertThat(exchange(fcm, "nobody", headersFor(fcm)).body()).isEqualTo("push subscription has unsubscribed or expired.");
            fcm.register("s", subscriber);
            fcm.respond("s", PushServiceStub.Behaviour.throttled(null));
            var throttled = exchange(fcm, "s", headersFor(fcm));
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.body()).contains("\"status\": \"RESOURCE_EXHAUSTED\"", "\"code\": 429");
        }
    }

    @Test
    void wnsPersonalityAnswersInHeadersWithoutABody() throws Exception {
        try (var wns = PushServiceStub.start(keys.publicKeyBase64Url(), Personality.WNS)) {
            wns.register("s", subscriber);
            wns.respond("s", PushServiceStub.Behaviour.throttled(null), PushServiceStub.Behaviour.gone());
            var throttled = exchange(wns, "s", headersFor(wns));
            assertThat(throttled.statusCode()).isEqualTo(406);
            assertThat(throttled.body()).isEmpty();
            assertThat(throttled.headers().firstValue("X-WNS-Status")).hasValue("channelthrottled");
            assertThat(throttled.headers().firstValue("X-WNS-Msg-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9A-F]{16}"));
            var gone = exchange(wns, "s", headersFor(wns));
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.headers().firstValue("X-WNS-Error-Description")).hasValue("The channel expired.");
            // what the personality changes is only the wording: the stub still decrypts what it accepts
            wns.respond("s", PushServiceStub.Behaviour.status(201));
            assertThat(exchange(wns, "s", headersFor(wns)).statusCode()).isEqualTo(201);
            assertThat(wns.deliveries("s")).singleElement().satisfies(d -> assertThat(d.payload()).isEqualTo("hi"));
        }
    }

    @Test
    void aSecondLoopbackAddressIsASecondHost() throws Exception {
        try (var other = PushServiceStub.start(keys.publicKeyBase64Url(), Personality.GENERIC, "127.0.0.2")) {
            other.register("s", subscriber);
            assertThat(other.origin()).startsWith("http://127.0.0.2:");
            assertThat(exchange(other, "s", headersFor(other)).statusCode()).isEqualTo(201);
        }
    }
}
