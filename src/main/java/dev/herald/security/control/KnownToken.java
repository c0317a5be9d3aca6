package dev.herald.security.control;

import dev.herald.security.entity.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One accepted API token: its scope and the SHA-256 digest of the token (never the token itself,
 * so neither toString nor a heap dump shows it). Error messages never carry a token either.
 */
record KnownToken(Scope scope, byte[] digest) {

    static final int MIN_LENGTH = 16;

    /**
     * An entry of herald.api.tokens. Only a leading "send:" or "admin:" is a scope; anything else,
     * other colons included, is the token as given, and admin (as before scopes existed).
     */
    static KnownToken of(String entry) {
        Optional<Scope> prefix = Scope.prefixOf(entry);
        String token = prefix.map(scope -> entry.substring(scope.prefix().length()).trim()).orElse(entry);
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException("herald.api.tokens: every token must have at least " + MIN_LENGTH
                    + " characters after its send: or admin: prefix (e.g. openssl rand -base64 32); one has " + token.length() + ".");
        }
        return new KnownToken(prefix.orElse(Scope.ADMIN), sha256(token));
    }

    /** The entries in order; the same token twice is kept once, with two scopes it stops start-up (whichever won would surprise someone). */
    static List<KnownToken> parse(List<String> entries) {
        var known = new ArrayList<KnownToken>();
        for (String entry : entries) {
            var token = of(entry);
            var same = known.stream().filter(k -> MessageDigest.isEqual(k.digest(), token.digest())).findFirst();
            if (same.isEmpty()) {
                known.add(token);
            } else if (same.get().scope() != token.scope()) {
                throw new IllegalStateException("herald.api.tokens: one token is listed both as send and as admin; "
                        + "list it once, with the scope it should have.");
            }
        }
        return List.copyOf(known);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
