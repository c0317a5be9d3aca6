package dev.herald.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The pool's check before use, against a redis-server of this test's own (it is restarted), with a clock the test moves. */
class RedisTest {

    RedisProcess server;
    Redis redis;
    /** Added to the wall clock the pool's check reads. */
    final AtomicLong ahead = new AtomicLong();

    @BeforeEach
    void connect() throws Exception {
        server = RedisProcess.start();
        redis = new Redis();
        redis.url = server.url();
        redis.prefix = "redis-test:";
        redis.poolSize = 4;
        redis.timeout = Duration.ofSeconds(2);
        redis.clock = () -> System.currentTimeMillis() + ahead.get();
        redis.open();
    }

    @AfterEach
    void close() {
        redis.close();
        server.close();
    }

    long pings() {
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

    @Test
    void aConnectionThatAnsweredAMomentAgoIsUsedWithoutAnotherPing() {
        redis.client().set("k", "v");
        long before = pings();
        for (int i = 0; i < 50; i++) {
            assertThat(redis.client().get("k")).isEqualTo("v");
        }
        assertThat(pings() - before).as("50 commands, one right after the other").isZero();
    }

    @Test
    void aConnectionBackInThePoolForLongerIsCheckedSoTheFirstCommandAfterARestartSucceeds() throws Exception {
        redis.client().set("k", "v");
        server.restart(); // the pooled connection is dead now
        ahead.set(Redis.Connections.JUST_USED_MILLIS); // and back in the pool for longer than a moment

        assertThat(redis.client().get("k")).as("checked, found dead, replaced: the command itself succeeds").isEqualTo("v");
    }

    @Test
    void onlyAReturnWithinTheLastMomentCountsAsJustUsed() {
        assertThat(Redis.Connections.justUsed(1_000, 1_000)).isTrue();
        assertThat(Redis.Connections.justUsed(1_000, 1_000 + Redis.Connections.JUST_USED_MILLIS - 1)).isTrue();
        assertThat(Redis.Connections.justUsed(1_000, 1_000 + Redis.Connections.JUST_USED_MILLIS)).isFalse();
        assertThat(Redis.Connections.justUsed(1_000, 999)).as("the wall clock stepped back: check").isFalse();
    }
}
