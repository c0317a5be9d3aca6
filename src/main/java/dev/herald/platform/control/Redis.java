package dev.herald.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
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

    /** Longer than the delivery loop's blocking stream read (Consumer.BLOCK), or every idle read would time out. */
    @Inject
    @ConfigProperty(name = "herald.redis.timeout")
    Duration timeout;

    UnifiedJedis client;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @PostConstruct
    void open() {
        var pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(Duration.ofSeconds(5));
        // a Redis restart leaves dead pooled connections: validate before use
        pool.setTestOnBorrow(true);
        pool.setTestWhileIdle(true);
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Math.min(timeout.toMillis(), 2000))
                .socketTimeoutMillis((int) timeout.toMillis())
                // Jedis waits forever for a blocking command's answer unless told: a lost connection would hang the loop
                .blockingSocketTimeoutMillis((int) timeout.toMillis()).build();
        // the URL's user, password, database and TLS are merged into this config
        client = RedisClient.builder().clientConfig(config).fromURI(url).poolConfig(pool).build();
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

    public String prefix() {
        return prefix;
    }

    static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
