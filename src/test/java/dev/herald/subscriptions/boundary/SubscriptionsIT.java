package dev.herald.subscriptions.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URL;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

@ExtendWith(ArquillianExtension.class)
class SubscriptionsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, MicroProcess.WAR.toFile());
    }

    @ArquillianResource
    URL url;

    Api api;

    @BeforeEach
    void connect() {
        api = Api.at(url);
    }

    @Test
    void publicKeyIsAnUncompressedP256Point() {
        var reply = api.get("api/subscribe");
        assertThat(reply.status()).isEqualTo(200);
        byte[] key = Base64.getUrlDecoder().decode(reply.json().getString("public_key"));
        assertThat(key).hasSize(65);
        assertThat(key[0]).isEqualTo((byte) 4);
        assertThat(TestRedis.client().get(TestRedis.PREFIX + "vapid:private-key")).isNotBlank();
    }

    @Test
    void subscribeStoresRecordAndIndexes() {
        var subscriber = TestSubscriber.create();
        var reply = api.post("api/subscribe", subscriber.json());

        assertThat(reply.status()).isEqualTo(201);
        String id = reply.json().getString("id");
        assertThat(reply.header("Location")).endsWith("/api/subscriptions/" + id);
        var record = TestRedis.client().hgetAll(TestRedis.PREFIX + "subscription:" + id);
        // the compact layout: long values in pieces of at most 60 characters (docs/internals.md, Redis layout)
        assertThat(record.get("e1") + record.getOrDefault("e2", "") + record.getOrDefault("e3", "")).isEqualTo(subscriber.endpoint());
        assertThat(record.get("k1") + record.getOrDefault("k2", "")).isEqualTo(subscriber.p256dh() + "." + subscriber.authSecret());
        assertThat(record.get("t")).as("created").isNotNull();
        assertThat(TestRedis.client().zscore(TestRedis.PREFIX + "subscriptions", id)).isZero();
        assertThat(TestRedis.client().hget(TestRedis.PREFIX + "subscriptions:by-endpoint", record.get("h"))).isEqualTo(id);
        assertThat(api.get("api/subscriptions/" + id).json().getString("endpoint")).isEqualTo(subscriber.endpoint());
    }

    /** The subscriber's JSON with a "timezone" member, as the page sends it. */
    static String withTimezone(TestSubscriber subscriber, String timezone) {
        var json = Json.createReader(new StringReader(subscriber.json())).readObject();
        return Json.createObjectBuilder(json).add("timezone", timezone).build().toString();
    }

    @Test
    void subscribeWithATimeZoneShowsItInTheStoredSubscription() {
        var reply = api.post("api/subscribe", withTimezone(TestSubscriber.create(), "Europe/Berlin"));

        assertThat(reply.status()).isEqualTo(201);
        String id = reply.json().getString("id");
        var stored = api.get("api/subscriptions/" + id);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().getString("timezone")).isEqualTo("Europe/Berlin");
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void aZoneJavaDoesNotKnowIsStoredAsGiven() {
        var reply = api.post("api/subscribe", withTimezone(TestSubscriber.create(), "Mars/Olympus"));

        assertThat(reply.status()).isEqualTo(201);
        String id = reply.json().getString("id");
        assertThat(api.get("api/subscriptions/" + id).json().getString("timezone")).isEqualTo("Mars/Olympus");
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void aSubscriptionWithoutATimeZoneShowsNone() {
        String id = api.post("api/subscribe", TestSubscriber.create().json()).json().getString("id");

        assertThat(api.get("api/subscriptions/" + id).json().containsKey("timezone")).isFalse();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void subscribeTwiceKeepsOneRecordWithTheNewKeys() {
        var first = TestSubscriber.create();
        String id = api.post("api/subscribe", first.json()).json().getString("id");
        var renewed = TestSubscriber.create();
        var before = TestRedis.snapshot(TestRedis.PREFIX).keySet();

        var reply = api.post("api/subscribe", TestSubscriber.json(first.endpoint(), renewed.p256dh(), renewed.authSecret(), "null"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("id")).isEqualTo(id);
        assertThat(TestRedis.snapshot(TestRedis.PREFIX).keySet()).isEqualTo(before);
        assertThat(api.get("api/subscriptions/" + id).json().getJsonObject("keys").getString("p256dh")).isEqualTo(renewed.p256dh());
    }

    @Test
    void unsubscribeRemovesRecordAndIndexes() {
        var before = TestRedis.snapshot(TestRedis.PREFIX);
        String id = api.post("api/subscribe", TestSubscriber.create().json()).json().getString("id");

        var reply = api.post("api/unsubscribe", "{\"client_uuid\":\"" + id + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("message")).isEqualTo("unsubscribed");
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
    }

    @Test
    void deleteRemovesRecordAndAnswersNoContent() {
        var before = TestRedis.snapshot(TestRedis.PREFIX);
        String id = api.post("api/subscribe", TestSubscriber.create().json()).json().getString("id");

        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(404);
    }

    @Test
    void unknownWellFormedIdAnswersLikeAKnownOne() {
        String unknown = java.util.UUID.randomUUID().toString();
        assertThat(api.post("api/unsubscribe", "{\"client_uuid\":\"" + unknown + "\"}").status()).isEqualTo(200);
        assertThat(api.delete("api/subscriptions/" + unknown).status()).isEqualTo(204);
    }

    static Stream<Arguments> rejected() {
        var s = TestSubscriber.create();
        String endpoint = s.endpoint();
        String past = String.valueOf(System.currentTimeMillis() - 60_000);
        return Stream.of(
                Arguments.of("subscribe", "text/plain", s.json(), 415, "application/json"),
                Arguments.of("subscribe", "application/json", "{\"endpoint\":", 400, "not valid JSON"),
                Arguments.of("subscribe", "application/json", "[" + s.json() + "]", 400, "must be a JSON object"),
                Arguments.of("subscribe", "application/json", "{\"pad\":\"" + "x".repeat(9000) + "\"}", 413, "larger than 8192 bytes"),
                Arguments.of("subscribe", "application/json", "{\"keys\":{}}", 400, "endpoint is required"),
                Arguments.of("subscribe", "application/json", TestSubscriber.json(endpoint.replace("https:", "ftp:"), s.p256dh(), s.authSecret(), "null"), 400, "https"),
                Arguments.of("subscribe", "application/json", TestSubscriber.json(endpoint, s.p256dh().substring(4), s.authSecret(), "null"), 400, "keys.p256dh"),
                Arguments.of("subscribe", "application/json", TestSubscriber.json(endpoint, s.p256dh(), TestSubscriber.b64(new byte[12]), "null"), 400, "keys.auth"),
                Arguments.of("subscribe", "application/json", TestSubscriber.json(endpoint, s.p256dh(), s.authSecret(), past), 400, "in the past"),
                Arguments.of("subscribe", "application/json", TestSubscriber.json(endpoint, s.p256dh(), s.authSecret(), "\"soon\""), 400, "expirationTime"),
                Arguments.of("subscribe", "application/json", withTimezone(s, "Europe/" + "x".repeat(58)), 400, "timezone is longer than 64 characters"),
                Arguments.of("unsubscribe", "application/json", "{}", 400, "client_uuid is required"),
                Arguments.of("unsubscribe", "application/json", "{\"client_uuid\":\"../../etc\"}", 400, "not a subscription id"),
                Arguments.of("unsubscribe", "application/json", "{\"client_uuid\":7}", 400, "must be a string"));
    }

    @ParameterizedTest(name = "{0} {3}: {4}")
    @MethodSource("rejected")
    void rejectedInputStoresNothingAndExplains(String path, String contentType, String body, int status, String detail) {
        var before = TestRedis.snapshot(TestRedis.PREFIX);

        var reply = api.post("api/" + path, contentType, body);

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(status);
        assertThat(reply.json().getString("detail")).contains(detail);
        assertThat(reply.body()).doesNotContain("Exception", "at dev.herald");
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
    }

    @Test
    void malformedIdInThePathIsABadRequest() {
        var reply = api.delete("api/subscriptions/not-a-uuid");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().getString("detail")).contains("not a subscription id");
    }
}
