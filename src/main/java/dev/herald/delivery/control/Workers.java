package dev.herald.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A few long-running worker tasks on the container's ManagedExecutorService that run the
 * short per-push steps (encrypt and send, handle an answer). Submitting every step to the
 * managed executor itself would capture the container context per step, which on Payara
 * scans the class path (measured: most of the CPU per push). Workers stop after a few idle
 * seconds, so no container thread is held while nothing is sent. The queue holds at most
 * one step per push in flight (FanOut's semaphore bounds those).
 */
@ApplicationScoped
public class Workers {

    static final Logger LOG = Logger.getLogger(Workers.class.getName());
    static final long IDLE_SECONDS = 5;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "herald.delivery.workers")
    int configured;

    final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    final AtomicInteger running = new AtomicInteger();
    int size;

    @PostConstruct
    void init() {
        size = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    public void submit(Runnable step) {
        queue.add(step);
        startIfNeeded();
    }

    void startIfNeeded() {
        int now = running.get();
        while (now < size && !queue.isEmpty()) {
            if (running.compareAndSet(now, now + 1)) {
                try {
                    executor.execute(this::work);
                } catch (RuntimeException e) {
                    // rejected (saturated) or no container context on this thread (a timer)
                    running.decrementAndGet();
                    if (running.get() == 0) {
                        drainHere();
                    }
                }
                return;
            }
            now = running.get();
        }
    }

    /** The container has no thread for us and no worker runs: make progress on the caller's thread. */
    void drainHere() {
        Runnable step;
        while ((step = queue.poll()) != null) {
            runSafely(step);
        }
    }

    void work() {
        try {
            while (true) {
                Runnable step = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
                if (step == null) {
                    break;
                }
                runSafely(step);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
            // a step queued while this worker was giving up must not wait for the next submit
            startIfNeeded();
        }
    }

    static void runSafely(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "a delivery step failed", e);
        }
    }
}
