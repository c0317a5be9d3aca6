package dev.herald.push.control;

import dev.herald.push.entity.Push;
import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushService;
import dev.herald.push.entity.Settled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Carries out one try of a push: waits for an in-flight permit, sends on a sender thread, and
 * turns the answer into a Settled by the rule table (Outcome). It never waits for a retry itself:
 * a push that should be tried again settles as LATER with its delay (backoff, or the host's pause),
 * and the caller keeps it durably until then. A host that asked to be left alone gets nothing
 * until its pause is over, from any job; a push service (or unknown host) whose answers blamed our
 * configuration too often in a job gets nothing more of that job (ConfigBreaker).
 */
@ApplicationScoped
public class Dispatcher {

    static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    static final int MAX_WARNED = 1024;

    @Inject
    PushClient client;

    @Inject
    SenderThreads senders;

    @Inject
    HostPauses pauses;

    @Inject
    ConfigBreaker breaker;

    @Inject
    PushServicesSeen seen;

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

    Semaphore bulk;
    Semaphore priority;
    Backoff backoff;
    /** "job who kind" triples already logged, so a wrong VAPID setup or a payload bug logs once per job and service, not per push. */
    final Set<String> warned = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_WARNED;
        }
    }));

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @PostConstruct
    void init() {
        bulk = new Semaphore(permits(maxInFlight));
        priority = new Semaphore(priorityPermits(maxInFlight));
        backoff = new Backoff(retryBase, retryMax, maxRetries);
    }

    static int permits(int maxInFlight) {
        return Math.max(1, maxInFlight);
    }

    /** A reserve of its own for priority pushes: an eighth of max-in-flight, at least 8. */
    static int priorityPermits(int maxInFlight) {
        return Math.max(8, maxInFlight / 8);
    }

    /**
     * Starts one try of the push once a permit is free (the caller's thread waits for it, so a batch
     * never runs ahead of the pushes in flight); whenSettled then gets the result on a sender thread.
     */
    public void dispatch(Push push, Consumer<Settled> whenSettled) throws InterruptedException {
        String host = host(push);
        PushService service = PushService.of(host);
        String who = service.who(host);
        if (breaker.stopped(push.jobId(), who, System.nanoTime())) {
            // not sent: the answer would blame our configuration again
            whenSettled.accept(Settled.fail(stoppedReason(who)));
            return;
        }
        Duration paused = host == null ? Duration.ZERO : pauses.remaining(host, System.nanoTime());
        if (!paused.isZero()) {
            // not a try: the retry count stays
            whenSettled.accept(Settled.later(paused, "push service host paused", push.retries()));
            return;
        }
        Semaphore permits = push.priority() ? priority : bulk;
        permits.acquire();
        try {
            senders.submit(() -> {
                Settled settled;
                try {
                    // again once a permit is ours: the breaker may have tripped while this push waited for one,
                    // so at most the pushes already in flight when it trips still go
                    settled = breaker.stopped(push.jobId(), who, System.nanoTime()) ? Settled.fail(stoppedReason(who))
                            : attempt(push, host, service);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "notification " + push.jobId() + ": the push to " + push.subscriptionId()
                            + " failed inside Herald", e);
                    settled = Settled.fail("internal error");
                } finally {
                    permits.release();
                }
                whenSettled.accept(settled);
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            throw e;
        }
    }

    /** A push of the deployment's warm-up (to its loopback sink): no push service's, so the doctor's record never sees it. */
    boolean warmUpPush(Push push, String host) {
        if (client.warmUpSink == null || !"127.0.0.1".equals(host)) {
            return false;
        }
        try {
            return client.toWarmUpSink(URI.create(push.subscription().endpoint()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The report's reason for a push the breaker held back: "apple: sending stopped after repeated configuration errors". */
    static String stoppedReason(String who) {
        return who + ": sending stopped after repeated configuration errors";
    }

    Settled attempt(Push push, String host, PushService service) {
        var result = send(push);
        var outcome = Outcome.classify(result, service, retryAfterDefault, retryAfterMax);
        if (!warmUpPush(push, host)) {
            seen.record(host, outcome);
        }
        return switch (outcome.kind()) {
            case SENT -> Settled.sent();
            case REMOVE -> Settled.remove(outcome.reason());
            case PAUSE_HOST -> {
                pauses.pause(host, outcome.pause(), System.nanoTime());
                yield retryOrFail(push, outcome.pause(), outcome);
            }
            case RETRY -> retryOrFail(push, backoff.delay(push.retries() + 1, ThreadLocalRandom.current().nextDouble()), outcome);
            // never sent: again after the first retry's delay, with the tries it had
            case WAIT -> Settled.later(backoff.delay(1, ThreadLocalRandom.current().nextDouble()), outcome.reason(), push.retries());
            case FAIL -> {
                if (outcome.configurationProblem()) {
                    configurationError(push, host, service.who(host), outcome);
                } else if (outcome.cause() == Outcome.Cause.PAYLOAD && warned.add(push.jobId() + " " + host + " payload")) {
                    LOG.severe(() -> "BUG: " + host + " refused a push of notification " + push.jobId() + " as too large ("
                            + outcome.reason() + details(outcome) + ") although Herald checks the payload size before it sends; "
                            + "please report it. Further such answers for this notification and host are not logged.");
                }
                yield Settled.fail(outcome.reason(), outcome.subscriptionsFault());
            }
        };
    }

    /** Logs the first of a job's configuration errors per service, counts it, and says what to fix when the breaker trips. */
    void configurationError(Push push, String host, String who, Outcome outcome) {
        if (warned.add(push.jobId() + " " + who + " config")) {
            LOG.warning(() -> "VAPID setup is probably wrong: " + host + " answered " + outcome.reason() + details(outcome)
                    + " for notification " + push.jobId() + " (" + Outcome.fix(outcome.reason()) + "). Further such answers"
                    + " from this service are not logged.");
        }
        if (breaker.count(push.jobId(), who)) {
            LOG.severe(() -> "notification " + push.jobId() + ": sending to " + who + " stopped after " + breaker.limit()
                    + " configuration errors (last: " + outcome.reason() + "). To fix: " + Outcome.fix(outcome.reason())
                    + ". Its remaining pushes there count as failed (\"" + stoppedReason(who) + "\"); send the notification again once fixed.");
        }
    }

    static String details(Outcome outcome) {
        return outcome.detail() == null ? "" : ": " + outcome.detail();
    }

    PushResult send(Push push) {
        try {
            return client.send(push.subscription(), push.message().payload(), push.message().options());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PushResult.NoAnswer("interrupted");
        }
    }

    Settled retryOrFail(Push push, Duration delay, Outcome outcome) {
        return backoff.exhausted(push.retries()) ? Settled.fail(outcome.reason(), outcome.subscriptionsFault())
                : Settled.later(delay, outcome.reason(), push.retries() + 1);
    }

    static String host(Push push) {
        try {
            return URI.create(push.subscription().endpoint()).getHost();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
