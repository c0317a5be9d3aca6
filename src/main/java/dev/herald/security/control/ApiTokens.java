package dev.herald.security.control;

import dev.herald.platform.control.CommaList;
import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.SetParams;

/**
 * The API tokens that may send notifications: herald.api.tokens (several, for rotation), or
 * else one generated at first start and kept in Redis with SET NX so every instance and every
 * restart shares it. Only SHA-256 digests are held, and compared in constant time.
 */
@ApplicationScoped
public class ApiTokens {

    static final Logger LOG = Logger.getLogger(ApiTokens.class.getName());
    static final int MIN_LENGTH = 16;

    @Inject
    @ConfigProperty(name = "herald.api.tokens")
    Optional<String> configured;

    @Inject
    Redis redis;

    volatile List<byte[]> digests;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        load();
    }

    synchronized void load() {
        if (digests != null) {
            return;
        }
        List<String> tokens = CommaList.of(configured);
        tokens.stream().filter(t -> t.length() < MIN_LENGTH).findAny().ifPresent(weak -> {
            throw new IllegalStateException("herald.api.tokens: every token must have at least " + MIN_LENGTH
                    + " characters (e.g. openssl rand -base64 32); one has " + weak.length() + ".");
        });
        if (tokens.isEmpty()) {
            tokens = List.of(fromRedis());
        } else {
            int count = tokens.size();
            LOG.info(() -> "API tokens: " + count + " from herald.api.tokens");
        }
        digests = tokens.stream().map(ApiTokens::sha256).toList();
    }

    String fromRedis() {
        String key = redis.key("api:token");
        String generated = generate();
        if ("OK".equals(redis.client().set(key, generated, new SetParams().nx()))) {
            // the one log line that carries a secret: the operator needs the token to send
            LOG.warning("API token (generated now and stored in Redis at " + key + "; send it as 'Authorization: Bearer <token>'; "
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

    public boolean accepts(String presented) {
        load();
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
