package dev.herald.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/**
 * The tests' view of Redis: one key prefix per test run (set by the pom), and helpers
 * that read and delete only keys under that prefix. Never empties a whole Redis database.
 */
public final class TestRedis {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = Integer.getInteger("herald.it.redis.port", 6379);
    public static final String URL = "redis://" + HOST + ":" + PORT;
    public static final String PREFIX = System.getProperty("herald.it.prefix", "herald-test-" + UUID.randomUUID() + ":");

    static UnifiedJedis client;

    private TestRedis() {
    }

    public static synchronized UnifiedJedis client() {
        if (client == null) {
            client = RedisClient.create(URL);
        }
        return client;
    }

    public static boolean answers(String host, int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Every key under the prefix with a printable form of its value, for before/after comparisons. */
    public static Map<String, String> snapshot(String prefix) {
        return snapshotOf(client(), prefix);
    }

    /** The same, of another Redis (a test's own process). */
    public static Map<String, String> snapshotOf(UnifiedJedis jedis, String prefix) {
        var result = new TreeMap<String, String>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            var page = jedis.scan(cursor, new ScanParams().match(glob(prefix) + "*").count(500));
            for (String key : page.getResult()) {
                result.put(key, describe(jedis, key));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return result;
    }

    static String describe(UnifiedJedis jedis, String key) {
        return switch (jedis.type(key)) {
            case "stream" -> jedis.xrange(key, (redis.clients.jedis.StreamEntryID) null, (redis.clients.jedis.StreamEntryID) null).toString();
            case "string" -> jedis.get(key);
            case "hash" -> new TreeMap<>(jedis.hgetAll(key)).toString();
            case "set" -> new java.util.TreeSet<>(jedis.smembers(key)).toString();
            case "list" -> jedis.lrange(key, 0, -1).toString();
            case "zset" -> jedis.zrangeWithScores(key, 0, -1).toString();
            default -> jedis.type(key);
        };
    }

    public static void deleteAll(String prefix) {
        var keys = snapshot(prefix).keySet();
        if (!keys.isEmpty()) {
            client().del(keys.toArray(String[]::new));
        }
    }

    static String glob(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
