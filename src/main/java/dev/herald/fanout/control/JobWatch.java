package dev.herald.fanout.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Prefer: wait. Whichever instance delivers a job, the one that accepted it learns that it is done
 * from Redis: the Worker's upkeep reads the state of every awaited job in one round trip every
 * POLL while anybody waits, and not at all otherwise. A job this instance finishes itself is
 * reported at once. Nothing holds a thread while it waits: a waiting request is suspended, and its
 * future is completed by the upkeep's poll, the runner that finished the job, or the container's
 * scheduler at the end of the wait. At most MAX_AWAITED requests wait at once; beyond, and once the
 * instance stops, a request is answered at once (202 with the job's id).
 */
@ApplicationScoped
public class JobWatch {

    static final Logger LOG = Logger.getLogger(JobWatch.class.getName());
    static final Duration POLL = Duration.ofMillis(100);
    /** Waiting requests at once; each costs a future here and an id in the poll's round trip. */
    static final int MAX_AWAITED = 10_000;

    @Inject
    JobStore jobs;

    /** The container's default scheduler, for the end of each wait (the JDK's own timer thread would keep this application's class loader). */
    @Resource
    ManagedScheduledExecutorService managed;

    /** managed, or in unit tests a plain one; null where the container has none: then nobody waits (see whenDone). */
    ScheduledExecutorService scheduler;

    @PostConstruct
    void init() {
        scheduler = managed;
        if (scheduler == null) {
            LOG.warning("no default ManagedScheduledExecutorService: Prefer: wait is answered at once (202)");
        }
    }

    /** One future per waiting request, with the job it waits for. */
    final Map<CompletableFuture<Boolean>, String> awaited = new ConcurrentHashMap<>();

    /**
     * Run when a wait begins with nobody else waiting: the Worker wakes its upkeep, whose poll then also sees a job
     * that was done before its request began to wait (nothing else would report it until the upkeep's next tick).
     */
    volatile Runnable onFirstWait = () -> { };

    /** Set once the instance stops: nothing polls any more. */
    volatile boolean stopped;

    /** Completes with true once the job is done, or with false when wait has passed first (or at once, see above). */
    public CompletableFuture<Boolean> whenDone(String jobId, Duration wait) {
        var done = new CompletableFuture<Boolean>();
        if (stopped || scheduler == null || awaited.size() >= MAX_AWAITED) {
            done.complete(false);
            return done;
        }
        boolean first = awaited.isEmpty();
        awaited.put(done, jobId);
        if (first) {
            onFirstWait.run();
        }
        try {
            var timeout = scheduler.schedule(() -> answer(done, false), wait.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((result, failure) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            answer(done, false); // the container is stopping
        }
        return done;
    }

    /** Forgets the wait before answering it, so that whoever has the answer no longer sees it awaited. */
    void answer(CompletableFuture<Boolean> done, boolean finished) {
        awaited.remove(done);
        done.complete(finished);
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
                answer(done, true);
            }
        });
    }

    /** The instance stops (nothing polls any more): every waiting request is answered now, with its job's id. */
    void releaseAll() {
        stopped = true;
        awaited.keySet().forEach(done -> answer(done, false));
    }
}
