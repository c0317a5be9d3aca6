package dev.herald.vapid.control;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VapidHeadersTest {

    static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    final VapidKeys keys = VapidFixture.keys();
    final MovableClock clock = new MovableClock(START);
    final VapidHeaders headers = VapidFixture.headers(keys, clock);

    @Test
    void audienceKeepsANonDefaultPortAndDropsDefaultOnes() {
        assertThat(VapidHeaders.audience(URI.create("http://127.0.0.1:9999/push/a"))).isEqualTo("http://127.0.0.1:9999");
        assertThat(VapidHeaders.audience(URI.create("https://fcm.googleapis.com/fcm/send/x"))).isEqualTo("https://fcm.googleapis.com");
        assertThat(VapidHeaders.audience(URI.create("https://fcm.googleapis.com:443/fcm/send/x"))).isEqualTo("https://fcm.googleapis.com");
        assertThat(VapidHeaders.audience(URI.create("http://127.0.0.1:80/x"))).isEqualTo("http://127.0.0.1");
        assertThat(VapidHeaders.audience(URI.create("https://push.example:8443/x"))).isEqualTo("https://push.example:8443");
        assertThat(VapidHeaders.audience(URI.create("HTTPS://Web.Push.Apple.COM/x"))).isEqualTo("https://web.push.apple.com");
    }

    @Test
    void headerCarriesAnEs256JwtThatVerifiesWithThePublicKey() throws Exception {
        String header = headers.authorization(URI.create("http://127.0.0.1:9999/push/abc"));

        assertThat(header).startsWith("vapid t=").endsWith(", k=" + keys.publicKeyBase64Url());
        String jwt = header.substring("vapid t=".length(), header.indexOf(", k="));
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(json(parts[0]).getString("alg")).isEqualTo("ES256");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(signature).as("JOSE r||s, not DER").hasSize(64);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(keys.publicKey());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();

        JsonObject claims = json(parts[1]);
        assertThat(claims.getString("aud")).isEqualTo("http://127.0.0.1:9999");
        assertThat(claims.getString("sub")).isEqualTo(VapidFixture.SUBJECT);
        long exp = claims.getJsonNumber("exp").longValueExact();
        assertThat(exp).isEqualTo(START.plus(Duration.ofHours(12)).getEpochSecond());
        assertThat(exp - START.getEpochSecond()).isPositive().isLessThanOrEqualTo(Duration.ofHours(24).toSeconds());
    }

    @Test
    void sameAudienceReusesTheHeaderUntilAnHourBeforeExpiry() {
        String first = headers.authorization(URI.create("https://fcm.googleapis.com/fcm/send/one"));
        clock.advance(Duration.ofHours(10).plusMinutes(59));
        String later = headers.authorization(URI.create("https://fcm.googleapis.com/fcm/send/two"));
        clock.advance(Duration.ofMinutes(1));
        String renewed = headers.authorization(URI.create("https://fcm.googleapis.com/fcm/send/three"));

        assertThat(later).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(json(jwt(renewed).split("\\.")[1]).getJsonNumber("exp").longValueExact())
                .isEqualTo(START.plus(Duration.ofHours(23)).getEpochSecond());
    }

    @Test
    void otherAudienceGetsItsOwnHeader() {
        String fcm = headers.authorization(URI.create("https://fcm.googleapis.com/fcm/send/one"));
        String mozilla = headers.authorization(URI.create("https://updates.push.services.mozilla.com/wpush/v2/x"));
        String otherPort = headers.authorization(URI.create("https://fcm.googleapis.com:8443/fcm/send/one"));

        assertThat(Set.of(fcm, mozilla, otherPort)).hasSize(3);
        assertThat(json(jwt(mozilla).split("\\.")[1]).getString("aud")).isEqualTo("https://updates.push.services.mozilla.com");
    }

    @Test
    void concurrentCallersShareOneSignedHeader() throws Exception {
        AtomicInteger signed = new AtomicInteger();
        VapidHeaders counting = new VapidHeaders() {
            @Override
            public String create(dev.herald.vapid.entity.VapidKey key, String audience, Instant now) {
                signed.incrementAndGet();
                return super.create(key, audience, now);
            }
        };
        counting.keys = keys;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        var pool = Executors.newFixedThreadPool(8);
        try {
            var tasks = java.util.stream.IntStream.range(0, 200)
                    .mapToObj(i -> pool.submit(() -> seen.add(counting.authorization(URI.create("https://web.push.apple.com/q" + i)))))
                    .toList();
            for (var task : tasks) {
                task.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(1);
        assertThat(signed).hasValue(1);
    }

    static String jwt(String header) {
        return header.substring("vapid t=".length(), header.indexOf(", k="));
    }

    static JsonObject json(String base64Url) {
        try (var reader = Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8)))) {
            return reader.readObject();
        }
    }

    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(t -> t.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
