package dev.herald.fanout.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prefer: wait. Whichever instance delivers a job, the one that accepted it learns that it is done
 * from Redis: the Worker's upkeep reads the state of every awaited job in one round trip every
 * POLL while anybody waits, and not at all otherwise. A job this instance finishes itself is
 * reported at once.
 */
@ApplicationScoped
public class JobWatch {

    static final Duration POLL = Duration.ofMillis(100);

    @Inject
    JobStore jobs;

    /** One future per waiting request, with the job it waits for. */
    final Map<CompletableFuture<Void>, String> awaited = new ConcurrentHashMap<>();

    /** Waits at most wait for the job to be done; true when it is. */
    public boolean awaitDone(String jobId, Duration wait) {
        var done = new CompletableFuture<Void>();
        awaited.put(done, jobId);
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        } finally {
            awaited.remove(done);
        }
    }

    boolean anyAwaited() {
        return !awaited.isEmpty();
    }

    /** Called by the upkeep: one round trip for every awaited job. */
    void poll() {
        List<String> ids = awaited.values().stream().distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        var states = jobs.states(ids);
        for (String id : ids) {
            Boolean done = states.get(id);
            if (done == null || done) {
                finished(id);
            }
        }
    }

    void finished(String jobId) {
        awaited.forEach((done, id) -> {
            if (id.equals(jobId)) {
                done.complete(null);
            }
        });
    }
}
