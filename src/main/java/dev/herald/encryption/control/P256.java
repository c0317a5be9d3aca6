package dev.herald.encryption.control;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * NIST P-256 helpers. Uses BouncyCastle's curve arithmetic only (no JCA provider), so it
 * works whether or not the server registered its own "BC".
 */
public final class P256 {

    static final X9ECParameters CURVE = ECNamedCurveTable.getByName("secp256r1");
    static final ECParameterSpec SPEC = jdkSpec();

    private P256() {
    }

    /** Decodes an uncompressed point (RFC 8291 section 7: 65 bytes, 0x04 || x || y) and checks it is on the curve. */
    public static org.bouncycastle.math.ec.ECPoint decodeUncompressed(byte[] bytes) {
        if (bytes.length != 65 || bytes[0] != 0x04) {
            throw new IllegalArgumentException("must be an uncompressed P-256 point: 65 bytes starting with 0x04, got "
                    + bytes.length + " bytes" + (bytes.length > 0 ? " starting with 0x" + String.format("%02x", bytes[0]) : ""));
        }
        try {
            var point = CURVE.getCurve().decodePoint(bytes);
            if (!point.isValid() || point.isInfinity()) {
                throw new IllegalArgumentException("is not a point on the P-256 curve");
            }
            return point;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a point on the P-256 curve");
        }
    }

    public static byte[] publicFromPrivate(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(CURVE.getN()) >= 0) {
            throw new IllegalArgumentException("the private key is out of range for P-256");
        }
        return CURVE.getG().multiply(d).normalize().getEncoded(false);
    }

    public static ECPrivateKey privateKey(BigInteger d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, SPEC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECPublicKey publicKey(byte[] uncompressed) {
        decodeUncompressed(uncompressed);
        var x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33));
        var y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65));
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), SPEC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 0x04;
        fixed(key.getW().getAffineX(), out, 1);
        fixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    public static byte[] fixed32(BigInteger value) {
        byte[] out = new byte[32];
        fixed(value, out, 0);
        return out;
    }

    static void fixed(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int start = Math.max(0, raw.length - 32);
        int length = raw.length - start;
        System.arraycopy(raw, start, out, offset + 32 - length, length);
    }

    public static ECParameterSpec spec() {
        return SPEC;
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Decodes base64url, with or without padding; standard base64's '+' and '/' are refused. */
    public static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text.trim());
    }

    static ECParameterSpec jdkSpec() {
        try {
            var parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
