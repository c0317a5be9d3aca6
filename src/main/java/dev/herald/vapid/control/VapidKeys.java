package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
import dev.herald.platform.control.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.SetParams;

/**
 * The application server's VAPID key pair (RFC 8292). First source that exists wins:
 * configured key, key stored in Redis, or a new key stored with SET NX so that every
 * instance sharing the Redis ends up with the same one. Loaded at start-up so that a
 * bad configuration stops the deployment instead of the first push.
 */
@ApplicationScoped
public class VapidKeys {

    static final Logger LOG = Logger.getLogger(VapidKeys.class.getName());

    @Inject
    @ConfigProperty(name = "herald.vapid.private-key")
    Optional<String> configuredKey;

    @Inject
    @ConfigProperty(name = "herald.vapid.private-key-file")
    Optional<String> configuredFile;

    @Inject
    @ConfigProperty(name = "herald.vapid.public-key")
    Optional<String> configuredPublicKey;

    @Inject
    VapidSubject subject;

    @Inject
    Redis redis;

    ECPrivateKey privateKey;
    ECPublicKey publicKey;
    byte[] publicKeyBytes;
    String source;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        subject.value();
        load();
    }

    synchronized void load() {
        if (privateKey != null) {
            return;
        }
        BigInteger d = configured().orElseGet(this::fromRedis);
        byte[] derived = P256.publicFromPrivate(d);
        configuredPublicKey.filter(k -> !k.isBlank()).ifPresent(expected -> {
            byte[] given;
            try {
                given = P256.fromBase64Url(expected);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("herald.vapid.public-key is not base64url.");
            }
            if (!Arrays.equals(given, derived)) {
                throw new IllegalStateException("herald.vapid.public-key does not match the configured private key. "
                        + "Remove herald.vapid.public-key or give the public key of that private key: " + P256.base64Url(derived));
            }
        });
        privateKey = P256.privateKey(d);
        publicKeyBytes = derived;
        publicKey = P256.publicKey(derived);
        LOG.info(() -> "VAPID key from " + source + "; public key " + publicKeyBase64Url());
    }

    Optional<BigInteger> configured() {
        Optional<String> inline = configuredKey.filter(k -> !k.isBlank());
        Optional<String> file = configuredFile.filter(f -> !f.isBlank());
        if (inline.isPresent() && file.isPresent()) {
            throw new IllegalStateException("Both herald.vapid.private-key and herald.vapid.private-key-file are set; keep one.");
        }
        if (inline.isPresent()) {
            source = "herald.vapid.private-key";
            return Optional.of(parse(inline.get(), source));
        }
        return file.map(path -> {
            source = "file " + path;
            try {
                return parse(Files.readString(Path.of(path)), "herald.vapid.private-key-file (" + path + ")");
            } catch (IOException e) {
                throw new IllegalStateException("herald.vapid.private-key-file: cannot read " + path + ": " + e.getMessage());
            }
        });
    }

    static BigInteger parse(String text, String where) {
        try {
            BigInteger d = PrivateKeyReader.read(text);
            P256.publicFromPrivate(d);
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not a usable P-256 private key: " + e.getMessage() + ".");
        }
    }

    BigInteger fromRedis() {
        String key = redis.key("vapid:private-key");
        boolean created = "OK".equals(redis.client().set(key, generate(), new SetParams().nx()));
        source = created ? "Redis (generated now, key " + key + ")" : "Redis (key " + key + ")";
        return parse(redis.client().get(key), "the key stored in Redis at " + key);
    }

    static String generate() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var key = (ECPrivateKey) generator.generateKeyPair().getPrivate();
            return P256.base64Url(P256.fixed32(key.getS()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECPrivateKey privateKey() {
        load();
        return privateKey;
    }

    public ECPublicKey publicKey() {
        load();
        return publicKey;
    }

    /** base64url of the 65-byte uncompressed public key: the browser's applicationServerKey. */
    public String publicKeyBase64Url() {
        load();
        return P256.base64Url(publicKeyBytes);
    }

    public String subject() {
        return subject.value();
    }

    @Override
    public String toString() {
        return "VapidKeys[public=" + (publicKeyBytes == null ? "not loaded" : P256.base64Url(publicKeyBytes)) + "]";
    }
}
