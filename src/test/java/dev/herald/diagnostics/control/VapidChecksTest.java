package dev.herald.diagnostics.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.diagnostics.entity.Check;
import dev.herald.diagnostics.entity.Check.Status;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.entity.VapidKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VapidChecksTest {

    @Test
    void theDefaultSubjectWarnsWithTheFixInTheDetail() {
        Check check = VapidChecks.subject("mailto:admin@example.com");

        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.detail()).contains("Apple", "herald.vapid.subject", check.fix());
    }

    @Test
    void localhostAndExampleSubjectsWarnAndARealContactIsOk() {
        assertThat(VapidChecks.subject("https://localhost/contact").status()).isEqualTo(Status.WARN);
        assertThat(VapidChecks.subject("mailto:ops@push.example.org").status()).isEqualTo(Status.WARN);
        assertThat(VapidChecks.subject("mailto:push-admin@herald.dev").status()).isEqualTo(Status.OK);
        assertThat(VapidChecks.subject("https://herald.dev/contact").status()).isEqualTo(Status.OK);
        assertThat(VapidChecks.subject("tel:+4930123").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aKeyPairWhosePrivateKeyDoesNotMatchItsPublicKeyFails() {
        VapidKey mine = VapidFixture.keys().current();
        VapidKey other = VapidFixture.keys().current();
        VapidKey mismatched = new VapidKey(mine.fingerprint(), mine.privateKey(), other.publicKey(), null, true);

        assertThat(VapidChecks.keyPair(List.of(mine), mine.publicKey()).status()).isEqualTo(Status.OK);
        assertThat(VapidChecks.keyPair(List.of(mismatched), other.publicKey()))
                .satisfies(check -> assertThat(check.status()).isEqualTo(Status.FAIL))
                .satisfies(check -> assertThat(check.fix()).contains("herald.vapid.public-key"));
        assertThat(VapidChecks.keyPair(List.of(mine, mismatched), mine.publicKey()).status()).as("a previous key too").isEqualTo(Status.FAIL);
        assertThat(VapidChecks.keyPair(List.of(mine), other.publicKey()).status()).as("another key handed out").isEqualTo(Status.FAIL);
    }

    @Test
    void theJwtHeraldMakesExpiresWithin24Hours() {
        var keys = VapidFixture.keys();
        Instant now = Instant.now();
        String header = VapidFixture.headers(keys).create(keys.current(), "https://fcm.googleapis.com", now);

        assertThat(VapidChecks.jwtExpiry(header, now).status()).isEqualTo(Status.OK);
        assertThat(VapidChecks.jwtExpiry(header, now.minusSeconds(13 * 3600)).status()).as("25 h ahead").isEqualTo(Status.FAIL);
        assertThat(VapidChecks.jwtExpiry("Bearer x", now).status()).isEqualTo(Status.FAIL);
    }
}
