package dev.herald.subscriptions.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionParserTest {

    static final TestSubscriber SUBSCRIBER = TestSubscriber.create();
    static final String ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc";
    static final long NOW = 1_800_000_000_000L;

    SubscriptionParser parser;

    @BeforeEach
    void setUp() {
        var policy = new EndpointPolicy();
        policy.allowedHosts = List.of("fcm.googleapis.com", ".notify.windows.com");
        parser = new SubscriptionParser();
        parser.endpoints = policy;
        parser.clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static String subscription(String endpoint, String p256dh, String auth, String expirationTime) {
        return TestSubscriber.json(endpoint, p256dh, auth, expirationTime);
    }

    @Test
    void acceptsABrowsersSubscription() {
        var parsed = parser.parse(json(subscription(ENDPOINT, SUBSCRIBER.p256dh(), SUBSCRIBER.authSecret(), "null")));
        assertThat(parsed.endpoint()).isEqualTo(ENDPOINT);
        assertThat(parsed.keys().p256dh()).isEqualTo(SUBSCRIBER.p256dh());
        assertThat(parsed.expirationTime()).isNull();
    }

    @Test
    void acceptsPaddedKeysAFutureExpirationAndIgnoresUnknownMembers() {
        String padded = java.util.Base64.getUrlEncoder().encodeToString(SUBSCRIBER.auth());
        var parsed = parser.parse(json("{\"endpoint\":\"" + ENDPOINT + "\",\"expirationTime\":" + (NOW + 1000)
                + ",\"extra\":true,\"keys\":{\"p256dh\":\"" + SUBSCRIBER.p256dh() + "\",\"auth\":\"" + padded + "\"}}"));
        assertThat(parsed.expirationTime()).isEqualTo(NOW + 1000);
    }

    /** A valid subscription with a "timezone" member of this JSON text. */
    static String withTimezone(String value) {
        String valid = subscription(ENDPOINT, SUBSCRIBER.p256dh(), SUBSCRIBER.authSecret(), "null");
        return valid.substring(0, valid.length() - 1) + ",\"timezone\":" + value + "}";
    }

    @Test
    void keepsTheBrowsersTimeZone() {
        var parsed = parser.parse(json(withTimezone("\"Europe/Berlin\"")));
        assertThat(parsed.timezone()).isEqualTo("Europe/Berlin");
        assertThat(parsed.zone()).contains(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void keepsAZoneJavaDoesNotKnowAsGivenAndTreatsItAsUnknown() {
        var parsed = parser.parse(json(withTimezone("\"Mars/Olympus\"")));
        assertThat(parsed.timezone()).isEqualTo("Mars/Olympus");
        assertThat(parsed.zone()).isEmpty();
    }

    @Test
    void acceptsAZoneOfExactly64PrintableAsciiCharacters() {
        String longest = "America/" + "~".repeat(56);
        assertThat(parser.parse(json(withTimezone("\"" + longest + "\""))).timezone()).hasSize(64).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anAbsentOrNullTimeZoneMeansNone(boolean explicitNull) {
        String body = explicitNull ? withTimezone("null") : subscription(ENDPOINT, SUBSCRIBER.p256dh(), SUBSCRIBER.authSecret(), "null");
        var parsed = parser.parse(json(body));
        assertThat(parsed.timezone()).isNull();
        assertThat(parsed.zone()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        String key = SUBSCRIBER.p256dh();
        String auth = SUBSCRIBER.authSecret();
        byte[] point = TestSubscriber.uncompressed((java.security.interfaces.ECPublicKey) SUBSCRIBER.keys().getPublic());
        byte[] offCurve = point.clone();
        offCurve[64] ^= 1;
        byte[] compressed = Arrays.copyOf(point, 33);
        compressed[0] = (byte) (2 + (point[64] & 1));
        return Stream.of(
                Arguments.of("{\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"" + auth + "\"}}", "/endpoint", "endpoint is required"),
                Arguments.of("{\"endpoint\":42,\"keys\":{}}", "/endpoint", "endpoint must be a string"),
                Arguments.of(subscription("http://fcm.googleapis.com/x", key, auth, "null"), "/endpoint", "must use https"),
                Arguments.of(subscription("fcm.googleapis.com/x", key, auth, "null"), "/endpoint", "absolute URL"),
                Arguments.of(subscription("https://fcm.googleapis.com/" + "a".repeat(2048), key, auth, "null"), "/endpoint", "longer than 2048"),
                Arguments.of(subscription("https://fcm.googleapis.com/x\r\nX-Evil: 1", key, auth, "null"), "/endpoint", "CR/LF"),
                Arguments.of(subscription("https://evil.example/x", key, auth, "null"), "/endpoint", "not a known push service"),
                Arguments.of("{\"endpoint\":\"" + ENDPOINT + "\"}", "/keys", "keys is required"),
                Arguments.of(subscription(ENDPOINT, null, auth, "null"), "/keys/p256dh", "p256dh is required"),
                Arguments.of(subscription(ENDPOINT, TestSubscriber.b64(Arrays.copyOf(point, 64)), auth, "null"), "/keys/p256dh", "65 bytes"),
                Arguments.of(subscription(ENDPOINT, TestSubscriber.b64(Arrays.copyOf(point, 66)), auth, "null"), "/keys/p256dh", "65 bytes"),
                Arguments.of(subscription(ENDPOINT, TestSubscriber.b64(compressed), auth, "null"), "/keys/p256dh", "uncompressed"),
                Arguments.of(subscription(ENDPOINT, TestSubscriber.b64(offCurve), auth, "null"), "/keys/p256dh", "not a point on the P-256 curve"),
                Arguments.of(subscription(ENDPOINT, key.replace('-', '+').replace('_', '/') + "+/", auth, "null"), "/keys/p256dh", "not base64url"),
                Arguments.of(subscription(ENDPOINT, key, TestSubscriber.b64(new byte[12]), "null"), "/keys/auth", "exactly 16 bytes, got 12"),
                Arguments.of(subscription(ENDPOINT, key, TestSubscriber.b64(new byte[32]), "null"), "/keys/auth", "exactly 16 bytes, got 32"),
                Arguments.of(subscription(ENDPOINT, key, "%%%", "null"), "/keys/auth", "keys.auth is not base64url"),
                Arguments.of(subscription(ENDPOINT, key, auth, "\"tomorrow\""), "/expirationTime", "expirationTime must be null or a number"),
                Arguments.of(subscription(ENDPOINT, key, auth, "1.5"), "/expirationTime", "whole number"),
                Arguments.of(subscription(ENDPOINT, key, auth, String.valueOf(NOW - 1)), "/expirationTime", "in the past"),
                Arguments.of(withTimezone("120"), "/timezone", "timezone must be null or a string such as \"Europe/Berlin\", not number"),
                Arguments.of(withTimezone("true"), "/timezone", "timezone must be null or a string"),
                Arguments.of(withTimezone("{\"name\":\"Europe/Berlin\"}"), "/timezone", "timezone must be null or a string"),
                Arguments.of(withTimezone("[\"Europe/Berlin\"]"), "/timezone", "timezone must be null or a string"),
                Arguments.of(withTimezone("\"\""), "/timezone", "timezone is empty"),
                Arguments.of(withTimezone("\"" + "a".repeat(65) + "\""), "/timezone", "timezone is longer than 64 characters (65)"),
                Arguments.of(withTimezone("\"Europe/Berlin\\u0007\""), "/timezone", "timezone has the character U+0007 at index 13"),
                Arguments.of(withTimezone("\"Europe/Berlin\\r\\nX: 1\""), "/timezone", "timezone has the character U+000D at index 13"),
                Arguments.of(withTimezone("\"America/New York\""), "/timezone", "timezone has the character U+0020 at index 11; only printable ASCII"),
                Arguments.of(withTimezone("\"Europe/Z\u00fcrich\""), "/timezone", "timezone has the character U+00FC at index 8"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithADetailNamingTheProblemAndAPointerToItsMember(String body, String pointer, String detail) {
        assertThatThrownBy(() -> parser.parse(json(body)))
                .isInstanceOfSatisfying(InvalidField.class, field -> assertThat(field.pointer()).isEqualTo(pointer))
                .hasMessageContaining(detail);
    }
}
