package dev.herald.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;
import org.apache.commons.pool2.PooledObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.util.JedisURIHelper;

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
    /** The wall clock the pool's check compares return times with (Connections); tests move it on. */
    java.util.function.LongSupplier clock = System::currentTimeMillis;

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
        // a Redis restart leaves dead pooled connections: validate before use (Connections: not when just used)
        pool.setTestOnBorrow(true);
        pool.setTestWhileIdle(true);
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Math.min(timeout.toMillis(), 2000))
                .socketTimeoutMillis((int) timeout.toMillis())
                // Jedis waits forever for a blocking command's answer unless told: a lost connection would hang the loop
                .blockingSocketTimeoutMillis((int) timeout.toMillis()).build();
        // the URL's user, password, database and TLS are merged into this config
        URI at = URI.create(url);
        client = new RedisClient.Builder() {
            @Override
            protected ConnectionProvider createDefaultConnectionProvider() {
                // clientConfig: the one above with the URL's user, password, database and TLS merged in (fromURI)
                return new PooledConnectionProvider(new Connections(JedisURIHelper.getHostAndPort(at), clientConfig, clock), poolConfig);
            }
        }.clientConfig(config).fromURI(at).poolConfig(pool).build();
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

    /**
     * Jedis' connections, checked with a PING before use (testOnBorrow) only when they have been back in the pool for
     * JUST_USED or longer. A connection that answered a moment ago is alive: a Redis restart takes longer than that,
     * and a connection that broke meanwhile is dropped by Jedis at its first failed command, which fails like any
     * Redis outage (a 503, or a retry in the delivery loops), never silently. Under load nearly every borrow finds a
     * connection returned microseconds ago: a subscribe made 2-3 borrows and so as many extra round trips.
     */
    static final class Connections extends ConnectionFactory {

        static final long JUST_USED_MILLIS = 100;

        final java.util.function.LongSupplier clock;

        Connections(HostAndPort at, JedisClientConfig config, java.util.function.LongSupplier clock) {
            super(at, config);
            this.clock = clock;
        }

        @Override
        public boolean validateObject(PooledObject<Connection> pooled) {
            if (justUsed(pooled.getLastReturnTime(), clock.getAsLong()) && pooled.getObject().isConnected()
                    && !pooled.getObject().isBroken()) {
                return true;
            }
            return super.validateObject(pooled);
        }

        static boolean justUsed(long returnedMillis, long nowMillis) {
            long since = nowMillis - returnedMillis;
            return since >= 0 && since < JUST_USED_MILLIS;
        }
    }
}
