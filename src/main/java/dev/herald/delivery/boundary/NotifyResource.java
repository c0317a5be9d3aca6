package dev.herald.delivery.boundary;

import dev.herald.delivery.control.FanOut;
import dev.herald.delivery.control.Jobs;
import dev.herald.delivery.control.NotificationParser;
import dev.herald.delivery.control.PreferWait;
import dev.herald.platform.control.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@Path("")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NotifyResource {

    static final int MAX_BODY = 16 * 1024;
    static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    FanOut fanOut;

    @Inject
    Jobs jobs;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-wait")
    Duration maxWait;

    @POST
    @Path("notify")
    public Response notify(InputStream body, @HeaderParam("Prefer") String prefer, @Context HttpHeaders headers) {
        var notification = NotificationParser.parse(JsonBody.read(body, MAX_BODY, headers.getLength()));
        var job = fanOut.start(notification);
        var location = URI.create("/api/notifications/" + job.id());
        var wait = PreferWait.of(prefer, maxWait);
        if (wait.isPresent() && finishedWithin(job.finished(), wait.get())) {
            var report = jobs.report(job.id()).orElseThrow();
            return Response.ok(report.toJson()).location(location)
                    .header("Preference-Applied", "wait=" + wait.get().toSeconds()).build();
        }
        return Response.accepted(Json.createObjectBuilder().add("id", job.id()).build()).location(location).build();
    }

    @GET
    @Path("notifications/{id}")
    public JsonObject report(@PathParam("id") String id) {
        if (!JOB_ID.matcher(id).matches()) {
            throw new BadRequestException("'" + (id.length() > 40 ? id.substring(0, 40) + "..." : id)
                    + "' is not a notification id (a lower-case UUID).");
        }
        return jobs.report(id).orElseThrow(() -> new NotFoundException("No notification " + id
                + " (job reports are kept for herald.delivery.job-ttl).")).toJson();
    }

    static boolean finishedWithin(java.util.concurrent.CompletableFuture<Void> finished, Duration wait) {
        try {
            finished.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
