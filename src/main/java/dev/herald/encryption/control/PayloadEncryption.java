package dev.herald.encryption.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import nl.martijndwars.webpush.HttpEce;
import nl.martijndwars.webpush.Utils;

/**
 * Message encryption for Web Push (RFC 8291), content coding aes128gcm (RFC 8188) only.
 *
 * The HKDF steps are web-push's (HttpEce.hkdfExpand, the key schedule its Encoding.AES128GCM
 * uses). Its encrypt() is not: it asks the JVM-wide provider "BC" by name, which may be the
 * server's (WildFly) and reject our class loader's key types, and registering ours from a WAR
 * leaks on redeploy. The key pair and ECDH, most of a push's CPU, come from EphemeralKeys:
 * BoringSSL through Conscrypt where it loads, else BouncyCastle's curve arithmetic called directly.
 * AES-GCM is the JDK's.
 */
@ApplicationScoped
public class PayloadEncryption {

    static final Logger LOG = Logger.getLogger(PayloadEncryption.class.getName());

    /** RFC 8291 section 4: 4096 bytes - 86 header - 16 tag - 1 delimiter. */
    public static final int MAX_PLAINTEXT = 3993;
    static final int RECORD_SIZE = 4096;
    // one generator and one cipher per sender thread: the default SecureRandom (NativePRNG) serialises
    // every caller on one lock and reads /dev/urandom every 32 bytes, and Cipher.getInstance
    // searches the providers each time; both showed up in the fan-out profile
    static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(PayloadEncryption::drbg);
    static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(PayloadEncryption::aesGcm);

    @Inject
    @ConfigProperty(name = "herald.encryption.native")
    boolean allowNative;

    volatile EphemeralKeys keys;

    public PayloadEncryption() {
    }

    /** Outside a container (tests, benchmarks). */
    public PayloadEncryption(boolean allowNative) {
        this.allowNative = allowNative;
        keys();
    }

    /** Chosen at deployment (TomEE; DeploymentCreationTest), so that the first broadcast does not load a native library. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        keys();
    }

    /** Which implementation makes the one-message keys: chosen once (the doctor reports it). */
    public synchronized EphemeralKeys keys() {
        EphemeralKeys known = keys;
        if (known == null) {
            known = EphemeralKeys.choose(allowNative);
            keys = known;
            EphemeralKeys chosen = known;
            LOG.info(() -> "message encryption: P-256 key pairs and ECDH by " + chosen.description());
        }
        return known;
    }

    /**
     * Encrypts one push message for a subscription's keys (base64url p256dh and auth).
     *
     * @throws UnusableKeys when p256dh or auth cannot be used (RFC 8291 section 7)
     * @throws IllegalArgumentException when plaintext is longer than MAX_PLAINTEXT (the caller checks sizes first)
     */
    public byte[] encrypt(byte[] plaintext, String p256dh, String auth) {
        SecureRandom random = RANDOM.get();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        // RFC 8291 section 3.1: a new key pair for every message
        return encrypt(plaintext, decode(p256dh, "p256dh"), decode(auth, "auth"), current().create(random), salt);
    }

    private EphemeralKeys current() {
        EphemeralKeys known = keys;
        return known != null ? known : keys();
    }

    /** Test hook: a fixed sender key and salt reproduce RFC 8291 Appendix A. */
    byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, Ephemeral sender, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("payload is " + plaintext.length + " bytes; at most " + MAX_PLAINTEXT
                    + " fit into one encrypted push message (RFC 8291 section 4).");
        }
        if (authSecret.length != 16) {
            throw new UnusableKeys("auth secret must be 16 bytes, got " + authSecret.length + ".");
        }
        if (salt.length != 16) {
            throw new IllegalArgumentException("salt must be 16 bytes");
        }
        if (uaPublic.length != 65 || uaPublic[0] != 0x04) {
            // RFC 8291 section 7: the uncompressed form, 65 bytes
            throw new UnusableKeys("p256dh must be an uncompressed P-256 point (65 bytes starting with 0x04).");
        }
        byte[] senderPublic = sender.publicKey();
        byte[][] keyAndNonce = KeySchedule.derive(sender.agree(uaPublic), authSecret, uaPublic, senderPublic, salt);
        try {
            // a fresh key and nonce on every init: GCM's one rule (never reuse a pair) holds
            Cipher aes = AES_GCM.get();
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndNonce[0], "AES"), new GCMParameterSpec(128, keyAndNonce[1]));
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
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** A subscription's keys cannot encrypt a message: nothing can be sent to it as it is. */
    public static final class UnusableKeys extends IllegalArgumentException {
        public UnusableKeys(String message) {
            super(message);
        }
    }

    /** Subclass only to reach HttpEce's protected HKDF (RFC 5869, HMAC-SHA-256). */
    static final class KeySchedule extends HttpEce {
        static final byte[] WEB_PUSH = WEB_PUSH_INFO.getBytes(StandardCharsets.US_ASCII);
        static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
        static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);

        private KeySchedule() {
        }

        /** RFC 8291 section 3.4: IKM from the ECDH secret and auth secret; RFC 8188 section 2.2/2.3: CEK and nonce. */
        static byte[][] derive(byte[] ecdhSecret, byte[] authSecret, byte[] uaPublic, byte[] asPublic, byte[] salt) {
            byte[] ikm = hkdfExpand(ecdhSecret, authSecret, Utils.concat(WEB_PUSH, uaPublic, asPublic), SHA_256_LENGTH);
            return new byte[][]{hkdfExpand(ikm, salt, CEK_INFO, 16), hkdfExpand(ikm, salt, NONCE_INFO, 12)};
        }
    }

    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    }

    static Cipher aesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    static byte[] decode(String base64Url, String name) {
        try {
            return P256.fromBase64Url(base64Url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnusableKeys(name + " is not base64url.");
        }
    }
}
