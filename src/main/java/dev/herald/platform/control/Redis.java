package dev.herald.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one Redis client of the application, opened and closed here, and the key prefix
 * every key of this deployment carries.
 */
@ApplicationScoped
public class Redis {

    static final Logger LOG = Logger.getLogger(Redis.class.getName());

    @Inject
    @ConfigProperty(name = "herald.redis.url")
    String url;

    @Inject
    @ConfigProperty(name = "herald.redis.prefix")
    String prefix;

    @Inject
    @ConfigProperty(name = "herald.redis.pool-size")
    int poolSize;

    UnifiedJedis client;

    @PostConstruct
    void open() {
        var pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(Duration.ofSeconds(5));
        // a Redis restart leaves dead pooled connections: validate before use
        pool.setTestOnBorrow(true);
        pool.setTestWhileIdle(true);
        client = RedisClient.builder().fromURI(url).poolConfig(pool).build();
        LOG.info(() -> "Redis at " + redacted(url) + ", key prefix '" + prefix + "'");
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public UnifiedJedis client() {
        return client;
    }

    public String key(String name) {
        return prefix + name;
    }

    static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
