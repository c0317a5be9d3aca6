package dev.herald.delivery.control;

import dev.herald.delivery.entity.Notification;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.ServiceUnavailableException;
import java.io.StringReader;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.params.ScanParams;

/**
 * Sends one notification to every subscription (or the targeted ones) in the background.
 * The walk, one task on the managed executor, goes over the id set in SSCAN batches, claims
 * and reads each batch, and hands each push to Pushes, which waits while too many are in
 * flight: the walk never runs ahead, and memory does not grow with the number of subscribers.
 */
@ApplicationScoped
public class FanOut {

    static final Logger LOG = Logger.getLogger(FanOut.class.getName());
    // Json.createReader looks the provider up (a class-path scan) on every call
    static final JsonProvider JSON = JsonProvider.provider();

    @Resource
    ManagedExecutorService executor;

    @Inject
    SubscriptionStore store;

    @Inject
    SubscriptionClaims claims;

    @Inject
    Jobs jobs;

    @Inject
    Pushes pushes;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

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
            pushes.settle(job);
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
            pushes.start(job, new Pushes.Target(id, subscription, host));
        }
        pushes.progress(job);
    }

    static Subscription parse(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return Subscription.fromStored(reader.readObject());
        }
    }
}
