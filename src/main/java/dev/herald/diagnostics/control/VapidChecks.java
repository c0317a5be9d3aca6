package dev.herald.diagnostics.control;

import dev.herald.platform.control.JsonBody;
import dev.herald.diagnostics.entity.Check;
import dev.herald.encryption.control.P256;
import dev.herald.vapid.entity.VapidKey;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The doctor's checks of the VAPID setup (RFC 8292), each from what it is given. */
final class VapidChecks {

    static final Duration MAX_JWT_LIFETIME = Duration.ofHours(24);
    static final Pattern TOKEN = Pattern.compile("vapid t=([^,\\s]+)");

    private VapidChecks() {
    }

    /** A contact the push services accept: Apple refuses localhost and example.com subjects. */
    static Check subject(String subject) {
        String name = "vapid.subject";
        String fix = "Set herald.vapid.subject (HERALD_VAPID_SUBJECT) to a mailto: address or https: URL where push services "
                + "can reach you, e.g. mailto:push-admin@your-domain.";
        String host;
        try {
            URI uri = new URI(subject.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ("mailto".equals(scheme)) {
                String address = uri.getSchemeSpecificPart();
                host = address.substring(address.lastIndexOf('@') + 1);
            } else if ("https".equals(scheme) && uri.getHost() != null) {
                host = uri.getHost();
            } else {
                return Check.fail(name, "herald.vapid.subject is " + subject + ", neither mailto: nor https:. " + fix, fix);
            }
        } catch (URISyntaxException | StringIndexOutOfBoundsException e) {
            return Check.fail(name, "herald.vapid.subject is " + subject + ", not a URI. " + fix, fix);
        }
        String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (placeholder(h)) {
            return Check.warn(name, "herald.vapid.subject is " + subject + ": Apple's push service refuses a subject at "
                    + h + " (403 BadJwtToken), so Safari subscribers get nothing. " + fix, fix);
        }
        return Check.ok(name, "herald.vapid.subject is " + subject + ".");
    }

    static boolean placeholder(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.matches("(.+\\.)?example\\.(com|org|net)") || host.endsWith(".example") || host.endsWith(".test")
                || host.endsWith(".invalid");
    }

    /** Each key's private half signs what its public half, the one handed out, verifies. */
    static Check keyPair(List<VapidKey> keys, String handedOut) {
        String name = "vapid.key-pair";
        String fix = "Set herald.vapid.private-key and herald.vapid.public-key from one key pair (or unset the public key: "
                + "Herald derives it).";
        if (keys.isEmpty() || !keys.get(0).publicKey().equals(handedOut)) {
            return Check.fail(name, "GET /api/subscribe hands out " + handedOut + ", which is not the current key's public key.", fix);
        }
        for (VapidKey key : keys) {
            if (!signs(key)) {
                return Check.fail(name, "The private key of " + key.fingerprint() + " does not match its public key " + key.publicKey()
                        + ": every push signed with it is refused.", fix);
            }
        }
        return Check.ok(name, "The private key matches the public key handed out (" + handedOut + ")"
                + (keys.size() > 1 ? ", and each of the " + (keys.size() - 1) + " previous keys matches its own." : "."));
    }

    static boolean signs(VapidKey key) {
        try {
            byte[] probe = "herald vapid doctor".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.privateKey());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(P256.publicKey(P256.fromBase64Url(key.publicKey())));
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 8292 section 2: exp at most 24 hours after the request; read from a token as Herald makes them. */
    static Check jwtExpiry(String authorization, Instant now) {
        String name = "vapid.jwt-exp";
        Matcher matcher = TOKEN.matcher(authorization);
        if (!matcher.find() || matcher.group(1).split("\\.").length != 3) {
            return Check.fail(name, "Herald's Authorization header is not 'vapid t=<JWT>, k=<key>'.", "Report this as a bug.");
        }
        String claims = new String(Base64.getUrlDecoder().decode(matcher.group(1).split("\\.")[1]), StandardCharsets.UTF_8);
        long exp;
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(claims))) {
            exp = reader.readObject().getJsonNumber("exp").longValueExact();
        }
        Duration lifetime = Duration.ofSeconds(exp - now.getEpochSecond());
        if (lifetime.compareTo(MAX_JWT_LIFETIME) > 0 || lifetime.isNegative()) {
            return Check.fail(name, "A VAPID JWT made now expires in " + lifetime + "; push services refuse more than 24 hours "
                    + "(or a past exp).", "Check the machine's clock; report this as a bug if it is right.");
        }
        return Check.ok(name, "A VAPID JWT made now expires in " + lifetime.toHours() + " h (at most 24 h).");
    }
}
