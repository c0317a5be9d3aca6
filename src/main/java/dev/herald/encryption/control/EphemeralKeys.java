package dev.herald.encryption.control;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * Where the one-message P-256 keys come from: the native provider (Conscrypt) when it loads here and
 * agrees with BouncyCastle on a known answer, else BouncyCastle in Java. Decided once per deployment.
 *
 * Conscrypt unpacks its JNI library to java.io.tmpdir and loads it into this class loader. A JVM loads
 * a native library into one class loader only, so after a redeploy into the same server process the
 * new deployment falls back to Java until the server restarts; so do platforms the jar has no library
 * for (e.g. Linux on ARM), and servers that forbid native code.
 */
public record EphemeralKeys(Provider provider, String description) {

    static final Logger LOG = Logger.getLogger(EphemeralKeys.class.getName());

    /** BouncyCastle in Java only. */
    public static EphemeralKeys java(String why) {
        return new EphemeralKeys(null, "BouncyCastle (Java)" + (why == null ? "" : "; the native provider is not used: " + why));
    }

    /** The native provider when it works here, else Java; allowNative false: Java (setting herald.encryption.native). */
    public static EphemeralKeys choose(boolean allowNative) {
        if (!allowNative) {
            return java("herald.encryption.native=false");
        }
        Provider provider;
        try {
            if (!org.conscrypt.Conscrypt.isAvailable()) {
                return java("Conscrypt's native library did not load on this platform or in this class loader");
            }
            provider = org.conscrypt.Conscrypt.newProvider();
        } catch (LinkageError | RuntimeException e) {
            return java("Conscrypt did not load: " + e);
        }
        var random = new SecureRandom();
        try {
            // a known answer: both sides of one ECDH, one made natively and one in Java, must agree
            var nativeKey = NativeEphemeral.create(provider, random);
            var javaKey = JavaEphemeral.create(random);
            if (!Arrays.equals(nativeKey.agree(javaKey.publicKey()), javaKey.agree(nativeKey.publicKey()))) {
                return java("its ECDH disagreed with BouncyCastle's");
            }
        } catch (LinkageError | RuntimeException e) {
            return java("its self-test failed: " + e);
        }
        return new EphemeralKeys(provider, "Conscrypt " + version() + " (BoringSSL, native)");
    }

    static String version() {
        var version = org.conscrypt.Conscrypt.version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    Ephemeral create(SecureRandom random) {
        return provider == null ? JavaEphemeral.create(random) : NativeEphemeral.create(provider, random);
    }

    public boolean isNative() {
        return provider != null;
    }
}
