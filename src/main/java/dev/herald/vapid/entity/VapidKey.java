package dev.herald.vapid.entity;

import java.security.interfaces.ECPrivateKey;
import java.time.Instant;

/**
 * One VAPID key pair of the keyring. fingerprint: base64url SHA-256 of the raw 65-byte public key, the
 * name subscriptions record their key by. created: when Herald generated it (null for a configured key,
 * or one generated before Herald recorded it). configured: it comes from a setting, not from Redis.
 */
public record VapidKey(String fingerprint, ECPrivateKey privateKey, String publicKey, Instant created, boolean configured) {

    /** Never the private key. */
    @Override
    public String toString() {
        return "VapidKey[" + fingerprint + ", public " + publicKey + (configured ? ", configured" : "") + "]";
    }
}
