package dev.herald.security.control;

import dev.herald.platform.control.CommaList;
import dev.herald.platform.control.Redis;
import dev.herald.security.entity.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.SetParams;

/**
 * The API tokens and their scopes: herald.api.tokens (several, for rotation; each entry may start
 * with "send:" or "admin:", none is admin), or else one admin token generated at first start and
 * kept in Redis with SET NX so every instance and every restart shares it. Only SHA-256 digests
 * are held, and compared in constant time.
 */
@ApplicationScoped
public class ApiTokens {

    static final Logger LOG = Logger.getLogger(ApiTokens.class.getName());

    @Inject
    @ConfigProperty(name = "herald.api.tokens")
    Optional<String> configured;

    @Inject
    Redis redis;

    volatile List<KnownToken> known;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        load();
    }

    synchronized void load() {
        if (known != null) {
            return;
        }
        List<String> entries = CommaList.of(configured);
        if (entries.isEmpty()) {
            known = List.of(new KnownToken(Scope.ADMIN, KnownToken.sha256(fromRedis())));
            return;
        }
        known = KnownToken.parse(entries);
        LOG.info(() -> "API tokens from herald.api.tokens: " + count(Scope.SEND) + " send, " + count(Scope.ADMIN) + " admin");
    }

    long count(Scope scope) {
        return known.stream().filter(k -> k.scope() == scope).count();
    }

    String fromRedis() {
        String key = redis.key("api:token");
        String generated = generate();
        if ("OK".equals(redis.client().set(key, generated, new SetParams().nx()))) {
            // the one log line that carries a secret: the operator needs the (admin) token to send
            LOG.warning("API token (generated now and stored in Redis at " + key + "; admin scope; send it as 'Authorization: Bearer <token>'; "
                    + "set HERALD_API_TOKENS to use your own): " + generated);
            return generated;
        }
        LOG.info(() -> "API token: the one generated at first start, stored in Redis at " + key
                + " (redis-cli GET " + key + "); set HERALD_API_TOKENS to use your own.");
        String stored = redis.client().get(key);
        if (stored == null || stored.isBlank()) {
            throw new IllegalStateException("The API token in Redis at " + key + " vanished; restart to generate a new one.");
        }
        return stored;
    }

    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The scope of the presented token, or empty when it is not one of ours. */
    public Optional<Scope> scopeOf(String presented) {
        load();
        byte[] digest = KnownToken.sha256(presented);
        Scope match = null;
        for (KnownToken token : known) {
            if (MessageDigest.isEqual(token.digest(), digest)) {
                match = token.scope();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Whether the one token is the admin token generated at first start (none is configured). */
    public boolean generated() {
        return CommaList.of(configured).isEmpty();
    }

    /** Whether the presented token is one of ours, whatever its scope. */
    public boolean accepts(String presented) {
        return scopeOf(presented).isPresent();
    }
}
