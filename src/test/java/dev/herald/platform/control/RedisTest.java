package dev.herald.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The pool's check before use, against a redis-server of this test's own (it is restarted). */
class RedisTest {

    static long pings(RedisProcess server) {
        try (var observer = RedisClient.create(server.url())) {
            String stats = observer.info("commandstats");
            int at = stats.indexOf("cmdstat_ping:calls=");
            if (at < 0) {
                return 0;
            }
            int from = at + "cmdstat_ping:calls=".length();
            return Long.parseLong(stats.substring(from, stats.indexOf(',', from)));
        }
    }

    static Redis connect(RedisProcess server) {
        var redis = new Redis();
        redis.url = server.url();
        redis.prefix = "redis-test:";
        redis.poolSize = 4;
        redis.timeout = Duration.ofSeconds(2);
        redis.open();
        return redis;
    }

    @Test
    void aConnectionThatAnsweredAMomentAgoIsUsedWithoutAnotherPing() throws Exception {
        try (var server = RedisProcess.start()) {
            var redis = connect(server);
            try {
                redis.client().set("k", "v");
                long before = pings(server);
                for (int i = 0; i < 50; i++) {
                    assertThat(redis.client().get("k")).isEqualTo("v");
                }
                assertThat(pings(server) - before).as("50 commands, one right after the other").isZero();
            } finally {
                redis.close();
            }
        }
    }

    @Test
    void aConnectionBackInThePoolForLongerIsCheckedSoTheFirstCommandAfterARestartSucceeds() throws Exception {
        try (var server = RedisProcess.start()) {
            var redis = connect(server);
            try {
                redis.client().set("k", "v");
                server.restart(); // the pooled connection is dead now
                Thread.sleep(Redis.Connections.JUST_USED_MILLIS + 50); // a connection back for longer than a moment

                assertThat(redis.client().get("k")).as("checked, found dead, replaced: the command itself succeeds").isEqualTo("v");
            } finally {
                redis.close();
            }
        }
    }

    @Test
    void onlyAReturnWithinTheLastMomentCountsAsJustUsed() {
        assertThat(Redis.Connections.justUsed(1_000, 1_000)).isTrue();
        assertThat(Redis.Connections.justUsed(1_000, 1_000 + Redis.Connections.JUST_USED_MILLIS - 1)).isTrue();
        assertThat(Redis.Connections.justUsed(1_000, 1_000 + Redis.Connections.JUST_USED_MILLIS)).isFalse();
        assertThat(Redis.Connections.justUsed(1_000, 999)).as("the wall clock stepped back: check").isFalse();
    }
}
