package dev.herald.encryption.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Rfc8291Decryptor;
import dev.herald.testing.TestSubscriber;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.ECPrivateKeySpec;
import org.junit.jupiter.api.Test;

class EphemeralKeysTest {

    static boolean linuxX64() {
        return System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void usesTheNativeProviderWhereItsLibraryLoads() {
        assumeTrue(linuxX64(), "Conscrypt's jar has a library for Linux x86-64, the platform CI runs on");

        var keys = EphemeralKeys.choose(true);

        assertThat(keys.isNative()).as(keys.description()).isTrue();
        assertThat(keys.description()).startsWith("Conscrypt");
    }

    @Test
    void theSettingTurnsTheNativeProviderOff() {
        var keys = EphemeralKeys.choose(false);

        assertThat(keys.isNative()).isFalse();
        assertThat(keys.description()).contains("herald.encryption.native=false");
    }

    @Test
    void aNativeKeyReproducesRfc8291AppendixAByteForByte() throws Exception {
        var keys = EphemeralKeys.choose(true);
        assumeTrue(keys.isNative(), keys.description());
        var privateKey = KeyFactory.getInstance("EC", keys.provider()).generatePrivate(new ECPrivateKeySpec(
                new BigInteger(1, P256.fromBase64Url(PayloadEncryptionTest.AS_PRIVATE)), P256.spec()));
        var sender = new NativeEphemeral(keys.provider(), privateKey, P256.fromBase64Url(PayloadEncryptionTest.AS_PUBLIC));

        byte[] body = new PayloadEncryption(true).encrypt(PayloadEncryptionTest.PLAINTEXT.getBytes(StandardCharsets.UTF_8),
                P256.fromBase64Url(PayloadEncryptionTest.UA_PUBLIC), P256.fromBase64Url(PayloadEncryptionTest.AUTH_SECRET), sender,
                P256.fromBase64Url(PayloadEncryptionTest.SALT));

        assertThat(P256.base64Url(body)).isEqualTo(PayloadEncryptionTest.BODY);
    }

    @Test
    void nativeAndJavaMessagesBothDecrypt() throws Exception {
        var subscriber = TestSubscriber.create();
        byte[] payload = "{\"title\":\"both ways\"}".getBytes(StandardCharsets.UTF_8);

        for (boolean allowNative : new boolean[]{true, false}) {
            byte[] body = new PayloadEncryption(allowNative).encrypt(payload, subscriber.p256dh(), subscriber.authSecret());

            assertThat(Rfc8291Decryptor.decrypt(body, subscriber).plaintext()).as("native allowed: " + allowNative).isEqualTo(payload);
        }
    }

    @Test
    void theNativeAgreementRefusesAPointOffTheCurve() {
        var keys = EphemeralKeys.choose(true);
        assumeTrue(keys.isNative(), keys.description());
        byte[] offCurve = P256.fromBase64Url(TestSubscriber.create().p256dh());
        offCurve[64] ^= 1;

        var ephemeral = keys.create(new SecureRandom());

        assertThatThrownBy(() -> ephemeral.agree(offCurve)).isInstanceOf(PayloadEncryption.UnusableKeys.class)
                .hasMessageContaining("not a point on the P-256 curve");
    }

    @Test
    void neitherKindShowsItsPrivateKey() {
        for (boolean allowNative : new boolean[]{true, false}) {
            var ephemeral = EphemeralKeys.choose(allowNative).create(new SecureRandom());

            assertThat(ephemeral.toString()).endsWith("[public key only]");
        }
    }
}
