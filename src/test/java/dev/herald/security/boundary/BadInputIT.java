package dev.herald.security.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests against the running WAR. Each must be answered with the right
 * status and a problem document naming the problem, and must leave Redis as it was.
 * Runs its own Payara Micro (MicroProcess) with low limits, no configured API token (so the
 * generated one is exercised), its own key prefix, and 127.0.0.1 as a trusted proxy: every
 * request carries its own X-Forwarded-For address, so the low rate limit is tested without
 * one case starving another, whatever the order.
 */
class BadInputIT {

    static final String OWN_PREFIX = TestRedis.PREFIX + "bad-input:";
    static final String TEST_HOSTS = "127.0.0.1,fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,.notify.windows.com";
    static final int SUBSCRIBE_LIMIT = 5;
    static final int MAX_SUBSCRIPTIONS = 3;
    static final String ALLOWED_ORIGIN = "https://shop.example";

    static MicroProcess micro;
    static Api api;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        micro = MicroProcess.start(Map.of(
                "herald.redis.url", TestRedis.URL,
                "herald.redis.prefix", OWN_PREFIX,
                "herald.push.allow-insecure", "true",
                "herald.push.allowed-hosts", TEST_HOSTS,
                "herald.limits.subscribe-per-minute", String.valueOf(SUBSCRIBE_LIMIT),
                "herald.limits.test-per-minute", "2",
                "herald.limits.max-subscriptions", String.valueOf(MAX_SUBSCRIPTIONS),
                "herald.proxy.trusted", "127.0.0.1",
                "herald.cors.origins", ALLOWED_ORIGIN, "herald.channels", "news=News"), MicroProcess.freePort(), Duration.ofMinutes(4));
        api = new Api(micro.uri("/"));
        token = TestRedis.client().get(OWN_PREFIX + "api:token");
    }

    @AfterAll
    static void stop() {
        if (micro != null) {
            micro.close();
        }
    }

    /** pointer: the RFC 6901 pointer that a field error names (the console shows the detail there); null for no field. */
    record Case(String name, String method, String path, String contentType, byte[] body, Map<String, String> headers,
                int status, String detail, String pointer) {

        Case(String name, String method, String path, String contentType, byte[] body, Map<String, String> headers,
             int status, String detail) {
            this(name, method, path, contentType, body, headers, status, detail, null);
        }

        /** The same case, a field error about the body member at pointer. */
        Case at(String pointer) {
            return new Case(name, method, path, contentType, body, headers, status, detail, pointer);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case subscribe(String name, String json, int status, String detail) {
        return new Case(name, "POST", "api/subscribe", "application/json", bytes(json), Map.of(), status, detail);
    }

    static Case endpoint(String endpoint, String detail) {
        var valid = TestSubscriber.create();
        return subscribe("endpoint " + endpoint.replaceAll("[\\r\\n]", "\\\\n"),
                TestSubscriber.json(endpoint, valid.p256dh(), valid.authSecret(), "null"), 400, detail).at("/endpoint");
    }

    static Case keys(String name, String p256dh, String auth, String detail) {
        var valid = TestSubscriber.create();
        return subscribe(name, TestSubscriber.json(valid.endpoint(), p256dh == null ? valid.p256dh() : p256dh,
                auth == null ? valid.authSecret() : auth, "null"), 400, detail).at(p256dh == null ? "/keys/auth" : "/keys/p256dh");
    }

    static Case expiration(String name, String expirationTime, String detail) {
        var valid = TestSubscriber.create();
        return subscribe(name, TestSubscriber.json(valid.endpoint(), valid.p256dh(), valid.authSecret(), expirationTime), 400, detail).at("/expirationTime");
    }

    static Case timezone(String name, String timezone, String detail) {
        var valid = TestSubscriber.create();
        String json = TestSubscriber.json(valid.endpoint(), valid.p256dh(), valid.authSecret(), "null");
        return subscribe(name, json.substring(0, json.length() - 1) + ",\"timezone\":" + timezone + "}", 400, detail).at("/timezone");
    }

    /** A valid subscription JSON with one more member. */
    static String withMember(String member) {
        var valid = TestSubscriber.create();
        String json = TestSubscriber.json(valid.endpoint(), valid.p256dh(), valid.authSecret(), "null");
        return json.substring(0, json.length() - 1) + "," + member + "}";
    }

    static Case request(String name, String method, String path, Map<String, String> headers, int status, String detail) {
        return new Case(name, method, path, null, null, headers, status, detail);
    }

    static Case unsubscribe(String name, String json, String detail) {
        return new Case(name, "POST", "api/unsubscribe", "application/json", bytes(json), Map.of(), 400, detail);
    }

    static Case notify(String name, String json, int status, String detail) {
        return new Case(name, "POST", "api/notify", "application/json", bytes(json), Map.of("Authorization", "Bearer %s"), status, detail);
    }

    static Case event(String name, String id, String json, int status, String detail) {
        return new Case(name, "POST", "api/notifications/" + id + "/events", "application/json", bytes(json), Map.of(), status, detail);
    }

    static Stream<Case> cases() {
        var valid = TestSubscriber.create();
        byte[] point = Base64.getUrlDecoder().decode(valid.p256dh());
        byte[] offCurve = point.clone();
        offCurve[64] ^= 1;
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (2 + (point[64] & 1));
        System.arraycopy(point, 1, compressed, 1, 32);
        String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        String job = UUID.randomUUID().toString();
        return Stream.of(
                new Case("wrong media type", "POST", "api/subscribe", "text/plain", bytes(valid.json()), Map.of(), 415, "Content-Type: application/json"),
                new Case("form media type", "POST", "api/subscribe", "application/x-www-form-urlencoded", bytes("endpoint=x"), Map.of(), 415, "JSON body only"),
                subscribe("malformed JSON", "{\"endpoint\": \"https://fcm.googleapis.com/x\",", 400, "not valid JSON"),
                subscribe("top-level array", "[" + valid.json() + "]", 400, "must be a JSON object, not an array"),
                subscribe("top-level string", "\"https://fcm.googleapis.com/x\"", 400, "must be a JSON object, not a string"),
                subscribe("deeply nested JSON", nested, 400, "nested deeper than 16"),
                subscribe("empty body", "", 400, "body is empty"),
                new Case("1 MiB body", "POST", "api/subscribe", "application/json", new byte[1 << 20], Map.of(), 413, "larger than 8192 bytes"),
                subscribe("missing endpoint", "{\"keys\":{\"p256dh\":\"" + valid.p256dh() + "\",\"auth\":\"" + valid.authSecret() + "\"}}", 400, "endpoint is required").at("/endpoint"),
                subscribe("numeric endpoint", "{\"endpoint\":42,\"keys\":{\"p256dh\":\"" + valid.p256dh() + "\",\"auth\":\"" + valid.authSecret() + "\"}}", 400, "endpoint must be a string, not number").at("/endpoint"),
                subscribe("missing keys", "{\"endpoint\":\"" + valid.endpoint() + "\"}", 400, "keys is required").at("/keys"),
                endpoint("http://fcm.googleapis.com/fcm/send/abc", "must use https, not http"),
                endpoint("javascript:alert(1)", "absolute URL with a host"),
                endpoint("https://169.254.169.254/latest/meta-data/", "is an IP address"),
                endpoint("https://[::1]/push", "is an IP address"),
                endpoint("https://[::ffff:127.0.0.1]/push", "is an IP address"),
                endpoint("https://[::ffff:a9fe:a9fe]/latest/meta-data/", "is an IP address"),
                endpoint("https://2130706433/push", "is an IP address"),
                endpoint("https://0x7f000001/push", "is an IP address"),
                endpoint("https://0x7f.1/push", "is an IP address"),
                endpoint("https://017700000001/push", "is an IP address"),
                endpoint("https://127.1/push", "is an IP address"),
                endpoint("https://127.0.0.2/push", "is an IP address"),
                endpoint("https://localhost/push", "localhost is not a known push service"),
                endpoint("https://169.254.169.254/.apple.com/", "is an IP address"),
                endpoint("https://fcm.googleapis.com.evil.tld/fcm/send/abc", "fcm.googleapis.com.evil.tld is not a known push service"),
                endpoint("https://evil.tld/.fcm.googleapis.com", "evil.tld is not a known push service"),
                endpoint("https://fcm.googleapis.com@evil.tld/fcm/send/abc", "must not contain user info"),
                endpoint("https://fcm.googleapis.com:8443/fcm/send/abc", "port 443, not 8443"),
                endpoint("https://fcm.googleapis.com./fcm/send/abc", "ends with a dot"),
                endpoint("https://f\u0441m.googleapis.com/fcm/send/abc", "not a valid host name"),
                endpoint("https://fcm.googleapis.com/fcm/send/abc\r\nX-Injected: 1", "CR/LF"),
                endpoint("https://fcm.googleapis.com/" + "a".repeat(2100), "longer than 2048"),
                keys("p256dh of 64 bytes", b64(Arrays.copyOf(point, 64)), null, "got 64 bytes"),
                keys("p256dh of 66 bytes", b64(Arrays.copyOf(point, 66)), null, "got 66 bytes"),
                keys("compressed p256dh", b64(compressed), null, "got 33 bytes starting with 0x0"),
                keys("off-curve p256dh", b64(offCurve), null, "not a point on the P-256 curve"),
                keys("p256dh in standard base64", standardBase64(point), null, "keys.p256dh is not base64url"),
                keys("auth not base64url", null, "!!!!not*base64", "keys.auth is not base64url"),
                keys("auth of 12 bytes", null, b64(new byte[12]), "exactly 16 bytes, got 12"),
                keys("auth of 32 bytes", null, b64(new byte[32]), "exactly 16 bytes, got 32"),
                expiration("string expirationTime", "\"tomorrow\"", "expirationTime must be null or a number"),
                expiration("past expirationTime", "1000", "is in the past"),
                expiration("fractional expirationTime", "1.5e300", "whole number"),
                timezone("numeric timezone", "60", "timezone must be null or a string"),
                timezone("timezone as an object", "{\"id\":\"Europe/Berlin\"}", "timezone must be null or a string"),
                timezone("empty timezone", "\"\"", "timezone is empty"),
                timezone("timezone of 65 characters", "\"Europe/" + "x".repeat(58) + "\"", "timezone is longer than 64 characters (65)"),
                timezone("timezone with CR/LF", "\"Europe/Berlin\\r\\nX-Injected: 1\"", "timezone has the character U+000D"),
                timezone("timezone with a NUL", "\"Europe/Berlin\\u0000\"", "timezone has the character U+0000"),
                timezone("timezone with a space", "\"America/New York\"", "only printable ASCII without spaces"),
                timezone("non-ASCII timezone", "\"Europe/Z\u00fcrich\"", "timezone has the character U+00FC"),
                unsubscribe("malformed client_uuid", "{\"client_uuid\":\"../../etc/passwd<script>\"}", "is not a subscription id").at("/client_uuid"),
                unsubscribe("numeric client_uuid", "{\"client_uuid\":7}", "client_uuid must be a string").at("/client_uuid"),
                unsubscribe("missing client_uuid", "{}", "client_uuid is required").at("/client_uuid"),
                request("upper-case id", "GET", "api/subscriptions/" + UUID.randomUUID().toString().toUpperCase(), Map.of(), 400, "a lower-case UUID"),
                request("notify without token", "POST", "api/notify", Map.of(), 401, "needs the API token"),
                request("notify with wrong token", "POST", "api/notify", Map.of("Authorization", "Bearer not-the-token-0123456789"), 401, "token is not valid"),
                request("notify with Basic auth", "POST", "api/notify", Map.of("Authorization", "Basic YWRtaW46YWRtaW4="), 401, "Bearer scheme"),
                request("notify with ?token=", "POST", "api/notify?token=%s", Map.of(), 401, "query string is never accepted"),
                request("notify with ?access_token= and header", "POST", "api/notify?access_token=%s", Map.of("Authorization", "Bearer %s"), 401, "query string is never accepted"),
                request("job report without token", "GET", "api/notifications/" + job, Map.of(), 401, "needs the API token"),
                request("subscription listing without token", "GET", "api/subscriptions", Map.of(), 401, "needs the API token"),
                request("unknown admin path without token", "GET", "api/admin/tokens", Map.of(), 401, "needs the API token"),
                request("notify preflight", "OPTIONS", "api/notify", Map.of("Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "POST"), 401, "needs the API token"),
                notify("notify over the payload limit", "{\"title\":\"big\",\"body\":\"" + "y".repeat(4000) + "\"}", 413, "at most"),
                notify("notify with a javascript: url", "{\"title\":\"x\",\"url\":\"javascript:alert(document.cookie)\"}", 400, "javascript: is not allowed").at("/url"),
                notify("notify with a data: icon", "{\"title\":\"x\",\"icon\":\"data:image/svg+xml,<svg onload=alert(1)>\"}", 400, "icon").at("/icon"),
                notify("notify with malformed JSON", "{\"title\":", 400, "not valid JSON"),
                notify("notify channels not an array", "{\"title\":\"x\",\"channels\":\"news\"}", 400, "channels must be an array of channel ids").at("/channels"),
                notify("notify users not an array", "{\"title\":\"x\",\"users\":\"u-1\"}", 400, "users must be a non-empty array of user ids").at("/users"),
                notify("notify subscriptions not an array", "{\"title\":\"x\",\"subscriptions\":\"x\"}", 400, "subscriptions must be a non-empty array").at("/subscriptions"),
                notify("notify an undeclared channel", "{\"title\":\"x\",\"channels\":[\"weather\"]}", 400, "there is no channel 'weather'").at("/channels/0"),
                notify("notify an empty channel list", "{\"title\":\"x\",\"channels\":[]}", 400, "channels must not be empty").at("/channels"),
                notify("notify an empty user list", "{\"title\":\"x\",\"users\":[]}", 400, "users must be a non-empty array").at("/users"),
                notify("notify a user id with a space", "{\"title\":\"x\",\"users\":[\"u 1\"]}", 400, "users must be a user id").at("/users/0"),
                notify("notify a user id of 129 characters", "{\"title\":\"x\",\"users\":[\"" + "u".repeat(129) + "\"]}", 400, "1 to 128").at("/users/0"),
                notify("notify the user id ..", "{\"title\":\"x\",\"users\":[\"..\"]}", 400, "starting with a letter or digit").at("/users/0"),
                notify("notify 10,001 users", "{\"title\":\"x\",\"users\":[" + String.join(",", java.util.Collections.nCopies(10_001, "\"u\"")) + "]}", 400, "at most 10000").at("/users"),
                notify("dry_run not a boolean", "{\"title\":\"x\",\"dry_run\":\"yes\"}", 400, "dry_run must be true or false").at("/dry_run"),
                subscribe("subscribe with channels not an array", withMember("\"channels\":\"news\""), 400, "channels must be an array").at("/channels"),
                subscribe("subscribe with a channel twice", withMember("\"channels\":[\"news\",\"news\"]"), 400, "names the channel 'news' twice").at("/channels/1"),
                subscribe("subscribe with a channel not a string", withMember("\"channels\":[7]"), 400, "must hold channel ids").at("/channels/0"),
                subscribe("subscribe with 33 channels", withMember("\"channels\":[" + String.join(",", java.util.Collections.nCopies(33, "\"news\"")) + "]"), 400, "at most 32").at("/channels"),
                subscribe("subscribe with an undeclared channel", withMember("\"channels\":[\"weather\"]"), 400, "there is no channel 'weather'").at("/channels/0"),
                subscribe("subscribe with replaces not an id", withMember("\"replaces\":\"yesterday\""), 400, "replaces must be the id").at("/replaces"),
                subscribe("subscribe with a user but no token", withMember("\"user\":\"u-1\""), 401, "needs the API token"),
                new Case("subscribe with a user id of 129 characters", "POST", "api/subscribe", "application/json",
                        bytes(withMember("\"user\":\"" + "u".repeat(129) + "\"")), Map.of("Authorization", "Bearer %s"), 400, "1 to 128").at("/user"),
                new Case("subscribe with the user id .", "POST", "api/subscribe", "application/json",
                        bytes(withMember("\"user\":\".\"")), Map.of("Authorization", "Bearer %s"), 400, "starting with a letter or digit").at("/user"),
                new Case("channels of an unknown id", "PUT", "api/subscriptions/" + UUID.randomUUID() + "/channels", "application/json",
                        bytes("{\"channels\":[]}"), Map.of(), 404, "No subscription"),
                new Case("channels not JSON", "PUT", "api/subscriptions/" + UUID.randomUUID() + "/channels", "application/json",
                        bytes("channels=news"), Map.of(), 400, "not valid JSON"),
                new Case("user of an unknown id", "PUT", "api/subscriptions/" + UUID.randomUUID() + "/user", "application/json",
                        bytes("{\"user\":\"u-1\"}"), Map.of("Authorization", "Bearer %s"), 404, "No subscription"),
                new Case("user with other characters", "PUT", "api/subscriptions/" + UUID.randomUUID() + "/user", "application/json",
                        bytes("{\"user\":\"u/1\"}"), Map.of("Authorization", "Bearer %s"), 400, "user must be a user id").at("/user"),
                request("erase a malformed user id", "DELETE", "api/users/u%201", Map.of("Authorization", "Bearer %s"), 400, "user must be a user id"),
                notify("send_at without an offset", "{\"title\":\"x\",\"send_at\":\"2030-01-01T09:00:00\"}", 400, "send_at '2030-01-01T09:00:00' has no offset").at("/send_at"),
                notify("send_at unparsable", "{\"title\":\"x\",\"send_at\":\"next tuesday\"}", 400, "send_at 'next tuesday' is not an RFC 3339 timestamp").at("/send_at"),
                notify("send_at in the past", "{\"title\":\"x\",\"send_at\":\"2020-01-01T09:00:00Z\"}", 400, "send_at 2020-01-01T09:00:00Z is in the past").at("/send_at"),
                notify("send_at beyond the limit", "{\"title\":\"x\",\"send_at\":\"" + java.time.Instant.now().plus(java.time.Duration.ofDays(31))
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}", 400, "herald.notify.max-schedule-ahead").at("/send_at"),
                notify("local_time not HH:MM", "{\"title\":\"x\",\"local_time\":\"9am\"}", 400, "local_time must be HH:MM").at("/local_time"),
                notify("local_time 24:00", "{\"title\":\"x\",\"local_time\":\"24:00\"}", 400, "local_time must be HH:MM, 00:00 to 23:59").at("/local_time"),
                notify("local_time with send_at", "{\"title\":\"x\",\"local_time\":\"09:00\",\"send_at\":\"2030-01-01T09:00:00Z\"}", 400, "send_at and local_time cannot be combined").at("/local_time"),
                notify("throttle below 60", "{\"title\":\"x\",\"throttle_per_minute\":59}", 400, "throttle_per_minute must be a whole number of pushes per minute from 60 to 1000000, not 59").at("/throttle_per_minute"),
                notify("throttle above a million", "{\"title\":\"x\",\"throttle_per_minute\":1000001}", 400, "not 1000001").at("/throttle_per_minute"),
                notify("throttle not an integer", "{\"title\":\"x\",\"throttle_per_minute\":\"fast\"}", 400, "throttle_per_minute must be a whole number").at("/throttle_per_minute"),
                notify("throttle a fraction", "{\"title\":\"x\",\"throttle_per_minute\":60.5}", 400, "not 60.5").at("/throttle_per_minute"),
                request("list with an unknown state", "GET", "api/notifications?state=finished", Map.of("Authorization", "Bearer %s"), 400, "state must be one of scheduled, running, done, cancelled"),
                request("list with limit 0", "GET", "api/notifications?limit=0", Map.of("Authorization", "Bearer %s"), 400, "limit must be a whole number from 1 to 200"),
                request("list with limit 201", "GET", "api/notifications?limit=201", Map.of("Authorization", "Bearer %s"), 400, "not '201'"),
                request("list with an unparsable cursor", "GET", "api/notifications?cursor=%25%25", Map.of("Authorization", "Bearer %s"), 400, "is not one this list gave"),
                request("list without token", "GET", "api/notifications", Map.of(), 401, "needs the API token"),
                request("cancel without token", "DELETE", "api/notifications/" + UUID.randomUUID(), Map.of(), 401, "needs the API token"),
                request("cancel of a malformed id", "DELETE", "api/notifications/42", Map.of("Authorization", "Bearer %s"), 400, "is not a notification id"),
                request("cancel of an unknown id", "DELETE", "api/notifications/" + UUID.randomUUID(), Map.of("Authorization", "Bearer %s"), 404, "No notification"),
                new Case("notify of 2 MiB", "POST", "api/notify", "application/json", new byte[2 << 20], Map.of("Authorization", "Bearer %s"), 413, "larger than"),
                notify("notify a third action", "{\"title\":\"x\",\"actions\":[{\"action\":\"a\",\"title\":\"A\"},{\"action\":\"b\",\"title\":\"B\"},"
                        + "{\"action\":\"c\",\"title\":\"C\"}]}", 400, "actions holds 3 entries; at most 2").at("/actions"),
                notify("notify an action without a title", "{\"title\":\"x\",\"actions\":[{\"action\":\"a\"}]}", 400, "actions[0].title is required").at("/actions/0/title"),
                notify("notify an action with a javascript: url", "{\"title\":\"x\",\"actions\":[{\"action\":\"a\",\"title\":\"A\","
                        + "\"url\":\"javascript:alert(1)\"}]}", 400, "actions[0].url must be an https URL with a host or a path starting with '/'; javascript: is not allowed").at("/actions/0/url"),
                notify("notify renotify without a tag", "{\"title\":\"x\",\"renotify\":true}", 400, "renotify needs a tag").at("/renotify"),
                notify("notify data not an object", "{\"title\":\"x\",\"data\":[1,2]}", 400, "data must be a JSON object").at("/data"),
                notify("notify data over 1 KiB", "{\"title\":\"x\",\"data\":{\"k\":\"" + "v".repeat(1100) + "\"}}", 400, "at most 1024").at("/data"),
                notify("notify a negative badge_count", "{\"title\":\"x\",\"badge_count\":-1}", 400, "badge_count must be a whole number from 0 to 99999").at("/badge_count"),
                notify("notify a fractional badge_count", "{\"title\":\"x\",\"badge_count\":2.5}", 400, "badge_count must be a whole number").at("/badge_count"),
                notify("notify an invalid lang", "{\"title\":\"x\",\"lang\":\"english please\"}", 400, "lang must be a BCP 47 language tag").at("/lang"),
                notify("notify an invalid dir", "{\"title\":\"x\",\"dir\":\"down\"}", 400, "dir must be auto, ltr or rtl").at("/dir"),
                event("event of an unknown type", UUID.randomUUID().toString(), "{\"type\":\"opened\",\"token\":\"" + "A".repeat(64) + "\"}", 400,
                        "type must be shown, clicked or closed").at("/type"),
                event("event with a malformed token", UUID.randomUUID().toString(), "{\"type\":\"shown\",\"token\":\"not a token\"}", 400,
                        "token must be the 64-character engagement token").at("/token"),
                event("event without a token", UUID.randomUUID().toString(), "{\"type\":\"shown\"}", 400, "token must be the 64-character").at("/token"),
                event("event with a forged token", UUID.randomUUID().toString(), "{\"type\":\"shown\",\"token\":\"" + "A".repeat(64) + "\"}", 403,
                        "not made by this Herald"),
                event("event of a malformed notification id", "42", "{\"type\":\"shown\",\"token\":\"" + "A".repeat(64) + "\"}", 400,
                        "is not a notification id"),
                event("event with an action but not clicked", UUID.randomUUID().toString(), "{\"type\":\"shown\",\"action\":\"a\",\"token\":\""
                        + "A".repeat(64) + "\"}", 400, "action goes with type clicked only").at("/action"),
                event("event with an unknown field", UUID.randomUUID().toString(), "{\"type\":\"shown\",\"subscription\":\"x\",\"token\":\""
                        + "A".repeat(64) + "\"}", 400, "Unknown field(s) subscription").at("/subscription"),
                request("click with a malformed token", "GET", "api/r/short", Map.of(), 400, "token must be the 64-character engagement token"),
                request("click with a forged token", "GET", "api/r/" + "A".repeat(64), Map.of(), 403, "not made by this Herald"),
                request("subscribe preflight from a foreign origin", "OPTIONS", "api/subscribe", Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"), 403, "not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithProblemAndNothingStored(Case c) {
        var before = stored();

        var reply = send(c);

        assertThat(reply.status()).as(c.name() + ": " + reply.body()).isEqualTo(c.status());
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(c.status());
        assertThat(reply.json().getString("detail")).contains(c.detail());
        if (c.pointer() == null) {
            assertThat(reply.json()).as("no field, no pointer").doesNotContainKey("pointer");
        } else {
            assertThat(reply.json().getString("pointer")).as("the member the detail is about").isEqualTo(c.pointer());
        }
        assertThat(reply.body()).doesNotContain("Exception", "\tat ");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
        if (c.status() == 401) {
            assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer realm=\"herald\"");
        }
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void subscribingTheSameEndpointAgainAnswers200WithTheSameIdAndStoresNothingNew() {
        var subscriber = TestSubscriber.create();
        var first = send(subscribeRequest(subscriber.json(), randomClient()));
        assertThat(first.status()).isEqualTo(201);
        var before = stored();

        var again = send(subscribeRequest(subscriber.json(), randomClient()));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
        assertThat(stored()).isEqualTo(before);
        unsubscribe(first.json().getString("id"));
    }

    @Test
    void unknownWellFormedClientUuidIsNoOracle() {
        var before = stored();
        var reply = send(post("api/unsubscribe", "{\"client_uuid\":\"" + UUID.randomUUID() + "\"}", randomClient()));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("message")).isEqualTo("unsubscribed");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void subscribeOverTheRateLimitAnswers429WithRetryAfterAndStoresNothing() {
        cleanUp();
        String client = randomClient();
        var subscriber = TestSubscriber.create();
        for (int i = 0; i < SUBSCRIBE_LIMIT; i++) {
            // the same endpoint each time: the limit counts requests, and the store stays at one record
            assertThat(send(subscribeRequest(subscriber.json(), client)).status()).isIn(200, 201);
        }
        var before = stored();

        var reply = send(subscribeRequest(TestSubscriber.create().json(), client));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getString("detail")).contains("Too many subscribe requests", "at most " + SUBSCRIBE_LIMIT);
        assertThat(Long.parseLong(reply.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(stored()).isEqualTo(before);
        assertThat(send(subscribeRequest(TestSubscriber.create().json(), randomClient())).status())
                .as("another client is not limited").isIn(201, 503);
        cleanUp();
    }

    @Test
    void ipv6ClientsShareTheLimitOfTheirSlash64() {
        String net = String.format("2001:db8:%x:%x", ThreadLocalRandom.current().nextInt(0xffff), ThreadLocalRandom.current().nextInt(0xffff));
        for (int i = 0; i < SUBSCRIBE_LIMIT; i++) {
            send(subscribeRequest("[]", net + "::" + Integer.toHexString(i + 1)));
        }
        var reply = send(subscribeRequest("[]", net + ":ffff:ffff:ffff:ffff"));
        assertThat(reply.status()).isEqualTo(429);
        assertThat(send(subscribeRequest("[]", "2001:db8:ffff:ffff::1")).status()).as("another /64").isEqualTo(400);
    }

    @Test
    void atTheSubscriptionCapNewSubscribersGet503AndExistingOnesMayStillUpdate() {
        cleanUp();
        var ids = new ArrayList<String>();
        var subscribers = new ArrayList<TestSubscriber>();
        for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
            var subscriber = TestSubscriber.create();
            subscribers.add(subscriber);
            var reply = send(subscribeRequest(subscriber.json(), randomClient()));
            assertThat(reply.status()).isEqualTo(201);
            ids.add(reply.json().getString("id"));
        }
        var before = stored();

        var full = send(subscribeRequest(TestSubscriber.create().json(), randomClient()));

        assertThat(full.status()).isEqualTo(503);
        assertThat(full.contentType()).startsWith("application/problem+json");
        assertThat(full.json().getString("detail")).contains("at most " + MAX_SUBSCRIPTIONS + " subscriptions", "herald.limits.max-subscriptions");
        assertThat(stored()).isEqualTo(before);
        var renewed = TestSubscriber.create();
        var update = send(subscribeRequest(TestSubscriber.json(subscribers.get(0).endpoint(), renewed.p256dh(), renewed.authSecret(), "null"), randomClient()));
        assertThat(update.status()).isEqualTo(200);
        assertThat(update.json().getString("id")).isEqualTo(ids.get(0));
        cleanUp();
    }

    @Test
    void declaredOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
        // Content-Length of 10 MiB and no body at all: only an up-front check can answer
        try (var socket = new java.net.Socket("127.0.0.1", micro.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Forwarded-For: " + randomClient() + "\r\nContent-Length: 10485760\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] head = new byte[4096];
            int n = socket.getInputStream().read(head);
            String response = new String(head, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json");
        }
    }

    @Test
    void testNotificationsOverTheRateLimitAnswer429BeforeAnyPush() {
        String client = randomClient();
        for (int i = 0; i < 2; i++) {
            var reply = send(post("api/subscriptions/" + UUID.randomUUID() + "/test", "{}", client));
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        }
        var before = stored();

        var reply = send(post("api/subscriptions/" + UUID.randomUUID() + "/test", "{}", client));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.json().getString("detail")).contains("Too many test requests", "herald.limits.test-per-minute");
        assertThat(reply.header("Retry-After")).isNotBlank();
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void chunkedOversizedBodyIsCutOffAtTheCap() {
        var before = stored();
        byte[] big = new byte[64 * 1024];
        Arrays.fill(big, (byte) ' ');
        var reply = send(request("api/subscribe").header("Content-Type", "application/json").header("X-Forwarded-For", randomClient())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().getString("detail")).contains("larger than 8192 bytes");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void generatedApiTokenIsLoggedOnceStoredInRedisAndOpensTheProtectedRoutes() {
        assertThat(token).isNotBlank();
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(micro.log()).contains("API token (generated now and stored in Redis at " + OWN_PREFIX + "api:token;");
        // the README's quick start finds it like this
        var line = java.util.regex.Pattern.compile("API token \\(generated now.*\\): ([A-Za-z0-9_-]+)").matcher(micro.log());
        assertThat(line.find()).isTrue();
        assertThat(line.group(1)).isEqualTo(token);
        assertThat(micro.log().split(java.util.regex.Pattern.quote(token), -1)).as("the token appears in one log line only").hasSize(2);
        var reply = api.withToken(token).get("api/notifications/" + UUID.randomUUID());
        assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void corsIsOfferedToListedOriginsOnSubscribeOnly() {
        var preflight = send(request("api/subscribe").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ALLOWED_ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build());
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Vary")).contains("Origin");

        var key = send(request("api/subscribe").header("Origin", ALLOWED_ORIGIN).GET().build());
        assertThat(key.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        var foreign = send(request("api/subscribe").header("Origin", "https://evil.example").GET().build());
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(foreign.header("Vary")).contains("Origin");
        var notify = send(api.withToken(token).request("api/notifications/" + UUID.randomUUID()).header("Origin", ALLOWED_ORIGIN).GET().build());
        assertThat(notify.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        var json = api.get("api/subscribe");
        assertThat(json.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
        assertThat(json.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(json.header("Referrer-Policy")).isEqualTo("no-referrer");
        var page = api.get("index.html");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @Test
    void problemDetailsNeverComeAsHtml() {
        var reply = api.get("api/subscriptions/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E".repeat(2));
        assertThat(reply.contentType()).startsWith("application/problem+json").doesNotContain("html");
        var echoed = send(post("api/unsubscribe", "{\"client_uuid\":\"<img src=x onerror=alert(1)>\"}", randomClient()));
        assertThat(echoed.status()).isEqualTo(400);
        assertThat(echoed.contentType()).startsWith("application/problem+json");
    }

    // ---- helpers

    static Map<String, String> stored() {
        // rate-limit counters are the one thing a refused request legitimately writes; the instance writes
        // nothing outside its own prefix (it knows no other), so that is all there is to compare
        return TestRedis.snapshot(OWN_PREFIX).entrySet().stream().filter(e -> !e.getKey().contains(":ratelimit:"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static Api.Reply send(Case c) {
        String path = c.path().replace("%s", token);
        var builder = request(path).header("X-Forwarded-For", randomClient());
        c.headers().forEach((name, value) -> builder.header(name, value.replace("%s", token)));
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        if (c.body() != null && c.body().length > 64 * 1024) {
            // as curl does for big bodies: the server's early 413 then arrives before the body is sent
            builder.expectContinue(true);
        }
        if (c.body() != null) {
            builder.method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        } else if ("POST".equals(c.method())) {
            builder.header("Content-Type", "application/json").method("POST", HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            builder.method(c.method(), HttpRequest.BodyPublishers.noBody());
        }
        return send(builder.build());
    }

    static HttpRequest.Builder request(String path) {
        // HTTP/1.1 as a browser or curl would send it to Payara here (no h2c upgrade attempts)
        return api.request(path).version(java.net.http.HttpClient.Version.HTTP_1_1);
    }

    static Api.Reply send(HttpRequest request) {
        return api.send(request);
    }

    static HttpRequest subscribeRequest(String json, String client) {
        return post("api/subscribe", json, client);
    }

    static HttpRequest post(String path, String json, String client) {
        return request(path).header("Content-Type", "application/json").header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static void unsubscribe(String id) {
        send(post("api/unsubscribe", "{\"client_uuid\":\"" + id + "\"}", randomClient()));
    }

    static void cleanUp() {
        TestRedis.client().zrange(OWN_PREFIX + "subscriptions", 0, -1).forEach(BadInputIT::unsubscribe);
    }

    static String randomClient() {
        var random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Standard base64 with at least one '+' or '/' (a random key's encoding may have neither, and would be valid base64url). */
    static String standardBase64(byte[] bytes) {
        String text = Base64.getEncoder().encodeToString(bytes);
        return text.contains("+") || text.contains("/") ? text : "+" + text.substring(1);
    }
}
