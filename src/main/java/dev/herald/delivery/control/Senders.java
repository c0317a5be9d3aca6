package dev.herald.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The threads that carry pushes: each encrypts and sends one push and waits for its answer
 * (PushSender.send blocks, for the reason given there). They come from the container's
 * ManagedThreadFactory, because a push may wait seconds for a slow push service and the
 * default ManagedExecutorService's pool is not sized for that on every server (Payara Micro's
 * runs its queue on very few threads). There are at most herald.delivery.max-in-flight of them,
 * Pushes' semaphore never lets more pushes start, and idle ones end after a few seconds.
 */
@ApplicationScoped
public class Senders {

    static final Logger LOG = Logger.getLogger(Senders.class.getName());
    static final long IDLE_SECONDS = 5;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-in-flight")
    int maxInFlight;

    ThreadPoolExecutor pool;

    /** Created at deployment, not on first use off a request thread: see Pushes.onStart (TomEE). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public Senders() {
    }

    /** Outside a container (tests). */
    Senders(ThreadFactory threads, int maxInFlight) {
        this.maxInFlight = maxInFlight;
        start(threads);
    }

    @PostConstruct
    void start() {
        start(threads);
    }

    void start(ThreadFactory factory) {
        pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    public void submit(Runnable step) {
        pool.execute(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "a delivery step failed", e);
            }
        });
    }
}
