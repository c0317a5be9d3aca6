package dev.herald.webhooks.control;

import dev.herald.platform.control.JsonBody;
import dev.herald.fanout.control.JobStore;
import dev.herald.fanout.entity.JobReport;
import dev.herald.platform.control.CommaList;
import dev.herald.webhooks.entity.Claim;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Takes webhook events from the outbox to their targets, on every instance that has
 * herald.webhooks.urls: one loop thread claims what is due (with a lease), sends it, all claimed
 * at once, and records each answer. A 2xx within 10 s delivers the event to that target; anything
 * else (another status, a redirect, which is never followed, no answer) is tried again by
 * RetrySchedule, and given up on after 24 hours with one SEVERE line and a count in Redis.
 */
@ApplicationScoped
public class Courier {

    static final Logger LOG = Logger.getLogger(Courier.class.getName());
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Longer than the slowest attempt (connect plus answer, 20 s): a lease ends only when its instance is gone or stuck. */
    static final Duration LEASE = Duration.ofSeconds(60);
    static final int AT_ONCE = 32;
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Outbox outbox;

    @Inject
    JobStore jobs;

    @Inject
    @ConfigProperty(name = "herald.webhooks.urls")
    Optional<String> urlSetting;

    @Inject
    @ConfigProperty(name = "herald.webhooks.secret")
    Optional<String> secretSetting;

    WebhookTargets targets;
    HttpClient client;
    volatile boolean running;
    Thread loop;
    final Object signal = new Object();

    /** After the beans it uses are made on the deploying thread (TomEE 9), before the fan-out Worker. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER - 1) @Initialized(ApplicationScoped.class) Object ignored) {
        targets = WebhookTargets.of(CommaList.of(urlSetting), CommaList.of(secretSetting));
        if (targets.urls().isEmpty()) {
            ignoreFailure("clearing the webhook targets", () -> outbox.publishTargets(List.of()));
            LOG.config("webhooks: none configured (herald.webhooks.urls), no events recorded");
            return;
        }
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT).executor(Runnable::run).build();
        running = true;
        loop = threads.newThread(this::run);
        loop.setName("herald-webhooks");
        loop.start();
        LOG.info(() -> "webhooks: " + targets.urls().size() + " target(s) " + targets.printable() + ", " + targets.secrets().size()
                + " signing secret(s)");
    }

    void run() {
        long publishAt = 0;
        long pause = 0;
        while (running) {
            try {
                if (System.nanoTime() - publishAt >= 0) {
                    // again and again: a Redis that lost its data has the targets back within a second
                    outbox.publishTargets(targets.urls());
                    publishAt = System.nanoTime() + IDLE_POLL.toNanos();
                }
                var claimed = outbox.claim(AT_ONCE, LEASE);
                deliver(claimed.claims());
                if (pause > 0) {
                    LOG.info("webhooks: Redis answers again");
                }
                pause = 0;
                Duration next = claimed.nextDueIn() == null || claimed.nextDueIn().compareTo(IDLE_POLL) > 0 ? IDLE_POLL : claimed.nextDueIn();
                if (claimed.claims().isEmpty()) {
                    await(next.toMillis());
                }
            } catch (RuntimeException e) {
                if (pause == 0) {
                    LOG.log(Level.WARNING, "webhooks: the outbox failed (" + e + "); trying again until it works");
                }
                pause = pause == 0 ? 100 : Math.min(5000, pause * 2);
                await(pause);
            }
        }
    }

    /** Sends every claim at once, then records each answer. */
    void deliver(List<Claim> claims) {
        var sending = new ArrayList<CompletableFuture<HttpResponse<Void>>>();
        var sent = new ArrayList<Claim>();
        for (Claim claim : claims) {
            String body = claim.body() != null ? claim.body() : outbox.keepBody(claim, body(claim));
            if (body == null) {
                continue;
            }
            sent.add(claim);
            sending.add(client.sendAsync(HttpRequest.newBuilder(java.net.URI.create(claim.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "Herald-Webhooks")
                    .header(Signature.HEADER, Signature.header(targets.secrets(), System.currentTimeMillis() / 1000, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        for (int i = 0; i < sent.size(); i++) {
            Claim claim = sent.get(i);
            String failure = answer(sending.get(i));
            if (failure == null) {
                outbox.delivered(claim);
                continue;
            }
            var next = RetrySchedule.next(claim.created().toEpochMilli(), claim.attempt(), outbox.now(), ThreadLocalRandom.current().nextDouble());
            if (outbox.failed(claim, next) == Outbox.Failed.GIVEN_UP) {
                LOG.severe(() -> "webhooks: gave up on event " + claim.eventId() + " (" + claim.type() + ") to "
                        + WebhookTargets.printable(claim.url()) + " after " + claim.attempt() + " attempts over "
                        + RetrySchedule.GIVE_UP_AFTER + "; the last: " + failure);
            } else {
                LOG.fine(() -> "webhooks: event " + claim.eventId() + " to " + WebhookTargets.printable(claim.url()) + ", attempt "
                        + claim.attempt() + ": " + failure);
            }
        }
    }

    /** null when the target has the event (2xx), else what went wrong. */
    static String answer(CompletableFuture<HttpResponse<Void>> sending) {
        try {
            int status = sending.get(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS).statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return "no answer (" + e.getCause().getClass().getSimpleName() + ")";
        } catch (java.util.concurrent.TimeoutException e) {
            sending.cancel(true);
            return "no answer (timeout)";
        }
    }

    /** The JSON sent: id, type, created and data; a job's event carries the job's report as GET /api/notifications/{id} shows it. */
    String body(Claim claim) {
        JsonObject data;
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(claim.data()))) {
            data = reader.readObject();
        }
        if (claim.type().startsWith("notification.")) {
            String job = data.getString("notification");
            data = jobs.report(job).map(JobReport::toJson).orElse(JsonBody.object().add("id", job).build());
        }
        return JsonBody.object().add("id", claim.eventId()).add("type", claim.type())
                .add("created", claim.created().toString()).add("data", data).build().toString();
    }

    void await(long millis) {
        synchronized (signal) {
            if (running && millis > 0) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** Undeploy or SIGTERM: the loop ends after the attempts in hand; what it did not record comes due again when its lease ends. */
    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            loop.join(TIMEOUT.toMillis() * 3 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void ignoreFailure(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warning(() -> "webhooks: " + what + " failed (" + e.getMessage() + ")");
        }
    }
}
