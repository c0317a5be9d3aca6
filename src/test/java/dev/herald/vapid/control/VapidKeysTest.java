package dev.herald.vapid.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.encryption.control.P256;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VapidKeysTest {

    static final BigInteger D = new BigInteger(PrivateKeyReaderTest.SEC1_D, 16);

    static VapidKeys configured(String privateKey, String publicKey) {
        var keys = new VapidKeys();
        keys.configuredKey = Optional.ofNullable(privateKey);
        keys.configuredFile = Optional.empty();
        keys.configuredPublicKey = Optional.ofNullable(publicKey);
        return keys;
    }

    @Test
    void servesThePublicKeyOfTheConfiguredPrivateKey() {
        var keys = configured(PrivateKeyReaderTest.SEC1, null);
        assertThat(P256.fromBase64Url(keys.publicKeyBase64Url())).isEqualTo(P256.publicFromPrivate(D));
        assertThat(keys.privateKey().getS()).isEqualTo(D);
    }

    @Test
    void acceptsAMatchingConfiguredPublicKey() {
        String matching = P256.base64Url(P256.publicFromPrivate(D));
        assertThat(configured(PrivateKeyReaderTest.SEC1, matching).publicKeyBase64Url()).isEqualTo(matching);
    }

    @Test
    void refusesToStartWhenThePublicKeyDoesNotMatch() {
        String other = P256.base64Url(P256.publicFromPrivate(D.add(BigInteger.ONE)));
        assertThatThrownBy(() -> configured(PrivateKeyReaderTest.SEC1, other).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesInlineKeyAndKeyFileTogether() {
        var keys = configured(PrivateKeyReaderTest.SEC1, null);
        keys.configuredFile = Optional.of("/tmp/vapid.pem");
        assertThatThrownBy(keys::load).hasMessageContaining("keep one");
    }

    @Test
    void describesABadKeyWithoutRevealingIt() {
        String bad = P256.base64Url(new byte[32]);
        assertThatThrownBy(() -> configured(bad, null).load())
                .hasMessageContaining("herald.vapid.private-key").hasMessageNotContaining(bad);
        assertThat(configured(PrivateKeyReaderTest.SEC1, null).toString()).doesNotContain(PrivateKeyReaderTest.SEC1_D);
    }
}
