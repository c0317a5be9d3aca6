package dev.herald.vapid.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testing.TestSubscriber;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PrivateKeyReaderTest {

    // written by `openssl ecparam -name prime256v1 -genkey -noout` (SEC1); d taken from `openssl ec -text`
    static final String SEC1 = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIPVqHzpP1Fkff8BVjPUR4CFeZSK9eDb/v+TA5xjP4e8YoAoGCCqGSM49
            AwEHoUQDQgAExYWK2Ps26SNqXq5PSfTcGGh3geCGXxVMrkN+PYddzv5WvJvWU+4K
            vpeuRXcZ2raOMlXJUoj/7lK/8CVazIfAOQ==
            -----END EC PRIVATE KEY-----
            """;
    static final String SEC1_D = "f56a1f3a4fd4591f7fc0558cf511e0215e6522bd7836ffbfe4c0e718cfe1ef18";

    @Test
    void readsSec1PemAsOpensslWritesIt() {
        assertThat(PrivateKeyReader.read(SEC1)).isEqualTo(new BigInteger(SEC1_D, 16));
    }

    @Test
    void skipsAnEcParametersBlockBeforeTheKey() {
        String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + SEC1;
        assertThat(PrivateKeyReader.read(withParameters)).isEqualTo(new BigInteger(SEC1_D, 16));
    }

    @Test
    void readsPkcs8Pem() throws Exception {
        var key = generate("secp256r1");
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThat(PrivateKeyReader.read(pem)).isEqualTo(key.getS());
    }

    @Test
    void readsRawBase64UrlWithOrWithoutPadding() {
        byte[] raw = dev.herald.encryption.control.P256.fixed32(new BigInteger(SEC1_D, 16));
        String unpadded = TestSubscriber.b64(raw);
        assertThat(PrivateKeyReader.read(unpadded)).isEqualTo(new BigInteger(SEC1_D, 16));
        assertThat(PrivateKeyReader.read(Base64.getUrlEncoder().encodeToString(raw) + "\n")).isEqualTo(new BigInteger(SEC1_D, 16));
    }

    @Test
    void refusesAKeyOnAnotherCurve() throws Exception {
        var key = generate("secp384r1");
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> PrivateKeyReader.read(pem)).hasMessageContaining("P-256");
    }

    @Test
    void refusesRawKeysOfTheWrongLengthWithoutEchoingThem() {
        String secretLooking = TestSubscriber.b64(new byte[31]);
        assertThatThrownBy(() -> PrivateKeyReader.read(secretLooking))
                .hasMessageContaining("31").hasMessageNotContaining(secretLooking);
        assertThatThrownBy(() -> PrivateKeyReader.read("not+base64/url")).hasMessageContaining("not base64url");
    }

    static ECPrivateKey generate(String curve) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return (ECPrivateKey) generator.generateKeyPair().getPrivate();
    }
}
