package dev.herald.delivery.control;

import dev.herald.delivery.entity.Notification;
import dev.herald.delivery.entity.PushOptions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running fan-out on this instance. outstanding counts pushes not yet settled plus one
 * for the walk itself, so the job is done exactly when the walk has ended and every push has
 * settled. finished completes then (for Prefer: wait on the instance that accepted the job).
 */
public class Job {

    final String id;
    final Notification notification;
    final byte[] payload;
    final PushOptions options;
    final JobCounters counters = new JobCounters();
    final AtomicLong outstanding = new AtomicLong(1);
    final Set<String> warnedHosts = ConcurrentHashMap.newKeySet();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    final long startedNanos = System.nanoTime();
    final java.util.concurrent.atomic.AtomicBoolean flushing = new java.util.concurrent.atomic.AtomicBoolean();
    volatile long lastFlushNanos = startedNanos;

    Job(String id, Notification notification) {
        this.id = id;
        this.notification = notification;
        this.payload = notification.payload();
        this.options = notification.options();
    }

    public String id() {
        return id;
    }

    public CompletableFuture<Void> finished() {
        return finished;
    }

    void dispatched() {
        outstanding.incrementAndGet();
    }

    /** @return true when this was the last thing the job waited for */
    boolean settled() {
        return outstanding.decrementAndGet() == 0;
    }

    /** Warn once per job and host, not once per push. */
    boolean firstWarningFor(String host) {
        return warnedHosts.add(host);
    }
}
