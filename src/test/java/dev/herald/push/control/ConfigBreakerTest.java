package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.testing.TestRedis;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The breaker's count in the shared Redis (this test's own prefix): two breakers stand for two instances. */
class ConfigBreakerTest {

    final String prefix = TestRedis.PREFIX + "breaker-" + UUID.randomUUID() + ":";
    final Redis redis = Redises.connect(prefix);
    final ConfigBreaker one = new ConfigBreaker(redis, 20);
    final ConfigBreaker other = new ConfigBreaker(redis, 20);
    final String job = UUID.randomUUID().toString();

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    void jobExists() {
        redis.client().hset(prefix + "notification:" + job, "state", "running");
    }

    @Test
    void twentyErrorsAcrossInstancesStopOneServiceOnceAndNoOther() {
        jobExists();
        var tripped = IntStream.range(0, 25).filter(i -> (i % 2 == 0 ? one : other).count(job, "apple")).boxed().toList();

        assertThat(tripped).as("exactly the 20th count, on whichever instance made it").containsExactly(19);
        assertThat(redis.client().hget(prefix + "notification:" + job + ":config_errors", "apple")).isEqualTo("25");
        long now = System.nanoTime();
        assertThat(one.stopped(job, "apple", now)).isTrue();
        assertThat(other.stopped(job, "apple", now)).isTrue();
        assertThat(one.stopped(job, "127.0.0.1", now)).as("each service or host on its own").isFalse();
        assertThat(one.stopped(UUID.randomUUID().toString(), "apple", now)).as("each job on its own").isFalse();
    }

    @Test
    void anInstanceLearnsOfAStopAnotherMadeWhenItReadsAgain() {
        jobExists();
        long start = System.nanoTime();
        assertThat(other.stopped(job, "fcm", start)).isFalse();
        IntStream.range(0, 20).forEach(i -> one.count(job, "fcm"));

        assertThat(other.stopped(job, "fcm", start + 1)).as("cached").isFalse();
        assertThat(other.stopped(job, "fcm", start + ConfigBreaker.REFRESH_NANOS + 1)).isTrue();
    }

    @Test
    void countsExpireWithAnEndedJobAndNothingIsCountedForAJobThatIsGone() {
        assertThat(one.count(job, "wns")).isFalse();
        assertThat(redis.client().exists(prefix + "notification:" + job + ":config_errors")).as("no job record, no count").isFalse();

        jobExists();
        redis.client().expire(prefix + "notification:" + job, 600);
        one.count(job, "wns");
        assertThat(redis.client().ttl(prefix + "notification:" + job + ":config_errors")).isBetween(590L, 600L);
    }

    @Test
    void aLimitOfZeroNeverStops() {
        jobExists();
        var off = new ConfigBreaker(redis, 0);
        IntStream.range(0, 30).forEach(i -> off.count(job, "apple"));
        assertThat(off.stopped(job, "apple", System.nanoTime())).isFalse();
    }
}
