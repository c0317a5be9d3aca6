package dev.herald.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What Herald needs of its Redis, checked at start (README "Durability"): version 6.2 or later
 * (XAUTOCLAIM takes over a dead instance's work), and settings that keep accepted work: an
 * append-only file, fsync every second or always, and no eviction. A too old Redis stops the
 * deployment; an unsafe setting gets one warning each. A Redis that is not there yet, or that
 * refuses CONFIG, is reported and not held against the deployment.
 */
@ApplicationScoped
public class RedisRequirements {

    static final Logger LOG = Logger.getLogger(RedisRequirements.class.getName());

    @Inject
    Redis redis;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        String version;
        try {
            version = version(redis.client().info("server"));
        } catch (JedisException e) {
            LOG.warning(() -> "Redis does not answer at start (" + e.getMessage() + "); its version and settings are not checked. "
                    + "Herald needs Redis 6.2 or later.");
            return;
        }
        check(version);
        for (String warning : warnings()) {
            LOG.warning(warning);
        }
    }

    static String version(String info) {
        return info.lines().filter(line -> line.startsWith("redis_version:")).map(line -> line.substring("redis_version:".length()).strip())
                .findFirst().orElse("0");
    }

    static void check(String version) {
        if (!atLeast(version, 6, 2)) {
            throw new IllegalStateException("Redis " + version + " is too old: Herald needs Redis 6.2 or later (XAUTOCLAIM, "
                    + "with which a live instance takes over the work of one that died).");
        }
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int have = Integer.parseInt(parts[0]);
            int haveMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return have > major || have == major && haveMinor >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One sentence per unsafe setting (none: all safe); reads CONFIG GET. */
    public List<String> warnings() {
        Map<String, String> config;
        try {
            config = new java.util.HashMap<>();
            for (String name : List.of("appendonly", "appendfsync", "maxmemory-policy")) {
                // UnifiedJedis has no CONFIG GET of its own: a flat list of name, value
                var answer = (List<?>) redis.client().sendCommand(Protocol.Command.CONFIG, "GET", name);
                for (int i = 0; i + 1 < answer.size(); i += 2) {
                    config.put(SafeEncoder.encode((byte[]) answer.get(i)), SafeEncoder.encode((byte[]) answer.get(i + 1)));
                }
            }
        } catch (JedisDataException e) {
            return List.of("Redis refuses CONFIG GET (" + e.getMessage() + "): check by hand that it runs with appendonly yes, "
                    + "appendfsync everysec and maxmemory-policy noeviction (README \"Durability\").");
        }
        return warnings(config);
    }

    static List<String> warnings(Map<String, String> config) {
        var warnings = new java.util.ArrayList<String>();
        if (!"yes".equals(config.get("appendonly"))) {
            warnings.add("Redis runs without an append-only file (appendonly " + config.get("appendonly") + "): a Redis restart "
                    + "loses subscriptions and accepted notifications. Set appendonly yes (README \"Durability\").");
        }
        String fsync = config.get("appendfsync");
        if (fsync != null && !"everysec".equals(fsync) && !"always".equals(fsync)) {
            warnings.add("Redis fsyncs its append-only file only when the OS decides (appendfsync " + fsync + "): a crash can lose "
                    + "more than the last second of accepted work. Set appendfsync everysec (README \"Durability\").");
        }
        String policy = config.get("maxmemory-policy");
        if (policy != null && !"noeviction".equals(policy)) {
            warnings.add("Redis may evict keys when full (maxmemory-policy " + policy + "): it could drop queued work or "
                    + "subscriptions. Set maxmemory-policy noeviction: Herald then answers 503 instead (README \"Durability\").");
        }
        return warnings;
    }
}
