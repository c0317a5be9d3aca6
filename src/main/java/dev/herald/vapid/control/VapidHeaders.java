package dev.herald.vapid.control;

import dev.herald.vapid.entity.VapidKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VAPID Authorization header (RFC 8292 section 3): "vapid t=&lt;JWT&gt;, k=&lt;public key&gt;".
 * One ES256 JWT per signing key and push-service origin, valid 12 hours and reused until one hour before it
 * expires: signing per message costs CPU, and push services (Apple's in particular) ask
 * senders not to mint a token per request (RFC 8292 section 5 allows reuse).
 */
@ApplicationScoped
public class VapidHeaders {

    static final Duration LIFETIME = Duration.ofHours(12);
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofHours(1);
    static final String JWT_HEADER = base64Url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
    static final int MAX_CACHED = 1024;

    record Token(String header, Instant renewAt) {
    }

    @Inject
    VapidKeys keys;

    Clock clock = Clock.systemUTC();
    final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();

    /** The Authorization header value for a message to this endpoint, signed with the current key. */
    public String authorization(URI endpoint) {
        return authorization(endpoint, null);
    }

    /**
     * The Authorization header value for a message to this endpoint, signed with the key of that fingerprint: the one
     * its subscription was made with (null, or a key no longer in the ring: the current one; the push service then
     * refuses it, which is what the key's removal meant).
     */
    public String authorization(URI endpoint, String fingerprint) {
        VapidKey key = keys.find(fingerprint).orElseGet(keys::current);
        String audience = audience(endpoint);
        String cacheKey = key.fingerprint() + " " + audience;
        Instant now = clock.instant();
        Token token = tokens.get(cacheKey);
        if (token == null || !now.isBefore(token.renewAt())) {
            if (tokens.size() >= MAX_CACHED) {
                tokens.values().removeIf(t -> !now.isBefore(t.renewAt()));
            }
            token = tokens.compute(cacheKey, (k, old) -> old != null && now.isBefore(old.renewAt()) ? old
                    : new Token(create(key, audience, now), now.plus(LIFETIME).minus(RENEW_BEFORE_EXPIRY)));
        }
        return token.header();
    }

    /** A freshly signed header, no cache (benchmarks compare it with authorization()). */
    public String create(String audience, Instant now) {
        return create(keys.current(), audience, now);
    }

    /** A freshly signed header with that key, no cache. */
    public String create(VapidKey key, String audience, Instant now) {
        String claims = "{\"aud\":" + quote(audience) + ",\"exp\":" + now.plus(LIFETIME).getEpochSecond()
                + ",\"sub\":" + quote(keys.subject()) + "}";
        String signingInput = JWT_HEADER + "." + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            // JWS ES256 (RFC 7518 section 3.4) wants r||s, 64 bytes, not DER: the P1363 format
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key.privateKey());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String jwt = signingInput + "." + base64Url(signer.sign());
            return "vapid t=" + jwt + ", k=" + key.publicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the VAPID token: " + e.getMessage(), e);
        }
    }

    /** RFC 8292 section 2: the origin of the push resource, with its port unless it is the scheme's default. */
    public static String audience(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + endpoint.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
