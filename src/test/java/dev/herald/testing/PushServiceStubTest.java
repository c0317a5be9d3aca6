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
        return new dev.herald.encryption.control.PayloadEncryption().encrypt("hi".getBytes(), subscriber.p256dh(), subscriber.authSecret());
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
        byte[] foreign = new dev.herald.encryption.control.PayloadEncryption().encrypt("hi".getBytes(), other.p256dh(), other.authSecret());

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
}
