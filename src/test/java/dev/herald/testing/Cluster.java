package dev.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Several Payara Micro processes with the built WAR on one Redis and one key prefix, as an
 * operator runs N instances: each has its own port and its own herald.instance.name. Started side
 * by side; each can be killed (SIGKILL), stopped (SIGTERM) and started again with the same name.
 */
public final class Cluster implements AutoCloseable {

    static final Duration START = Duration.ofMinutes(3);

    final Map<String, String> common;
    final Map<String, Map<String, String>> own = new LinkedHashMap<>();
    final Map<String, MicroProcess> running = new LinkedHashMap<>();

    Cluster(Map<String, String> common) {
        this.common = common;
    }

    /**
     * Settings every instance of a test needs: the Redis and prefix, the push-service stub on loopback,
     * the tests' API token, no rate limits, quick retries.
     */
    public static Map<String, String> settings(String redisUrl, String prefix) {
        var settings = new HashMap<String, String>();
        settings.put("herald.redis.url", redisUrl);
        settings.put("herald.redis.prefix", prefix);
        settings.put("herald.push.allow-insecure", "true");
        settings.put("herald.push.allowed-hosts", "127.0.0.1");
        settings.put("herald.api.tokens", Api.TOKEN);
        settings.put("herald.limits.subscribe-per-minute", "0");
        settings.put("herald.limits.test-per-minute", "0");
        settings.put("herald.delivery.retry-base", "PT0.05S");
        settings.put("herald.delivery.retry-max", "PT0.2S");
        return settings;
    }

    /** Starts the named instances side by side; each gets common plus its own settings and its name. */
    public static Cluster start(Map<String, String> common, Map<String, Map<String, String>> instances) {
        var cluster = new Cluster(common);
        instances.forEach(cluster.own::put);
        try {
            cluster.startAll(List.copyOf(instances.keySet()));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public static Cluster start(Map<String, String> common, String... names) {
        var instances = new LinkedHashMap<String, Map<String, String>>();
        for (String name : names) {
            instances.put(name, Map.of());
        }
        return start(common, instances);
    }

    void startAll(List<String> names) {
        var starting = names.stream().map(name -> CompletableFuture.supplyAsync(() -> launch(name))).toList();
        try {
            for (int i = 0; i < names.size(); i++) {
                running.put(names.get(i), starting.get(i).join());
            }
        } catch (CompletionException e) {
            starting.forEach(future -> future.thenAccept(MicroProcess::close));
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    MicroProcess launch(String name) {
        var settings = new HashMap<>(common);
        settings.putAll(own.get(name));
        settings.put("herald.instance.name", name);
        try {
            // quick to start on two cores: C1 only and the serial collector (these tests measure no speed)
            return MicroProcess.start(settings, MicroProcess.freePort(), START,
                    java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xmx384m"), MicroProcess.QUICK_START.stream()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MicroProcess get(String name) {
        return running.get(name);
    }

    public Api api(String name) {
        return new Api(running.get(name).uri("/"), Api.TOKEN);
    }

    /** SIGKILL: the instance gets no chance to hand anything back. */
    public void kill(String name) {
        running.get(name).kill();
    }

    /** SIGTERM, as an orchestrator stops a container: the instance stops gracefully. */
    public void stop(String name) {
        running.get(name).stop(Duration.ofSeconds(60));
    }

    /** Starts the instance again, with the same name and settings (and a new port). */
    public void restart(String name) {
        restart(name, Map.of());
    }

    /** Starts the instance again with the same name, its settings changed by changes. */
    public void restart(String name, Map<String, String> changes) {
        running.get(name).close();
        var settings = new HashMap<>(own.get(name));
        settings.putAll(changes);
        own.put(name, settings);
        running.put(name, launch(name));
    }

    @Override
    public void close() {
        running.values().forEach(MicroProcess::close);
    }
}
