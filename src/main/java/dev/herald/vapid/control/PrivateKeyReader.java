package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Reads a VAPID private key as its scalar d, from the formats operators have at hand:
 * the Flask project's base64url raw 32 bytes, SEC1 "EC PRIVATE KEY" PEM (openssl ecparam),
 * or PKCS#8 "PRIVATE KEY" PEM. Error messages never include the key material.
 */
final class PrivateKeyReader {

    static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

    private PrivateKeyReader() {
    }

    static BigInteger read(String text) {
        String trimmed = text.trim();
        if (!trimmed.startsWith("-----BEGIN")) {
            return raw(trimmed);
        }
        var matcher = PEM.matcher(trimmed);
        while (matcher.find()) {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
            switch (matcher.group(1)) {
                case "EC PRIVATE KEY":
                    return sec1(der);
                case "PRIVATE KEY":
                    return pkcs8(der);
                default:
                    // e.g. "EC PARAMETERS" when openssl was run without -noout
            }
        }
        throw new IllegalArgumentException("no 'EC PRIVATE KEY' or 'PRIVATE KEY' PEM block found");
    }

    static BigInteger raw(String base64Url) {
        byte[] bytes;
        try {
            bytes = P256.fromBase64Url(base64Url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64url and not PEM");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a raw P-256 private key is 32 bytes, this one decodes to " + bytes.length);
        }
        return new BigInteger(1, bytes);
    }

    static BigInteger sec1(byte[] der) {
        try {
            var key = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
            var curve = key.getParametersObject();
            if (curve != null && !"1.2.840.10045.3.1.7".equals(curve.toString())) {
                throw new IllegalArgumentException("the key is not on P-256 (prime256v1), its curve is " + curve);
            }
            return key.getKey();
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException bad && bad.getMessage() != null && bad.getMessage().contains("P-256")) {
                throw bad;
            }
            throw new IllegalArgumentException("the EC PRIVATE KEY block is not a valid SEC1 key");
        }
    }

    static BigInteger pkcs8(byte[] der) {
        try {
            var key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (key.getParams().getCurve().getField().getFieldSize() != 256
                    || !key.getParams().getOrder().equals(P256.spec().getOrder())) {
                throw new IllegalArgumentException("the key is not on P-256 (prime256v1)");
            }
            return key.getS();
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the PRIVATE KEY block is not a PKCS#8 EC key");
        }
    }
}
