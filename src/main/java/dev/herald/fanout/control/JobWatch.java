package dev.herald.fanout.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    final Map<CompletableFuture<Boolean>, String> awaited = new ConcurrentHashMap<>();

    /**
     * Completes with true once the job is done, or with false when wait has passed first. Nothing waits on a thread
     * meanwhile: the request that asked is suspended (a request thread is not held for up to herald.delivery.max-wait),
     * and the future is completed by the upkeep's poll, the runner that finished the job, or the JDK's timer.
     */
    public CompletableFuture<Boolean> whenDone(String jobId, Duration wait) {
        var done = new CompletableFuture<Boolean>();
        awaited.put(done, jobId);
        done.whenComplete((result, failure) -> awaited.remove(done));
        done.completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS);
        return done;
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
                done.complete(true);
            }
        });
    }
}
