package dev.herald.encryption.control;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * A one-message key made and used by a native JCA provider (Conscrypt: BoringSSL's constant-time P-256).
 * The provider is asked by instance, never registered JVM-wide. BoringSSL makes the private key with its
 * own generator; it never leaves the provider's key object.
 */
record NativeEphemeral(Provider provider, PrivateKey privateKey, byte[] publicKey) implements Ephemeral {

    static NativeEphemeral create(Provider provider, SecureRandom random) {
        try {
            var generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(P256.spec(), random);
            var pair = generator.generateKeyPair();
            return new NativeEphemeral(provider, pair.getPrivate(), P256.uncompressed((ECPublicKey) pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the native P-256 key pair failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] agree(byte[] uaPublic) {
        var x = new BigInteger(1, Arrays.copyOfRange(uaPublic, 1, 33));
        var y = new BigInteger(1, Arrays.copyOfRange(uaPublic, 33, 65));
        java.security.PublicKey receiver;
        try {
            // BoringSSL refuses a point that is not on the curve here
            receiver = KeyFactory.getInstance("EC", provider).generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256.spec()));
        } catch (InvalidKeySpecException e) {
            throw new PayloadEncryption.UnusableKeys("p256dh is not a point on the P-256 curve.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the native P-256 key factory failed: " + e.getMessage(), e);
        }
        try {
            var agreement = KeyAgreement.getInstance("ECDH", provider);
            agreement.init(privateKey);
            agreement.doPhase(receiver, true);
            return agreement.generateSecret();
        } catch (java.security.InvalidKeyException e) {
            throw new PayloadEncryption.UnusableKeys("p256dh is not a point on the P-256 curve.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the native ECDH failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "NativeEphemeral[public key only]";
    }
}
