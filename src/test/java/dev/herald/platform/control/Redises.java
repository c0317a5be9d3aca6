package dev.herald.platform.control;

import dev.herald.testing.TestRedis;
import java.time.Duration;

/** The application's Redis bean without a container, for tests in other packages: the run's Redis, a prefix of the test's own. */
public final class Redises {

    private Redises() {
    }

    public static Redis connect(String prefix) {
        return connect(TestRedis.URL, prefix);
    }

    public static Redis connect(String url, String prefix) {
        var redis = new Redis();
        redis.url = url;
        redis.prefix = prefix;
        redis.poolSize = 8;
        redis.timeout = Duration.ofSeconds(5);
        redis.open();
        return redis;
    }

    public static void close(Redis redis) {
        redis.close();
    }
}
