package dev.herald.testing;

import java.util.logging.Logger;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import redis.embedded.RedisServer;

/**
 * Makes sure a Redis answers for the test run, as the README promises for a machine that
 * has only a JDK: when none answers on the test port, an embedded Redis is started for the
 * run. At the end, the run's own keys (and only those) are deleted.
 */
public class RedisSessionListener implements LauncherSessionListener {

    static final Logger LOG = Logger.getLogger(RedisSessionListener.class.getName());
    RedisServer embedded;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (TestRedis.answers(TestRedis.HOST, TestRedis.PORT)) {
            return;
        }
        try {
            embedded = RedisServer.newRedisServer().bind(TestRedis.HOST).port(TestRedis.PORT)
                    .setting("save \"\"").setting("appendonly no").build();
            embedded.start();
            LOG.warning("No Redis answered on " + TestRedis.URL + "; started an embedded Redis there for this test run.");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("No Redis on " + TestRedis.URL + " and the embedded one did not start", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (TestRedis.answers(TestRedis.HOST, TestRedis.PORT)) {
            TestRedis.deleteAll(TestRedis.PREFIX);
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (java.io.IOException e) {
                LOG.warning("embedded Redis did not stop: " + e);
            }
        }
    }
}
