package dev.herald.notifications.control;

import dev.herald.fanout.control.JobStore;
import dev.herald.fanout.entity.Accepted;
import dev.herald.fanout.entity.Idempotency;
import dev.herald.fanout.entity.Job;
import dev.herald.notifications.entity.Notification;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.Uuids;
import dev.herald.push.entity.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns an accepted notification into a job in Redis. The answer 202 is given only after Redis
 * stored the job with its first work; when Redis cannot take it the answer is 503 and nothing is
 * sent later, except when Redis stored it and then failed to answer: a retry with the same
 * Idempotency-Key is then safe, it finds the job instead of making a second one.
 */
@ApplicationScoped
public class Intake {

    static final Logger LOG = Logger.getLogger(Intake.class.getName());

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @Inject
    JobStore jobs;

    @Inject
    PayloadSettings payloads;

    @Inject
    @ConfigProperty(name = "herald.delivery.topic-per-job")
    boolean topicPerJob;

    public Accepted accept(Notification notification, Optional<Idempotency> idempotency) {
        String id = Uuids.random();
        var written = DeclarativePayload.forJob(notification.display(), id, payloads.format());
        var job = new Job(id, new Message(written.bytes(), notification.options(id, topicPerJob)), notification.audience(),
                notification.title(), notification.plan(), written.links());
        Accepted accepted;
        try {
            accepted = jobs.accept(job, idempotency);
        } catch (JobStore.SendAtOutOfRange e) {
            throw badSendAt(notification.plan().sendAt(), e.now, e.maxAhead);
        } catch (JedisException e) {
            LOG.warning(() -> "notify: Redis did not take the job (" + e + ")");
            throw new ServiceUnavailableException("Redis, where Herald keeps notifications until they are delivered, did not take "
                    + "this one; it will not be sent (unless Redis stored it just before the connection failed: retrying with the "
                    + "same Idempotency-Key is always safe and never sends twice). Try again shortly.", 5L);
        }
        if (!accepted.sameBody()) {
            throw new ClientErrorException("This Idempotency-Key was already used with a different request body (for job "
                    + accepted.jobId() + "); use a new key for a new notification.", 422);
        }
        return accepted;
    }

    /** send_at is judged by Herald's clock (Redis TIME, the one that judges it due), in the accept script itself. */
    static InvalidField badSendAt(Instant sendAt, Instant now, Duration maxAhead) {
        if (sendAt.isBefore(now)) {
            return new InvalidField("/send_at", "send_at " + sendAt + " is in the past (it is " + now + " now); omit send_at to send at once.");
        }
        return new InvalidField("/send_at", "send_at " + sendAt + " is more than " + maxAhead + " ahead (it is " + now + " now; "
                + "herald.notify.max-schedule-ahead).");
    }
}
