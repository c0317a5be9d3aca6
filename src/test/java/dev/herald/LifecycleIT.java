package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** Start-up, restart and Redis outages, each on its own Payara Micro process and key prefix. */
class LifecycleIT {

    static final Duration START = Duration.ofMinutes(3);
    final String prefix = TestRedis.PREFIX + "lifecycle-" + UUID.randomUUID() + ":";

    @AfterEach
    void cleanUp() {
        TestRedis.deleteAll(prefix);
    }

    Map<String, String> settings(String redisUrl) {
        var settings = new HashMap<String, String>();
        settings.put("herald.redis.url", redisUrl);
        settings.put("herald.redis.prefix", prefix);
        return settings;
    }

    @Test
    void restartKeepsTheGeneratedKeyAndTheSubscriptions() throws Exception {
        String key;
        String id;
        var subscriber = TestSubscriber.create();
        try (var micro = MicroProcess.start(settings(TestRedis.URL), MicroProcess.freePort(), START)) {
            var api = new Api(micro.uri("/"));
            key = api.get("api/subscribe").json().getString("public_key");
            id = api.post("api/subscribe", subscriber.json()).json().getString("id");
        }
        try (var micro = MicroProcess.start(settings(TestRedis.URL), MicroProcess.freePort(), START)) {
            var api = new Api(micro.uri("/"));
            assertThat(api.get("api/subscribe").json().getString("public_key")).isEqualTo(key);
            var stored = api.get("api/subscriptions/" + id);
            assertThat(stored.status()).isEqualTo(200);
            assertThat(stored.json().getString("endpoint")).isEqualTo(subscriber.endpoint());
            assertThat(api.post("api/subscribe", subscriber.json()).json().getString("id")).isEqualTo(id);
        }
    }

    @Test
    void redisOutageIsA503AndTheFirstRequestAfterItsRestartSucceeds() throws Exception {
        int port = MicroProcess.freePort();
        RedisServer redis = embeddedRedis(port);
        redis.start();
        try (var micro = MicroProcess.start(settings("redis://127.0.0.1:" + port), MicroProcess.freePort(), START)) {
            var api = new Api(micro.uri("/"));
            assertThat(api.post("api/subscribe", TestSubscriber.create().json()).status()).isEqualTo(201);

            redis.stop();
            var during = api.post("api/subscribe", TestSubscriber.create().json());
            assertThat(during.status()).isEqualTo(503);
            assertThat(during.contentType()).startsWith("application/problem+json");
            assertThat(during.json().getString("detail")).contains("Redis").contains("nothing was changed");

            redis = embeddedRedis(port);
            redis.start();
            var after = api.post("api/subscribe", TestSubscriber.create().json());
            assertThat(after.status()).isEqualTo(201);
        } finally {
            redis.stop();
        }
    }

    @Test
    void configuredPemKeyIsServedAndNeverLogged(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        Path pem = folder.resolve("vapid.pem");
        String body = Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded());
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        var settings = settings(TestRedis.URL);
        settings.put("herald.vapid.private-key-file", pem.toString());
        settings.put("herald.vapid.subject", "https://herald.example/contact");

        try (var micro = MicroProcess.start(settings, MicroProcess.freePort(), START)) {
            String served = new Api(micro.uri("/")).get("api/subscribe").json().getString("public_key");
            assertThat(served).isEqualTo(TestSubscriber.b64(TestSubscriber.uncompressed((ECPublicKey) pair.getPublic())));
            String d = TestSubscriber.b64(fixed32(((ECPrivateKey) pair.getPrivate()).getS()));
            assertThat(micro.tail()).contains(served).doesNotContain(d).doesNotContain(body.substring(0, 40));
            assertThat(TestRedis.client().exists(prefix + "vapid:private-key")).isFalse();
        }
    }

    @Test
    void mismatchedPublicKeyStopsTheDeploymentWithAClearMessage() throws Exception {
        var settings = settings(TestRedis.URL);
        settings.put("herald.vapid.private-key", TestSubscriber.b64(fixed32(BigInteger.valueOf(123456789))));
        settings.put("herald.vapid.public-key", TestSubscriber.create().p256dh());

        String log = MicroProcess.runUntilExitOrReady(settings, START);

        assertThat(log).contains("herald.vapid.public-key does not match the configured private key");
        assertThat(log).doesNotContain("REST Endpoints");
    }

    static RedisServer embeddedRedis(int port) throws java.io.IOException {
        return RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").build();
    }

    static byte[] fixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int start = Math.max(0, raw.length - 32);
        System.arraycopy(raw, start, out, 32 - (raw.length - start), raw.length - start);
        return out;
    }
}
