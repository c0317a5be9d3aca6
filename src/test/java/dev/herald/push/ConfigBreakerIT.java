package dev.herald.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.Personality;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The configuration-error breaker end to end: one Payara Micro, real Redis (a prefix of this test's own), two push-service
 * hosts on loopback. 127.0.0.1 accepts everything; 127.0.0.2 was subscribed with another VAPID key, so every push there
 * is refused with 403. After 20 such answers the job sends nothing more to 127.0.0.2, while every push to 127.0.0.1 goes
 * out, and the instance logs one SEVERE line saying what to fix.
 */
class ConfigBreakerIT {

    static final int EACH = 60;
    static final int MAX_IN_FLIGHT = 4;
    final String prefix = TestRedis.PREFIX + "breaker-" + UUID.randomUUID() + ":";

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
    }

    @Test
    void theBreakerStopsOneHostAtTwentyConfigurationErrorsWhileTheOtherHostGetsEveryPush() throws Exception {
        var settings = Cluster.settings(TestRedis.URL, prefix);
        settings.put("herald.push.allowed-hosts", "127.0.0.1,127.0.0.2");
        // few in flight, so that the answers that trip the breaker come before most pushes leave
        settings.put("herald.delivery.max-in-flight", String.valueOf(MAX_IN_FLIGHT));
        try (var micro = MicroProcess.start(settings, MicroProcess.freePort(), Duration.ofMinutes(3))) {
            var api = new Api(micro.uri("/")).authorized();
            String publicKey = api.get("api/subscribe").json().getString("public_key");
            try (var good = PushServiceStub.start(publicKey, Personality.GENERIC, "127.0.0.1");
                    var wrongKey = PushServiceStub.start("BAnotherApplicationServerKey", Personality.GENERIC, "127.0.0.2")) {
                IntStream.range(0, EACH).forEach(i -> {
                    assertThat(api.post("api/subscribe", good.subscriber("good-" + i).json()).status()).isEqualTo(201);
                    assertThat(api.post("api/subscribe", wrongKey.subscriber("bad-" + i).json()).status()).isEqualTo(201);
                });

                var reply = api.send(api.request("api/notify").header("Content-Type", "application/json").header("Prefer", "wait=40")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"breaker\"}")).build());

                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                var report = reply.json();
                assertThat(report.getString("state")).as(report.toString()).isEqualTo("done");
                assertThat(good.totalDeliveries()).as("every push to the other host went out").isEqualTo(EACH);
                assertThat(report.getInt("sent")).isEqualTo(EACH);
                int refused = wrongKey.rejections().size();
                assertThat(refused).as("20, and at most the pushes in flight when it tripped")
                        .isBetween(20, 20 + MAX_IN_FLIGHT - 1);
                assertThat(report.getInt("failed")).isEqualTo(EACH);
                assertThat(report.getJsonObject("failures").getInt("HTTP 403")).isEqualTo(refused);
                assertThat(report.getJsonObject("failures").getInt("127.0.0.2: sending stopped after repeated configuration errors"))
                        .isEqualTo(EACH - refused);
                assertThat(report.getInt("removed")).as("a configuration error prunes nothing").isZero();
                assertThat(TestRedis.client().hget(prefix + "notification:" + report.getString("id") + ":config_errors", "127.0.0.2"))
                        .isEqualTo(String.valueOf(refused));

                String log = micro.log();
                var severe = log.lines().filter(line -> line.contains("sending to 127.0.0.2 stopped after 20 configuration errors")).toList();
                assertThat(severe).as(log.lines().filter(line -> line.contains("stopped after")).toList().toString()).hasSize(1);
                int at = log.indexOf("sending to 127.0.0.2 stopped after 20 configuration errors");
                assertThat(log.substring(Math.max(0, at - 400), at)).as("logged as SEVERE").contains("SEVERE");
                assertThat(log.lines().filter(line -> line.contains("VAPID setup is probably wrong: 127.0.0.2")).count())
                        .as("one warning per job and host").isEqualTo(1);
                assertThat(severe.get(0)).contains("To fix: check the VAPID key pair").doesNotContain(publicKey);
            }
        }
    }
}
