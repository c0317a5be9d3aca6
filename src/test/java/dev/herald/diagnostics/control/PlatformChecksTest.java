package dev.herald.diagnostics.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.diagnostics.entity.Check.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformChecksTest {

    final Instant redis = Instant.parse("2026-12-02T06:00:00Z");

    @Test
    void aClockWithin60SecondsOfRedisIsOkBeyondItWarnsAndHalfADayOffFails() {
        assertThat(PlatformChecks.clock(redis.plusSeconds(59), redis).status()).isEqualTo(Status.OK);
        assertThat(PlatformChecks.clock(redis.minusSeconds(61), redis))
                .satisfies(check -> assertThat(check.status()).isEqualTo(Status.WARN))
                .satisfies(check -> assertThat(check.detail()).contains("61000 ms behind"));
        assertThat(PlatformChecks.clock(redis.plusSeconds(13 * 3600), redis).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void redisFindingsWarnAndNoneIsOk() {
        assertThat(PlatformChecks.redis(List.of()).status()).isEqualTo(Status.OK);
        assertThat(PlatformChecks.redis(List.of("Redis may evict keys when full (maxmemory-policy allkeys-lru).")))
                .satisfies(check -> assertThat(check.status()).isEqualTo(Status.WARN))
                .satisfies(check -> assertThat(check.detail()).contains("allkeys-lru"));
    }

    @Test
    void noAllowedHostFailsAndInsecureWarns() {
        assertThat(PlatformChecks.allowedHosts(List.of(), false).status()).isEqualTo(Status.FAIL);
        assertThat(PlatformChecks.allowedHosts(List.of("127.0.0.1"), true).status()).isEqualTo(Status.WARN);
        assertThat(PlatformChecks.allowedHosts(List.of("fcm.googleapis.com"), false).status()).isEqualTo(Status.OK);
    }

    @Test
    void withoutAPublicUrlTheDoctorWarnsWithTheFix() {
        var missing = PlatformChecks.publicUrl(null);
        assertThat(missing.status()).isEqualTo(Status.WARN);
        assertThat(missing.detail()).contains("Safari");
        assertThat(missing.fix()).contains("herald.public-url");
        assertThat(PlatformChecks.publicUrl(java.net.URI.create("https://push.example.com/")).status()).isEqualTo(Status.OK);
    }

    @Test
    void aGeneratedTokenWarns() {
        assertThat(PlatformChecks.token(true)).satisfies(check -> assertThat(check.status()).isEqualTo(Status.WARN))
                .satisfies(check -> assertThat(check.fix()).contains("herald.api.tokens"));
        assertThat(PlatformChecks.token(false).status()).isEqualTo(Status.OK);
    }
}
