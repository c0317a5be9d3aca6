package dev.herald.encryption.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.encryption.control.P256;
import dev.herald.testing.Rfc8291Decryptor;
import dev.herald.testing.TestSubscriber;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Security;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PayloadEncryptionTest {

    // RFC 8291 Appendix A
    static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String AUTH_SECRET = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    final PayloadEncryption encryption = new PayloadEncryption(true);

    @Test
    void reproducesRfc8291AppendixAByteForByte() throws Exception {
        Ephemeral sender = JavaEphemeral.of(new BigInteger(1, P256.fromBase64Url(AS_PRIVATE)));

        byte[] body = encryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), P256.fromBase64Url(UA_PUBLIC),
                P256.fromBase64Url(AUTH_SECRET), sender, P256.fromBase64Url(SALT));

        assertThat(P256.base64Url(body)).isEqualTo(BODY);
    }

    @Test
    void jdkDecryptorReadsTheRfc8291Example() throws Exception {
        var uaPrivate = P256.privateKey(new BigInteger(1, P256.fromBase64Url(UA_PRIVATE)));

        var message = Rfc8291Decryptor.decrypt(P256.fromBase64Url(BODY), uaPrivate, P256.fromBase64Url(UA_PUBLIC),
                P256.fromBase64Url(AUTH_SECRET));

        assertThat(message.text()).isEqualTo(PLAINTEXT);
        assertThat(message.recordSize()).isEqualTo(4096);
        assertThat(P256.base64Url(message.senderPublicKey())).isEqualTo(AS_PUBLIC);
    }

    @Test
    void roundTripsThroughTheJdkDecryptorWithRandomKeys() throws Exception {
        var subscriber = TestSubscriber.create();
        byte[] payload = "{\"title\":\"Grüße\",\"body\":\"☃ snow\"}".getBytes(StandardCharsets.UTF_8);

        byte[] body = encryption.encrypt(payload, subscriber.p256dh(), subscriber.authSecret());

        assertThat(Rfc8291Decryptor.decrypt(body, subscriber).plaintext()).isEqualTo(payload);
    }

    @Test
    void everyMessageGetsAFreshSenderKeyAndSalt() throws Exception {
        var subscriber = TestSubscriber.create();
        byte[] payload = "same".getBytes(StandardCharsets.UTF_8);

        byte[] first = encryption.encrypt(payload, subscriber.p256dh(), subscriber.authSecret());
        byte[] second = encryption.encrypt(payload, subscriber.p256dh(), subscriber.authSecret());

        var one = Rfc8291Decryptor.decrypt(first, subscriber);
        var two = Rfc8291Decryptor.decrypt(second, subscriber);
        assertThat(one.salt()).isNotEqualTo(two.salt());
        assertThat(one.senderPublicKey()).isNotEqualTo(two.senderPublicKey());
        assertThat(Arrays.copyOfRange(first, 86, first.length)).isNotEqualTo(Arrays.copyOfRange(second, 86, second.length));
        assertThat(one.plaintext()).isEqualTo(two.plaintext()).isEqualTo(payload);
    }

    @Test
    void largestPayloadFillsExactly4096Bytes() throws Exception {
        var subscriber = TestSubscriber.create();
        byte[] payload = new byte[PayloadEncryption.MAX_PLAINTEXT];
        Arrays.fill(payload, (byte) 'x');

        byte[] body = encryption.encrypt(payload, subscriber.p256dh(), subscriber.authSecret());

        assertThat(PayloadEncryption.MAX_PLAINTEXT).isEqualTo(3993);
        assertThat(body).hasSize(4096);
        assertThat(Rfc8291Decryptor.decrypt(body, subscriber).plaintext()).isEqualTo(payload);
    }

    @Test
    void oneByteMoreIsRefused() {
        var subscriber = TestSubscriber.create();

        assertThatThrownBy(() -> encryption.encrypt(new byte[PayloadEncryption.MAX_PLAINTEXT + 1], subscriber.p256dh(), subscriber.authSecret()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3994").hasMessageContaining("3993");
    }

    @Test
    void unusableSubscriberKeysAreRefused() {
        var subscriber = TestSubscriber.create();
        byte[] notOnCurve = P256.fromBase64Url(subscriber.p256dh());
        notOnCurve[64] ^= 1;

        assertThatThrownBy(() -> encryption.encrypt(new byte[1], P256.base64Url(notOnCurve), subscriber.authSecret()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p256dh");
        byte[] compressed = java.util.Arrays.copyOf(P256.fromBase64Url(subscriber.p256dh()), 33);
        compressed[0] = 0x02;
        assertThatThrownBy(() -> encryption.encrypt(new byte[1], P256.base64Url(compressed), subscriber.authSecret()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p256dh").hasMessageContaining("uncompressed");
        assertThatThrownBy(() -> encryption.encrypt(new byte[1], subscriber.p256dh(), "AAAA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth");
    }

    @Test
    void needsNoJvmWideBouncyCastleProvider() throws Exception {
        assertThat(Security.getProvider("BC")).as("nothing registered BC in this JVM").isNull();
        var subscriber = TestSubscriber.create();

        byte[] body = encryption.encrypt(new byte[]{1, 2, 3}, subscriber.p256dh(), subscriber.authSecret());

        assertThat(Rfc8291Decryptor.decrypt(body, subscriber).plaintext()).containsExactly(1, 2, 3);
        assertThat(Security.getProvider("BC")).isNull();
    }
}
