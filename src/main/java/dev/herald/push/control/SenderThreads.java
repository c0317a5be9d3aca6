package dev.herald.push.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
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
 * (PushClient.send blocks, for the reason given there). They come from the container's
 * ManagedThreadFactory, because a push may wait seconds for a slow push service and the
 * default ManagedExecutorService's pool is not sized for that on every server (Payara Micro's
 * runs its queue on very few threads). There are at most as many as the Dispatcher has in-flight
 * permits, so none ever queues behind a blocked one, and idle ones end after a few seconds.
 */
@ApplicationScoped
public class SenderThreads {

    static final Logger LOG = Logger.getLogger(SenderThreads.class.getName());
    static final long IDLE_SECONDS = 5;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-in-flight")
    int maxInFlight;

    ThreadPoolExecutor pool;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public SenderThreads() {
    }

    /** Outside a container (tests): at most size threads. */
    SenderThreads(ThreadFactory threads, int size) {
        start(threads, size);
    }

    @PostConstruct
    void start() {
        start(threads, Dispatcher.permits(maxInFlight) + Dispatcher.priorityPermits(maxInFlight));
    }

    void start(ThreadFactory factory, int size) {
        pool = new ThreadPoolExecutor(size, size, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
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
