package dev.herald.delivery.control;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a job's counters to Redis in batches: after FLUSH_EVERY settled pushes or
 * FLUSH_INTERVAL, whichever comes first, and once more when the job is done. Only one
 * thread flushes a job at a time; the others just count on.
 */
class JobFlusher {

    static final Logger LOG = Logger.getLogger(JobFlusher.class.getName());
    static final long FLUSH_EVERY = 500;
    static final long FLUSH_INTERVAL = TimeUnit.MILLISECONDS.toNanos(500);

    final Jobs jobs;

    JobFlusher(Jobs jobs) {
        this.jobs = jobs;
    }

    void maybeFlush(Job job) {
        long now = System.nanoTime();
        boolean due = job.counters.unflushed() >= FLUSH_EVERY || now - job.lastFlushNanos > FLUSH_INTERVAL;
        if (!due || !job.flushing.compareAndSet(false, true)) {
            return;
        }
        try {
            job.lastFlushNanos = now;
            jobs.flush(job.id(), job.counters, false);
        } catch (RuntimeException e) {
            // the deltas of this flush are lost for the report; the pushes themselves went out
            LOG.log(Level.WARNING, "notification " + job.id() + ": could not store progress", e);
        } finally {
            job.flushing.set(false);
        }
    }

    void finish(Job job) {
        try {
            while (!job.flushing.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
            jobs.flush(job.id(), job.counters, true);
            jobs.report(job.id()).ifPresent(report -> LOG.info(() -> "notification " + job.id() + " done in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - job.startedNanos) + " ms: " + report.toJson()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "notification " + job.id() + ": could not store the final report", e);
        } finally {
            job.flushing.set(false);
            job.finished.complete(null);
        }
    }
}
