package dev.herald.encryption.control;

/**
 * The application server's key pair for one message (RFC 8291 section 3.1) and its ECDH with the user
 * agent's public key. Made by EphemeralKeys, used for exactly one message, never stored or logged.
 */
interface Ephemeral {

    /** The uncompressed public key (65 bytes), sent as the keyid of the message's header. */
    byte[] publicKey();

    /**
     * ECDH: the x coordinate of d * ua_public (32 bytes).
     *
     * @throws PayloadEncryption.UnusableKeys when uaPublic is not a point on P-256 (no invalid-curve attack)
     */
    byte[] agree(byte[] uaPublic);
}
