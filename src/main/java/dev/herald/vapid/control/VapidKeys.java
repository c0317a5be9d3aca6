package dev.herald.vapid.control;

import dev.herald.encryption.control.P256;
import dev.herald.platform.control.CommaList;
import dev.herald.platform.control.Redis;
import dev.herald.vapid.entity.VapidKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The VAPID keyring (RFC 8292): the current key, which new subscriptions are made with and the page
 * hands out, and previous keys, kept only to sign pushes to the subscriptions made with them.
 * Configuration wins over Redis: with herald.vapid.private-key(-file) that key is current and
 * herald.vapid.previous-private-keys(-files) are previous; else the current key is the one in Redis
 * (generated with SET NX, so every instance sharing the Redis has the same one) and POST
 * /api/vapid/rotate makes a new one. Keys in Redis are always part of the ring. Each instance re-reads
 * the Redis part every REFRESH, so a rotation on one instance reaches all. Configured keys are loaded
 * at start-up: a bad one stops the deployment, naming its setting, instead of the first push.
 */
@ApplicationScoped
public class VapidKeys {

    static final Logger LOG = Logger.getLogger(VapidKeys.class.getName());
    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long UNKNOWN_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    record Ring(VapidKey current, Map<String, VapidKey> keys, long readNanos) {
    }

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
    @ConfigProperty(name = "herald.vapid.previous-private-keys")
    Optional<String> configuredPrevious = Optional.empty();

    @Inject
    @ConfigProperty(name = "herald.vapid.previous-private-keys-files")
    Optional<String> configuredPreviousFiles = Optional.empty();

    @Inject
    VapidSubject subject;

    @Inject
    Redis redis;

    /** Configured keys, the current one (when configured) first. */
    List<VapidKey> configured;
    boolean configuredCurrent;
    volatile Ring ring;
    String source;
    StoredKeys stored;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        subject.value();
        load();
    }

    synchronized void load() {
        if (ring != null) {
            return;
        }
        configured = readConfigured();
        ring = read();
        checkConfiguredPublicKey(ring.current());
        LOG.info(() -> "VAPID key from " + source + "; public key " + ring.current().publicKey() + ", fingerprint "
                + ring.current().fingerprint() + (ring.keys().size() > 1 ? "; " + (ring.keys().size() - 1) + " previous key(s)" : ""));
    }

    Ring ring() {
        Ring r = ring;
        if (r == null) {
            load();
            return ring;
        }
        if (redis != null && System.nanoTime() - r.readNanos() > REFRESH_NANOS) {
            return refreshOlderThan(REFRESH_NANOS);
        }
        return r;
    }

    /** Reads the ring again unless another thread just did (a stale ring is seen by every sender thread at once). */
    synchronized Ring refreshOlderThan(long nanos) {
        return System.nanoTime() - ring.readNanos() > nanos ? refresh() : ring;
    }

    synchronized Ring refresh() {
        try {
            ring = read();
        } catch (JedisException e) {
            // Redis is away: keep signing with what we have, and ask again at the next refresh
            ring = new Ring(ring.current(), ring.keys(), System.nanoTime());
        }
        return ring;
    }

    List<VapidKey> readConfigured() {
        var keys = new ArrayList<VapidKey>();
        Optional<String> inline = configuredKey.filter(k -> !k.isBlank());
        Optional<String> file = configuredFile.filter(f -> !f.isBlank());
        if (inline.isPresent() && file.isPresent()) {
            throw new IllegalStateException("Both herald.vapid.private-key and herald.vapid.private-key-file are set; keep one.");
        }
        inline.ifPresent(text -> keys.add(configuredKey(parse(text, "herald.vapid.private-key"))));
        file.ifPresent(path -> keys.add(configuredKey(parse(readFile(path, "herald.vapid.private-key-file"),
                "herald.vapid.private-key-file (" + path + ")"))));
        configuredCurrent = !keys.isEmpty();
        source = inline.isPresent() ? "herald.vapid.private-key" : file.map(path -> "file " + path).orElse(null);
        List<String> previous = CommaList.of(configuredPrevious);
        for (int i = 0; i < previous.size(); i++) {
            keys.add(configuredKey(parse(previous.get(i), "herald.vapid.previous-private-keys (key " + (i + 1) + " of " + previous.size() + ")")));
        }
        for (String path : CommaList.of(configuredPreviousFiles)) {
            keys.add(configuredKey(parse(readFile(path, "herald.vapid.previous-private-keys-files"),
                    "herald.vapid.previous-private-keys-files (" + path + ")")));
        }
        return keys;
    }

    static String readFile(String path, String setting) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(setting + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    static VapidKey configuredKey(BigInteger d) {
        return key(d, null, true);
    }

    static VapidKey key(BigInteger d, Instant created, boolean configured) {
        String publicKey = P256.base64Url(P256.publicFromPrivate(d));
        return new VapidKey(fingerprint(publicKey), P256.privateKey(d), publicKey, created, configured);
    }

    /** base64url SHA-256 of the raw (65-byte uncompressed) public key. */
    public static String fingerprint(String publicKeyBase64Url) {
        try {
            return P256.base64Url(MessageDigest.getInstance("SHA-256").digest(P256.fromBase64Url(publicKeyBase64Url)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ring from the configured keys and what Redis holds now. */
    Ring read() {
        var keys = new LinkedHashMap<String, VapidKey>();
        configured.forEach(k -> keys.putIfAbsent(k.fingerprint(), k));
        VapidKey current = configuredCurrent ? configured.get(0) : null;
        if (redis != null) {
            if (stored == null) {
                stored = new StoredKeys(redis);
            }
            VapidKey inRedis = stored.read(keys, !configuredCurrent);
            if (current == null) {
                current = inRedis;
                source = stored.source;
            }
        }
        if (current == null) {
            throw new IllegalStateException("no VAPID key: none configured and no Redis to keep one in");
        }
        var ordered = new LinkedHashMap<String, VapidKey>();
        ordered.put(current.fingerprint(), current);
        keys.forEach(ordered::putIfAbsent);
        return new Ring(current, java.util.Collections.unmodifiableMap(ordered), System.nanoTime());
    }

    void checkConfiguredPublicKey(VapidKey current) {
        configuredPublicKey.filter(k -> !k.isBlank()).ifPresent(expected -> {
            byte[] given;
            try {
                given = P256.fromBase64Url(expected);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("herald.vapid.public-key is not base64url.");
            }
            if (!Arrays.equals(given, P256.fromBase64Url(current.publicKey()))) {
                throw new IllegalStateException("herald.vapid.public-key does not match the "
                        + (configuredCurrent ? "configured private key" : "private key kept in Redis") + ". "
                        + "Remove herald.vapid.public-key or give the public key of that private key: " + current.publicKey());
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

    /** The key new subscriptions are made with. */
    public VapidKey current() {
        return ring().current();
    }

    /** Every key, the current one first. */
    public List<VapidKey> all() {
        return List.copyOf(ring().keys().values());
    }

    /** The key of that fingerprint (null: the current one), read again from Redis once when this instance does not know it yet. */
    public Optional<VapidKey> find(String fingerprint) {
        if (fingerprint == null) {
            return Optional.of(current());
        }
        VapidKey key = ring().keys().get(fingerprint);
        if (key == null && redis != null) {
            // a key rotated in on another instance; at most one read a second for a fingerprint nobody has
            key = refreshOlderThan(UNKNOWN_REFRESH_NANOS).keys().get(fingerprint);
        }
        return Optional.ofNullable(key);
    }

    /** Whether the current key comes from the configuration (then only the configuration rotates it). */
    public boolean currentConfigured() {
        ring();
        return configuredCurrent;
    }

    /** A new current key in Redis; the one it replaces becomes a previous key. */
    public VapidKey rotate() {
        if (currentConfigured()) {
            throw new ClientErrorException("The current VAPID key is configured (" + source + "), and configuration wins over Redis: "
                    + "rotate by setting the new key there and listing the old one in herald.vapid.previous-private-keys "
                    + "(or -files). README \"VAPID keys\".", Response.Status.CONFLICT);
        }
        if (!stored.rotate()) {
            refresh();
            throw new ClientErrorException("Another rotation changed the current VAPID key meanwhile; it is now "
                    + current().fingerprint() + ". Nothing was changed.", Response.Status.CONFLICT);
        }
        Ring r = refresh();
        LOG.info(() -> "VAPID key rotated: the current key is now " + r.current().fingerprint() + " (public key " + r.current().publicKey() + ")");
        return r.current();
    }

    /** Checks that the key may go: it exists, is not current, and is not configured. */
    public VapidKey removable(String fingerprint) {
        VapidKey key = find(fingerprint).orElseThrow(() -> new NotFoundException("No VAPID key has the fingerprint " + fingerprint
                + " (GET /api/vapid/keys lists them)."));
        if (key.fingerprint().equals(current().fingerprint())) {
            throw new ClientErrorException("The key " + fingerprint + " is the current one, which new subscriptions are made with; "
                    + "rotate first (POST /api/vapid/rotate), then remove it.", Response.Status.CONFLICT);
        }
        if (key.configured()) {
            throw new ClientErrorException("The key " + fingerprint + " is configured: remove it from herald.vapid.previous-private-keys "
                    + "(or -files) and restart.", Response.Status.CONFLICT);
        }
        return key;
    }

    /** Removes a previous key kept in Redis (removable() first). */
    public void remove(String fingerprint) {
        removable(fingerprint);
        stored.remove(fingerprint);
        refresh();
        LOG.info(() -> "VAPID key " + fingerprint + " removed");
    }

    public ECPrivateKey privateKey() {
        return current().privateKey();
    }

    public ECPublicKey publicKey() {
        return P256.publicKey(P256.fromBase64Url(current().publicKey()));
    }

    /** base64url of the current 65-byte uncompressed public key: the browser's applicationServerKey. */
    public String publicKeyBase64Url() {
        return current().publicKey();
    }

    public String subject() {
        return subject.value();
    }

    @Override
    public String toString() {
        Ring r = ring;
        return "VapidKeys[public=" + (r == null ? "not loaded" : r.current().publicKey()) + "]";
    }
}
