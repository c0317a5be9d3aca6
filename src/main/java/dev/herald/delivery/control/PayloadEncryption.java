package dev.herald.delivery.control;

import dev.herald.crypto.control.P256;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.HttpEce;
import nl.martijndwars.webpush.Utils;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Message encryption for Web Push (RFC 8291), content coding aes128gcm (RFC 8188) only.
 *
 * The key schedule is web-push's HttpEce with Encoding.AES128GCM (HKDF, info strings). Its own
 * encrypt() asks the JVM-wide provider "BC" by name; that provider may belong to the server
 * (WildFly) and reject our class loader's key types, and registering ours from a WAR leaks on
 * redeploy. So BouncyCastle is a private provider instance that is never registered: it makes
 * the keys and the ECDH (its webpushSecret() would take the JVM's default ECDH, several
 * times slower: EcdhBenchmark); AES-GCM is the JDK's; the RFC 8188 header is written here.
 */
@ApplicationScoped
public class PayloadEncryption {

    /** RFC 8291 section 4: 4096 bytes - 86 header - 16 tag - 1 delimiter. */
    public static final int MAX_PLAINTEXT = 3993;
    static final int RECORD_SIZE = 4096;
    static final Provider BC = new BouncyCastleProvider();
    static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Encrypts one push message for a subscription's keys (base64url p256dh and auth).
     *
     * @throws IllegalArgumentException when plaintext is longer than MAX_PLAINTEXT or the keys are unusable
     */
    public byte[] encrypt(byte[] plaintext, String p256dh, String auth) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        // RFC 8291 section 3.1: a new key pair for every message
        return encrypt(plaintext, decode(p256dh, "p256dh"), decode(auth, "auth"), ephemeralKeyPair(), salt);
    }

    /** Test hook: fixed sender key pair and salt reproduce RFC 8291 Appendix A. */
    byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, KeyPair sender, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("payload is " + plaintext.length + " bytes; at most " + MAX_PLAINTEXT
                    + " fit into one encrypted push message (RFC 8291 section 4).");
        }
        if (authSecret.length != 16) {
            throw new IllegalArgumentException("auth secret must be 16 bytes, got " + authSecret.length + ".");
        }
        if (salt.length != 16) {
            throw new IllegalArgumentException("salt must be 16 bytes");
        }
        try {
            ECPublicKey receiver = (ECPublicKey) publicKey(uaPublic);
            byte[][] keyAndNonce = new SenderEce(sender).deriveKeyAndNonce(
                    salt, null, "sender", receiver, authSecret, Encoding.AES128GCM, Cipher.ENCRYPT_MODE);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndNonce[0], "AES"), new GCMParameterSpec(128, keyAndNonce[1]));
            byte[] senderPublic = ((ECPublicKey) sender.getPublic()).getQ().getEncoded(false);
            int cipherLength = plaintext.length + 1 + 16;
            // RFC 8188 section 2.1 header: salt, rs, idlen, keyid (RFC 8291 section 4: the sender's public key)
            ByteBuffer out = ByteBuffer.allocate(16 + 4 + 1 + senderPublic.length + cipherLength)
                    .put(salt).putInt(RECORD_SIZE).put((byte) senderPublic.length).put(senderPublic);
            // one record, the last: padding delimiter 0x02 (RFC 8188 section 2)
            byte[] record = new byte[plaintext.length + 1];
            System.arraycopy(plaintext, 0, record, 0, plaintext.length);
            record[plaintext.length] = 2;
            aes.doFinal(ByteBuffer.wrap(record), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt for this subscription: " + e.getMessage(), e);
        }
    }

    /** HttpEce whose ECDH runs on the private BouncyCastle instance. */
    static final class SenderEce extends HttpEce {
        final KeyPair sender;

        SenderEce(KeyPair sender) {
            super(new HashMap<>(Map.of("sender", sender)), new HashMap<>());
            this.sender = sender;
        }

        /** RFC 8291 section 3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0x00 ua_public as_public, 32). */
        @Override
        public byte[] webpushSecret(String keyId, ECPublicKey receiver, byte[] authSecret, int mode) throws InvalidKeyException {
            try {
                KeyAgreement agreement = KeyAgreement.getInstance("ECDH", BC);
                agreement.init(sender.getPrivate());
                agreement.doPhase(receiver, true);
                byte[] info = Utils.concat(WEB_PUSH_INFO.getBytes(StandardCharsets.US_ASCII),
                        Utils.encode(receiver), Utils.encode((ECPublicKey) sender.getPublic()));
                return hkdfExpand(agreement.generateSecret(), authSecret, info, SHA_256_LENGTH);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static KeyPair ephemeralKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sender key pair from a fixed private key, as HttpEce wants it (BouncyCastle key types). */
    static KeyPair keyPair(BigInteger privateKey) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("EC", BC);
        return new KeyPair(publicKey(P256.publicFromPrivate(privateKey)),
                factory.generatePrivate(new ECPrivateKeySpec(privateKey, P256.spec())));
    }

    static java.security.PublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
        java.security.interfaces.ECPublicKey jdk;
        try {
            jdk = P256.publicKey(uncompressed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("p256dh " + e.getMessage() + ".");
        }
        return KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(jdk.getW(), P256.spec()));
    }

    static byte[] decode(String base64Url, String name) {
        try {
            return P256.fromBase64Url(base64Url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(name + " is not base64url.");
        }
    }
}
