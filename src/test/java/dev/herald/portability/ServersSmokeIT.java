package dev.herald.portability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same end-to-end smoke test on Payara Micro, WildFly and TomEE, each serving the WAR
 * this build produced (./mvnw -Pservers verify; README "Deploy"). Every server gets its own
 * Redis key prefix under the run's prefix and it is deleted afterwards.
 */
class ServersSmokeIT {

    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void payaraMicro() throws Exception {
        smoke(new PayaraMicroServer());
    }

    @Test
    void wildFly() throws Exception {
        smoke(new WildFlyServer());
    }

    @Test
    void tomEE() throws Exception {
        smoke(new TomEEServer());
    }

    void smoke(AppServer server) throws Exception {
        String prefix = TestRedis.PREFIX + server.name() + ":";
        long begin = System.nanoTime();
        long started = begin;
        long tested = begin;
        try (server) {
            server.start(config(prefix), START_TIMEOUT);
            started = System.nanoTime();
            scenario(server, new Api(server.base()), prefix);
            tested = System.nanoTime();
        } finally {
            TestRedis.deleteAll(prefix);
            long end = System.nanoTime();
            System.out.printf("[smoke] %-12s %s: start+deploy %5.1f s, scenario %5.1f s, stop %5.1f s, total %5.1f s%n",
                    server.name(), tested > begin ? "passed" : "FAILED", (started - begin) / 1e9,
                    (Math.max(tested, started) - started) / 1e9, (end - Math.max(tested, started)) / 1e9, (end - begin) / 1e9);
        }
    }

    static Map<String, String> config(String prefix) {
        var config = new TreeMap<String, String>();
        config.put("herald.redis.url", TestRedis.URL);
        config.put("herald.redis.prefix", prefix);
        config.put("herald.push.allow-insecure", "true");
        config.put("herald.push.allowed-hosts", "127.0.0.1");
        return config;
    }

    void scenario(AppServer server, Api api, String prefix) {
        var key = api.get("api/subscribe");
        assertThat(key.status()).isEqualTo(200);
        assertThat(Base64.getUrlDecoder().decode(key.json().getString("public_key"))).hasSize(65);

        var ready = api.send(api.request(server.readiness().toString()).GET().build());
        assertThat(ready.status()).as("MP Health readiness: " + ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\"").doesNotContain("DOWN");
        var health = api.get("api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");

        assertThat(api.get("api/openapi.yaml").body()).contains("/api/subscribe:");
        // an Accept header: TomEE 9.0.0's /openapi answers 500 (NullPointerException) to a request without one
        var mpOpenApi = api.send(api.request("openapi").header("Accept", "application/yaml").GET().build());
        assertThat(mpOpenApi.status()).as("MP OpenAPI at /openapi").isEqualTo(200);
        assertThat(mpOpenApi.body()).contains("/api/subscribe");

        var before = TestRedis.snapshot(prefix);
        var subscriber = TestSubscriber.create("http://127.0.0.1:9/push/");
        var subscribed = api.post("api/subscribe", subscriber.json());
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
        String id = subscribed.json().getString("id");
        assertThat(TestRedis.client().exists(prefix + "subscription:" + id)).isTrue();

        var unsubscribed = api.post("api/unsubscribe", "{\"client_uuid\":\"" + id + "\"}");
        assertThat(unsubscribed.status()).isEqualTo(200);
        assertThat(TestRedis.snapshot(prefix)).isEqualTo(before);
    }
}
