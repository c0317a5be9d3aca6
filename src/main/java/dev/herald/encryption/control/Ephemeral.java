package dev.herald.encryption.control;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * The application server's one-message P-256 key (RFC 8291 section 3.1) and its ECDH.
 * BouncyCastle's curve arithmetic is used directly, on its optimised P-256 field and a
 * precomputed comb for the generator: through the JCA the key pair and the agreement
 * cost several times more, and they are most of the CPU a push takes.
 */
record Ephemeral(BigInteger privateKey, byte[] publicKey) {

    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    static final ECMultiplier BASE = new FixedPointCombMultiplier();
    static Ephemeral create(SecureRandom random) {
        BigInteger d;
        do {
            d = BigIntegers.createRandomBigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0);
        return of(d);
    }

    static Ephemeral of(BigInteger d) {
        return new Ephemeral(d, BASE.multiply(CURVE.getG(), d).normalize().getEncoded(false));
    }

    /** ECDH: the x coordinate of d * ua_public; decodePoint refuses points off the curve (no invalid-curve attack). */
    byte[] agree(byte[] uaPublic) {
        ECPoint receiver;
        try {
            receiver = CURVE.getCurve().decodePoint(uaPublic);
        } catch (IllegalArgumentException e) {
            throw new PayloadEncryption.UnusableKeys("p256dh is not a point on the P-256 curve.");
        }
        var shared = receiver.multiply(privateKey).normalize();
        return BigIntegers.asUnsignedByteArray(32, shared.getAffineXCoord().toBigInteger());
    }

    @Override
    public String toString() {
        return "Ephemeral[public key only]";
    }
}
