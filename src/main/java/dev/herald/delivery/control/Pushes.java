package dev.herald.delivery.control;

import dev.herald.delivery.entity.PushResult;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The life of one push of a job: a permit (at most herald.delivery.max-in-flight across all
 * jobs), tries on a sender thread, the outcome Outcome decides, retries after a pause or backoff,
 * and the job's counters. FanOut finds the pushes; this class carries each one out.
 */
@ApplicationScoped
public class Pushes {

    static final Logger LOG = Logger.getLogger(Pushes.class.getName());

    /**
     * Created at deployment, not on first use: on TomEE 9 a bean first created on a managed executor
     * thread (the fan-out's walk) got none of the application's configuration; every int came out 0,
     * so max-in-flight 0 made the walk wait forever. Beans used off request threads start here.
     */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    record Target(String id, Subscription subscription, String host) {
    }

    @Inject
    SubscriptionStore store;

    @Inject
    PushSender sender;

    @Inject
    Senders senders;

    @Inject
    Jobs jobs;

    @Inject
    HostPauses pauses;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-in-flight")
    int maxInFlight;

    @Inject
    @ConfigProperty(name = "herald.delivery.retry-base")
    Duration retryBase;

    @Inject
    @ConfigProperty(name = "herald.delivery.retry-max")
    Duration retryMax;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-retries")
    int maxRetries;

    @Inject
    @ConfigProperty(name = "herald.delivery.retry-after-default")
    Duration retryAfterDefault;

    @Inject
    @ConfigProperty(name = "herald.delivery.retry-after-max")
    Duration retryAfterMax;

    Semaphore inFlight;
    Backoff backoff;
    JobFlusher flusher;

    @PostConstruct
    void init() {
        inFlight = new Semaphore(maxInFlight);
        backoff = new Backoff(retryBase, retryMax, maxRetries);
        flusher = new JobFlusher(jobs);
    }

    /** Waits for a permit, so a walk never runs ahead of the pushes in flight. */
    void start(Job job, Target target) throws InterruptedException {
        inFlight.acquire();
        job.dispatched();
        senders.submit(() -> attempt(job, target, 0));
    }

    /** Runs on a sender thread: one try of one push, then its outcome (or a retry later). */
    void attempt(Job job, Target target, int retries) {
        Duration paused = pauses.remaining(target.host(), System.nanoTime());
        if (!paused.isZero()) {
            later(paused, () -> attempt(job, target, retries));
            return;
        }
        boolean settled = true;
        try {
            settled = apply(job, target, retries, send(job, target));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notification " + job.id() + ": the push to " + target.id() + " failed inside Herald", e);
            job.counters.failed("internal error");
        }
        if (settled) {
            inFlight.release();
            settle(job);
        }
    }

    PushResult send(Job job, Target target) {
        try {
            return sender.send(target.subscription(), job.payload, job.options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PushResult.failure("interrupted");
        }
    }

    /** @return false when a retry was scheduled, true when the push is settled and counted */
    boolean apply(Job job, Target target, int retries, PushResult result) {
        var outcome = Outcome.classify(result, target.host(), retryAfterDefault, retryAfterMax);
        switch (outcome.kind()) {
            case SENT -> job.counters.sent();
            case REMOVE -> {
                store.delete(target.id());
                job.counters.removed();
            }
            case PAUSE_HOST -> {
                pauses.pause(target.host(), outcome.pause(), System.nanoTime());
                return retryOrFail(job, target, retries, outcome.pause(), outcome.reason());
            }
            case RETRY -> {
                var delay = backoff.delay(retries + 1, ThreadLocalRandom.current().nextDouble());
                return retryOrFail(job, target, retries, delay, outcome.reason());
            }
            case FAIL -> {
                if (outcome.authProblem() && job.firstWarningFor(target.host())) {
                    LOG.warning(() -> "VAPID setup is probably wrong: " + target.host() + " answered " + outcome.reason()
                            + " for notification " + job.id() + " (check the key pair and herald.vapid.subject; "
                            + "subscriptions made with another public key fail like this). Further such answers from this host are not logged.");
                }
                job.counters.failed(outcome.reason());
            }
        }
        return true;
    }

    boolean retryOrFail(Job job, Target target, int retries, Duration delay, String reason) {
        if (backoff.exhausted(retries)) {
            job.counters.failed(reason);
            return true;
        }
        later(delay, () -> attempt(job, target, retries + 1));
        return false;
    }

    /** Waits without holding a thread: a JDK timer hands the push to a sender when it is due. */
    void later(Duration delay, Runnable task) {
        CompletableFuture.delayedExecutor(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS, senders::submit).execute(task);
    }

    /** Stores the counters when a flush is due (FLUSH_EVERY pushes or FLUSH_INTERVAL). */
    void progress(Job job) {
        flusher.maybeFlush(job);
    }

    /** One thing the job waited for is over (a push, or the walk); the last one writes the final report. */
    void settle(Job job) {
        flusher.maybeFlush(job);
        if (job.settled()) {
            flusher.finish(job);
        }
    }
}
