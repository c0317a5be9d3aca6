package dev.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Two Payara Micro instances, "a" and "b", on a Redis process of their own, for the IT classes whose
 * settings agree (PlannedJobsIT, AudiencesIT, TwoInstancesIT, TokenScopesIT): the first class that
 * asks starts them, the others reuse them, and JUnit closes them when the test run ends (failsafe
 * runs every IT class in one JVM, one class after the other). Each start costs about 20 s on two
 * cores; one start for four classes is the point.
 * <p>
 * What a class may rely on: both instances are up when it gets them (an instance a test killed is
 * started again); the key prefix is shared, so a class deletes the subscriptions it made and puts
 * back what it changed (the clock shift) before it ends, as every test here does already.
 * <p>
 * Settings: those of {@link Cluster#settings}, channels news, offers and sports, batches of 50,
 * 16 pushes in flight, claim-idle 2 s, and a send token beside the admin token {@link Api#TOKEN}.
 */
public final class SharedCluster implements AutoCloseable {

    public static final String PREFIX = "herald-shared-" + UUID.randomUUID() + ":";
    public static final String CHANNELS = "news=News,offers=Offers and sales,sports=Sports";
    /** Short, so that a lease that was not renewed would run out during a test (TwoInstancesIT). */
    public static final java.time.Duration CLAIM_IDLE = java.time.Duration.ofSeconds(2);
    /** A token of send scope; {@link Api#TOKEN} is the admin one. */
    public static final String SEND_TOKEN = random32();
    static final List<String> NAMES = List.of("a", "b");

    final RedisProcess redis;
    final Cluster cluster;

    SharedCluster(RedisProcess redis, Cluster cluster) {
        this.redis = redis;
        this.cluster = cluster;
    }

    static SharedCluster start() {
        RedisProcess redis = null;
        try {
            redis = RedisProcess.start();
            var settings = Cluster.settings(redis.url(), PREFIX);
            settings.put("herald.channels", CHANNELS);
            settings.put("herald.delivery.batch-size", "50");
            settings.put("herald.delivery.max-in-flight", "16");
            settings.put("herald.delivery.claim-idle", CLAIM_IDLE.toString());
            settings.put("herald.api.tokens", "send:" + SEND_TOKEN + ",admin:" + Api.TOKEN);
            return new SharedCluster(redis, Cluster.start(settings, NAMES.toArray(String[]::new)));
        } catch (IOException | RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The instances, each of them up: one a test killed is started again (same name, new port). */
    public synchronized Cluster cluster() {
        for (String name : NAMES) {
            if (!cluster.get(name).alive()) {
                cluster.restart(name);
            }
        }
        return cluster;
    }

    public String redisUrl() {
        return redis.url();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            redis.close();
        }
    }

    static String random32() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Hands the shared instances to a lifecycle method or test that declares a SharedCluster parameter,
     * starting them the first time; they live in the root store, which JUnit closes at the end of the run.
     */
    public static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(SharedCluster.class, key -> start(), SharedCluster.class);
        }
    }
}
