package dev.herald.vapid.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.encryption.control.P256;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.testing.TestRedis;
import dev.herald.vapid.entity.VapidKey;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyring against the run's Redis, under a key prefix of this test's own. */
class VapidKeyringTest {

    final String prefix = TestRedis.PREFIX + "keyring-" + UUID.randomUUID() + ":";
    Redis redis;

    @BeforeEach
    void connect() {
        redis = Redises.connect(prefix);
    }

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    VapidKeys ring(String privateKey, String previous) {
        var keys = VapidKeysTest.configured(privateKey, null);
        keys.configuredPrevious = Optional.ofNullable(previous);
        keys.redis = redis;
        keys.subject = new VapidSubject();
        keys.subject.subject = VapidFixture.SUBJECT;
        return keys;
    }

    @Test
    void theFingerprintIsTheBase64UrlSha256OfTheRawPublicKey() throws Exception {
        VapidKey key = ring(null, null).current();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(P256.fromBase64Url(key.publicKey()));
        assertThat(key.fingerprint()).isEqualTo(P256.base64Url(digest)).hasSize(43);
    }

    @Test
    void aRotationMakesANewCurrentKeyAndKeepsTheOldOneForItsSubscriptionsOnEveryInstance() {
        var one = ring(null, null);
        var other = ring(null, null);
        VapidKey first = one.current();
        assertThat(other.current()).as("one generated key for every instance").isEqualTo(first);

        VapidKey second = one.rotate();
        other.ring = new VapidKeys.Ring(other.ring.current(), other.ring.keys(), System.nanoTime() - VapidKeys.REFRESH_NANOS - 1);

        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(second.created()).isNotNull();
        assertThat(one.all()).extracting(VapidKey::fingerprint).containsExactly(second.fingerprint(), first.fingerprint());
        assertThat(other.current().fingerprint()).as("the other instance, after its refresh").isEqualTo(second.fingerprint());
        assertThat(other.find(first.fingerprint())).isPresent();
        assertThat(TestRedis.client().hget(prefix + Keys.VAPID_PREVIOUS, first.fingerprint())).isNotNull();
    }

    @Test
    void removingRefusesTheCurrentKeyAndAnUnknownOneAndForgetsAPreviousOne() {
        var keys = ring(null, null);
        VapidKey first = keys.current();
        VapidKey second = keys.rotate();

        assertThatThrownBy(() -> keys.remove(second.fingerprint())).isInstanceOf(ClientErrorException.class)
                .extracting(e -> ((ClientErrorException) e).getResponse().getStatus()).isEqualTo(409);
        assertThatThrownBy(() -> keys.remove("no-such-key")).isInstanceOf(NotFoundException.class);

        keys.remove(first.fingerprint());

        assertThat(keys.all()).extracting(VapidKey::fingerprint).containsExactly(second.fingerprint());
        assertThat(keys.find(first.fingerprint())).isEmpty();
    }

    @Test
    void aConfiguredKeyWinsOverRedisAndRotatesOnlyByConfiguration() {
        var keys = ring(PrivateKeyReaderTest.SEC1, VapidKeys.generate());
        VapidKey current = keys.current();

        assertThat(current.configured()).isTrue();
        assertThat(keys.all()).hasSize(2).allSatisfy(key -> assertThat(key.configured()).isTrue());
        assertThatThrownBy(keys::rotate).isInstanceOf(ClientErrorException.class).hasMessageContaining("herald.vapid.previous-private-keys")
                .extracting(e -> ((ClientErrorException) e).getResponse().getStatus()).isEqualTo(409);
        assertThatThrownBy(() -> keys.remove(keys.all().get(1).fingerprint())).hasMessageContaining("configured");
        assertThat(TestRedis.client().exists(prefix + Keys.VAPID_PRIVATE_KEY)).as("nothing generated").isFalse();
    }

    @Test
    void aKeyThatHeraldKeptInRedisStaysAPreviousKeyOnceAKeyIsConfiguredUntilRemoved() {
        VapidKey generated = ring(null, null).current();
        var keys = ring(PrivateKeyReaderTest.SEC1, null);

        assertThat(keys.current().configured()).isTrue();
        assertThat(keys.find(generated.fingerprint())).as("its subscriptions still get pushes").isPresent();

        keys.remove(generated.fingerprint());

        assertThat(keys.all()).extracting(VapidKey::fingerprint).containsExactly(keys.current().fingerprint());
        assertThat(TestRedis.client().exists(prefix + Keys.VAPID_PRIVATE_KEY)).isFalse();
    }

    @Test
    void aMalformedPreviousKeyStopsTheStartNamingItsSettingNotTheKey() {
        String bad = P256.base64Url(new byte[31]);
        assertThatThrownBy(() -> ring(PrivateKeyReaderTest.SEC1, VapidKeys.generate() + "," + bad).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("herald.vapid.previous-private-keys (key 2 of 2)").hasMessageNotContaining(bad);
        var keys = ring(PrivateKeyReaderTest.SEC1, null);
        keys.configuredPreviousFiles = Optional.of("/nonexistent/vapid-old.pem");
        assertThatThrownBy(keys::load).hasMessageContaining("herald.vapid.previous-private-keys-files");
    }

    @Test
    void aPushIsSignedWithTheKeyItsSubscriptionWasMadeWithAndCachedPerKeyAndAudience() {
        var keys = ring(null, null);
        VapidKey first = keys.current();
        VapidKey second = keys.rotate();
        var headers = VapidFixture.headers(keys);
        var endpoint = java.net.URI.create("https://fcm.googleapis.com/fcm/send/x");

        String old = headers.authorization(endpoint, first.fingerprint());
        String current = headers.authorization(endpoint, second.fingerprint());

        assertThat(old).endsWith("k=" + first.publicKey()).isEqualTo(headers.authorization(endpoint, first.fingerprint()));
        assertThat(current).endsWith("k=" + second.publicKey()).isEqualTo(headers.authorization(endpoint, null));
        assertThat(headers.tokens).hasSize(2);
    }
}
