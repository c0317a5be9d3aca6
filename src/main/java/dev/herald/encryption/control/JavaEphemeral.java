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
 * A one-message key in Java: BouncyCastle's curve arithmetic called directly, on its optimised P-256
 * field and a precomputed comb for the generator (through the JCA it costs several times more).
 * The fallback where the native provider cannot load, and the test hook for RFC 8291's fixed key.
 */
record JavaEphemeral(BigInteger privateKey, byte[] publicKey) implements Ephemeral {

    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    static final ECMultiplier BASE = new FixedPointCombMultiplier();

    static JavaEphemeral create(SecureRandom random) {
        BigInteger d;
        do {
            d = BigIntegers.createRandomBigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0);
        return of(d);
    }

    static JavaEphemeral of(BigInteger d) {
        return new JavaEphemeral(d, BASE.multiply(CURVE.getG(), d).normalize().getEncoded(false));
    }

    /** decodePoint refuses points off the curve. */
    @Override
    public byte[] agree(byte[] uaPublic) {
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
        return "JavaEphemeral[public key only]";
    }
}
