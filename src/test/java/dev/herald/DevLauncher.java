package dev.herald;

import dev.herald.testing.MicroProcess;
import dev.herald.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import redis.embedded.RedisServer;

/**
 * The README's run command: Payara Micro with the built WAR and the options in
 * server-config/. When nothing answers at the configured Redis (and it is on this
 * machine), an embedded Redis is started for development. Never packaged in the WAR.
 */
public final class DevLauncher {

    static final Logger LOG = Logger.getLogger(DevLauncher.class.getName());
    static final Path OPTIONS = Path.of("server-config/payara-micro.options");
    static final Path PROPERTIES = Path.of("server-config/herald.properties");

    public static void main(String[] args) throws Exception {
        URI redis = URI.create(setting("HERALD_REDIS_URL", "herald.redis.url", "redis://127.0.0.1:6379"));
        String host = redis.getHost() == null ? "127.0.0.1" : redis.getHost();
        int port = redis.getPort() < 0 ? 6379 : redis.getPort();
        RedisServer embedded = null;
        if (!TestRedis.answers(host, port)) {
            if (!List.of("127.0.0.1", "localhost", "::1", "[::1]").contains(host)) {
                throw new IllegalStateException("Nothing answers at " + host + ":" + port + " (HERALD_REDIS_URL); start that Redis first.");
            }
            embedded = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            embedded.start();
            LOG.warning("No Redis answered at 127.0.0.1:" + port + ": started an EMBEDDED Redis there for development. "
                    + "Its data (subscriptions, generated VAPID key) is lost when you stop. Set HERALD_REDIS_URL to use your own.");
        } else {
            LOG.info("Using the Redis at " + host + ":" + port);
        }
        Process micro = new ProcessBuilder(command()).inheritIO().start();
        RedisServer started = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(micro, started)));
        int exit = micro.waitFor();
        stop(micro, started);
        System.exit(exit);
    }

    static List<String> command() throws IOException {
        var options = new ArrayList<String>();
        for (String line : Files.readAllLines(OPTIONS)) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.addAll(List.of(option.split("\\s+", 2)));
            }
        }
        if (Files.exists(PROPERTIES)) {
            options.addAll(List.of("--systemproperties", PROPERTIES.toString()));
            LOG.info("Settings from " + PROPERTIES);
        }
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-jar", MicroProcess.MICRO_JAR.toString()));
        command.addAll(options);
        command.addAll(List.of("--deploy", MicroProcess.WAR.toString()));
        return command;
    }

    static String setting(String env, String property, String fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            value = System.getProperty(property, fallback);
        }
        return value;
    }

    static void stop(Process micro, RedisServer embedded) {
        micro.destroy();
        try {
            micro.waitFor();
            if (embedded != null && embedded.isActive()) {
                embedded.stop();
            }
        } catch (InterruptedException | IOException e) {
            LOG.warning("stopping: " + e);
        }
    }
}
