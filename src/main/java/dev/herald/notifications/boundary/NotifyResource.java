package dev.herald.notifications.boundary;

import dev.herald.fanout.control.JobStore;
import dev.herald.fanout.control.JobWatch;
import dev.herald.fanout.control.Worker;
import dev.herald.notifications.control.IdempotencyKey;
import dev.herald.notifications.control.Intake;
import dev.herald.notifications.control.ListQuery;
import dev.herald.notifications.control.DeclarativePayload;
import dev.herald.notifications.control.NotificationParser;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.notifications.control.PreferWait;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Uuids;
import dev.herald.subscriptions.control.Channels;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@Path("")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NotifyResource {

    /** Fits 10,000 long user ids; the pushed payload keeps its own limit (PayloadEncryption.MAX_PLAINTEXT). */
    static final int MAX_BODY = 1536 * 1024;

    static final Logger LOG = Logger.getLogger(NotifyResource.class.getName());

    @Inject
    Intake intake;

    /** Where an answer that waited for its job is made (see answer): the container's default executor. */
    @Resource
    ManagedExecutorService executor;

    @Inject
    JobStore jobs;

    @Inject
    JobWatch watch;

    @Inject
    Worker worker;

    @Inject
    Channels channels;

    @Inject
    PayloadSettings payloads;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-wait")
    Duration maxWait;

    @Inject
    @ConfigProperty(name = "herald.notify.idempotency-ttl")
    Duration idempotencyTtl;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @POST
    @Path("notify")
    public CompletionStage<Response> notify(InputStream body, @HeaderParam("Prefer") String prefer) {
        var read = JsonBody.readWithBytes(body, MAX_BODY, headers.getLength());
        var notification = NotificationParser.parse(read.json(), channels, payloads.format());
        if (notification.dryRun()) {
            return CompletableFuture.completedFuture(Response.ok(JsonBody.object().add("reach", jobs.reach(notification.audience()))
                    .add("payload_bytes", DeclarativePayload.forJob(notification.display(), NotificationParser.SOME_JOB_ID, payloads.format()).bytes().length).build()).build());
        }
        var idempotency = IdempotencyKey.of(headers.getRequestHeader(IdempotencyKey.HEADER), bearer(), read.bytes(), idempotencyTtl);
        var accepted = intake.accept(notification, idempotency);
        var id = accepted.jobId();
        var location = uri.getBaseUriBuilder().path("notifications").path(id).build();
        var wait = PreferWait.of(prefer, maxWait).orElse(Duration.ZERO);
        var store = jobs;
        CompletionStage<Response.ResponseBuilder> answer = wait.isZero()
                ? CompletableFuture.completedFuture(accepted(id, location))
                : watch.whenDone(id, wait).thenApplyAsync(done -> answer(store, id, location, wait, done), executor)
                        .exceptionally(refused -> accepted(id, location)); // the executor refused it (stopping): accepted all the same
        return answer.thenApply(builder -> (accepted.replayed() ? builder.header("Idempotent-Replayed", "true") : builder).build());
    }

    /**
     * 200 with the report when the job was done within the wait the client prefers (RFC 7240), else 202 with its id,
     * also when the report cannot be read now: the job is accepted either way, and an error would invite a resend.
     * Runs on the container's executor after the request thread has been given back, so it takes what it needs as
     * arguments instead of reading this request-scoped resource.
     */
    static Response.ResponseBuilder answer(JobStore jobs, String id, URI location, Duration wait, boolean done) {
        if (done) {
            try {
                var report = jobs.report(id);
                if (report.isPresent()) {
                    return Response.ok(report.get().toJson()).location(location).header("Preference-Applied", "wait=" + wait.toSeconds());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notification {0} is done, but its report could not be read for Prefer: wait; answering 202: {1}",
                        new Object[]{id, e.toString()});
            }
        }
        return accepted(id, location);
    }

    static Response.ResponseBuilder accepted(String id, URI location) {
        return Response.accepted(JsonBody.object().add("id", id).build()).location(location);
    }

    @GET
    @Path("notifications/{id}")
    public JsonObject report(@PathParam("id") String id) {
        return jobs.report(Uuids.check(id, "a notification")).orElseThrow(() -> notFound(id)).toJson();
    }

    /** Stops a scheduled or running job on every instance; the answer is its report, the same on a repeat. */
    @DELETE
    @Path("notifications/{id}")
    public JsonObject cancel(@PathParam("id") String id) {
        var outcome = jobs.cancel(Uuids.check(id, "a notification"));
        switch (outcome) {
            case MISSING -> throw notFound(id);
            case FINISHED -> throw new ClientErrorException("Notification " + id + " is done: everything was sent, "
                    + "nothing is left to cancel.", Response.Status.CONFLICT);
            default -> worker.cancelled(id);
        }
        return jobs.report(id).orElseThrow(() -> notFound(id)).toJson();
    }

    @GET
    @Path("notifications")
    public JsonObject list(@QueryParam("state") String state, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        var query = ListQuery.of(state, limit, cursor);
        var page = jobs.list(query.state(), query.limit(), query.after());
        var items = JsonBody.array();
        page.items().forEach(report -> items.add(report.toJson()));
        var json = JsonBody.object().add("items", items);
        if (page.next() != null) {
            json.add("next", page.next().cursor());
        }
        return json.build();
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("No notification " + id + " (job reports are kept for herald.delivery.job-ttl after they finish).");
    }

    String bearer() {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
    }
}
