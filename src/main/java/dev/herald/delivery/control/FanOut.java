package dev.herald.delivery.control;

import dev.herald.delivery.entity.Notification;
import dev.herald.delivery.entity.PushResult;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.ServiceUnavailableException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.ScanParams;

/**
 * Sends one notification to every subscription (or the targeted ones) in the background.
 * A walk over the id set in SSCAN batches feeds pushes to the managed executor; a semaphore
 * bounds the pushes in flight across all jobs, so the walk waits rather than queueing a
 * task per subscriber, and memory does not grow with the number of subscribers.
 * What happens after each answer is Outcome's decision; this class carries it out.
 */
@ApplicationScoped
public class FanOut {

    static final Logger LOG = Logger.getLogger(FanOut.class.getName());
    // Json.createReader looks the provider up (a class-path scan) on every call
    static final JsonProvider JSON = JsonProvider.provider();

    record Target(String id, Subscription subscription, String host) {
    }

    @Resource
    ManagedExecutorService executor;

    @Inject
    SubscriptionStore store;

    @Inject
    SubscriptionClaims claims;

    @Inject
    PushSender sender;

    @Inject
    Jobs jobs;

    @Inject
    HostPauses pauses;

    @Inject
    Senders senders;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-in-flight")
    int maxInFlight;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

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

    public Job start(Notification notification) {
        var job = new Job(UUID.randomUUID().toString(), notification);
        jobs.create(job.id(), 0);
        try {
            executor.execute(() -> walk(job));
        } catch (RejectedExecutionException e) {
            jobs.delete(job.id());
            throw new ServiceUnavailableException("The server is too busy to start a notification now; nothing was sent.", 5L);
        }
        return job;
    }

    void walk(Job job) {
        try {
            if (job.notification.targeted()) {
                List<String> ids = job.notification.subscriptions();
                for (int from = 0; from < ids.size(); from += batchSize) {
                    deliver(job, ids.subList(from, Math.min(ids.size(), from + batchSize)), true);
                }
            } else {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    var page = store.scanIds(cursor, batchSize);
                    deliver(job, List.copyOf(new LinkedHashSet<>(page.getResult())), false);
                    cursor = page.getCursor();
                } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning(() -> "notification " + job.id() + ": walk interrupted; subscriptions not reached yet are not counted");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "notification " + job.id() + ": walk stopped early; subscriptions not reached yet are not counted", e);
        } finally {
            settle(job);
        }
    }

    void deliver(Job job, List<String> ids, boolean targeted) throws InterruptedException {
        if (ids.isEmpty()) {
            return;
        }
        List<String> records = claims.claim(job.id(), ids);
        long now = System.currentTimeMillis();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String json = records.get(i);
            if (json == null) {
                if (targeted) {
                    job.counters.found(1);
                    job.counters.failed("unknown subscription");
                }
                continue;
            }
            job.counters.found(1);
            Subscription subscription;
            String host;
            try {
                subscription = parse(json);
                host = URI.create(subscription.endpoint()).getHost();
            } catch (RuntimeException e) {
                LOG.warning(() -> "notification " + job.id() + ": subscription " + id + " is unreadable: " + e);
                job.counters.failed("unreadable subscription");
                continue;
            }
            if (subscription.expiredAt(now)) {
                store.delete(id);
                job.counters.removed();
                continue;
            }
            inFlight.acquire();
            job.dispatched();
            var target = new Target(id, subscription, host);
            senders.submit(() -> attempt(job, target, 0));
        }
        flusher.maybeFlush(job);
    }

    /** Runs on a sender thread: one try of one push, then its outcome (or a retry later). */
    void attempt(Job job, Target target, int retries) {
        Duration paused = pauses.remaining(target.host(), System.nanoTime());
        if (!paused.isZero()) {
            later(paused, () -> attempt(job, target, retries));
            return;
        }
        PushResult result;
        try {
            result = sender.send(target.subscription(), job.payload, job.options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = PushResult.failure("interrupted");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notification " + job.id() + ": could not prepare the push to " + target.id(), e);
            job.counters.failed("internal error");
            settlePush(job);
            return;
        }
        settleOrRetry(job, target, retries, result);
    }

    void settleOrRetry(Job job, Target target, int retries, PushResult result) {
        boolean settled = true;
        try {
            settled = apply(job, target, retries, result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notification " + job.id() + ": handling the answer for " + target.id() + " failed", e);
            job.counters.failed("internal error");
        }
        if (settled) {
            settlePush(job);
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

    /** Waits without holding a thread: a JDK timer hands the step to the senders when it is due. */
    void later(Duration delay, Runnable task) {
        CompletableFuture.delayedExecutor(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS, senders::submit).execute(task);
    }

    void settlePush(Job job) {
        inFlight.release();
        settle(job);
    }

    void settle(Job job) {
        flusher.maybeFlush(job);
        if (job.settled()) {
            flusher.finish(job);
        }
    }

    static Subscription parse(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return Subscription.fromStored(reader.readObject());
        }
    }
}
