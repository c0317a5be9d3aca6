package dev.herald.health.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ListeningSockets;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.TestRedis;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Readiness follows Redis: Payara Micro (MP Health at /health) against an embedded Redis
 * of this test only, which the test stops and starts again on the same port.
 */
class ReadinessIT {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    final int redisPort = MicroProcess.freePort();
    RedisServer redis;

    @Test
    void readinessIsDownWhileRedisIsUnreachableAndRecoversByItself() throws Exception {
        startRedis();
        var settings = Map.of("herald.redis.url", "redis://127.0.0.1:" + redisPort,
                "herald.redis.prefix", TestRedis.PREFIX + "readiness:", "herald.warm-up.pushes", "3000");
        try (var micro = MicroProcess.start(settings, MicroProcess.freePort(), Duration.ofMinutes(3))) {
            var api = new Api(micro.uri("/"));
            // the deployment's warm-up holds readiness back until its pushes to its loopback sink are answered
            var ready = await(api, "health/ready", reply -> reply.status() == 200);
            assertThat(redisCheck(ready)).isEqualTo("UP");
            var warmUp = check(ready, "warm-up");
            assertThat(warmUp.getString("status")).isEqualTo("UP");
            assertThat(warmUp.getJsonObject("data").getString("phase")).as(ready.body()).isEqualTo("done");
            assertThat(number(warmUp.getJsonObject("data"), "pushes")).as("herald.warm-up.pushes").isEqualTo(3000);
            assertThat(number(warmUp.getJsonObject("data"), "took_ms")).isPositive();
            // the test runtime listens on loopback only: HTTP by the pre-boot command, and the data
            // grid Payara Micro starts despite --nohazelcast (6900, all interfaces) is stopped post-boot
            assertThat(ListeningSockets.of(micro.pid())).isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress()).as(socket.toString()).isTrue());
            var plainUp = api.get("api/health").json();
            assertThat(plainUp.getString("status")).isEqualTo("UP");
            assertThat(redisCheck(api.get("api/health"))).isEqualTo("UP");
            assertThat(check(api.get("api/health"), "warm-up").getJsonObject("data").getString("phase")).isEqualTo("done");

            redis.stop();
            var down = await(api, "health/ready", reply -> reply.status() == 503);
            assertThat(redisCheck(down)).isEqualTo("DOWN");
            var plainDown = api.get("api/health");
            assertThat(plainDown.status()).isEqualTo(503);
            assertThat(plainDown.json().getString("status")).isEqualTo("DOWN");
            assertThat(redisCheck(plainDown)).isEqualTo("DOWN");
            assertThat(check(plainDown, "warm-up").getString("status")).as("the warm-up is over, Redis alone is down").isEqualTo("UP");
            var live = api.get("health/live");
            assertThat(live.status()).as("liveness does not depend on Redis: " + live.body()).isEqualTo(200);

            startRedis();
            var up = await(api, "health/ready", reply -> reply.status() == 200);
            assertThat(redisCheck(up)).isEqualTo("UP");
            assertThat(api.get("api/health").status()).isEqualTo(200);
        }
    }

    void startRedis() throws IOException {
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
    }

    @AfterEach
    void stopRedis() throws IOException {
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    /** Payara's MP Health gives withData(String, long) as a JSON string, Herald's /api/health as a number. */
    static long number(JsonObject data, String key) {
        var value = data.get(key);
        return value instanceof jakarta.json.JsonNumber number ? number.longValueExact() : Long.parseLong(data.getString(key));
    }

    static JsonObject check(Api.Reply reply, String name) {
        return reply.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> name.equals(check.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " check in " + reply.body()));
    }

    static String redisCheck(Api.Reply reply) {
        return check(reply, "redis").getString("status");
    }

    static Api.Reply await(Api api, String path, Predicate<Api.Reply> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Api.Reply reply = api.get(path);
        while (!condition.test(reply) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            reply = api.get(path);
        }
        assertThat(condition).as("GET " + path + " within " + PATIENCE + ", last answer " + reply.status() + " " + reply.body())
                .accepts(reply);
        return reply;
    }
}
