package dev.herald.webhooks.control;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Herald-Signature header, Stripe's scheme: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;,
 * one v1 per secret (several while a secret is rotated), so a receiver that knows any one of them
 * can check the body and the time it was signed at. The secrets themselves never leave this class.
 */
public final class Signature {

    public static final String HEADER = "Herald-Signature";

    private Signature() {
    }

    public static String header(List<String> secrets, long epochSeconds, String body) {
        var header = new StringBuilder("t=").append(epochSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(v1(secret, epochSeconds, body));
        }
        return header.toString();
    }

    /** hex(HMAC-SHA256(secret, t + "." + body)), over the UTF-8 bytes. */
    static String v1(String secret, long epochSeconds, String body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
