package dev.herald.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser's side of RFC 8291 (aes128gcm, RFC 8188), written with the JDK only, so that it
 * checks the application's encryption independently of web-push and BouncyCastle.
 */
public final class Rfc8291Decryptor {

    /** What the body's RFC 8188 header said, and the decrypted plaintext. */
    public record Message(byte[] salt, int recordSize, byte[] senderPublicKey, byte[] plaintext) {

        public String text() {
            return new String(plaintext, StandardCharsets.UTF_8);
        }
    }

    private Rfc8291Decryptor() {
    }

    public static Message decrypt(byte[] body, TestSubscriber subscriber) throws GeneralSecurityException {
        return decrypt(body, (ECPrivateKey) subscriber.keys().getPrivate(),
                TestSubscriber.uncompressed((ECPublicKey) subscriber.keys().getPublic()), subscriber.auth());
    }

    /**
     * @throws GeneralSecurityException when the body is malformed or does not authenticate
     */
    public static Message decrypt(byte[] body, ECPrivateKey uaPrivate, byte[] uaPublic, byte[] authSecret)
            throws GeneralSecurityException {
        // RFC 8188 section 2.1: salt(16) | rs(4) | idlen(1) | keyid(idlen)
        if (body.length < 21) {
            throw new GeneralSecurityException("body of " + body.length + " bytes is shorter than an aes128gcm header");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        long recordSize = Integer.toUnsignedLong(in.getInt());
        int idLength = Byte.toUnsignedInt(in.get());
        if (idLength != 65) {
            throw new GeneralSecurityException("keyid must be the sender's 65-byte public key (RFC 8291 section 4), idlen is " + idLength);
        }
        if (in.remaining() < idLength + 17) {
            throw new GeneralSecurityException("body too short for the keyid and one record");
        }
        byte[] asPublic = new byte[idLength];
        in.get(asPublic);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        if (recordSize < 18 || ciphertext.length > recordSize) {
            throw new GeneralSecurityException("one record of " + ciphertext.length + " bytes does not fit record size " + recordSize
                    + " (RFC 8291 section 4: a push message is one record)");
        }

        // RFC 8291 section 3.1/3.3: ECDH, then combine with the auth secret
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(uaPrivate);
        agreement.doPhase(publicKey(asPublic, uaPrivate), true);
        byte[] ecdhSecret = agreement.generateSecret();
        byte[] prkKey = hmac(authSecret, ecdhSecret);
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
        byte[] ikm = hmac(prkKey, concat(keyInfo, new byte[]{1}));
        // RFC 8291 section 3.4 / RFC 8188 section 2.2 and 2.3
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[]{1})), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[]{1})), 12);

        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = aes.doFinal(ciphertext);
        // RFC 8188 section 2: data | delimiter | zero padding; 0x02 marks the last record
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new GeneralSecurityException("no 0x02 padding delimiter of a last record (RFC 8188 section 2)");
        }
        return new Message(salt, (int) recordSize, asPublic, Arrays.copyOf(padded, end));
    }

    static ECPublicKey publicKey(byte[] uncompressed, ECPrivateKey sameCurve) throws GeneralSecurityException {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new GeneralSecurityException("sender key is not an uncompressed P-256 point");
        }
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, sameCurve.getParams()));
    }

    static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
