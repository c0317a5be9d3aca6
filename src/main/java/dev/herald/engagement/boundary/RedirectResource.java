package dev.herald.engagement.boundary;

import dev.herald.engagement.control.Engagement;
import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.control.PayloadSettings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * A click that arrives through the link itself (Safari shows a declarative push without a
 * service worker): counts it and sends the browser on (303) to the job's own link, recorded when
 * it was accepted, never a URL from the request, so this is no open redirect. Once the job has
 * expired the click still lands, on Herald's public URL.
 */
@Path("r/{token}")
@RequestScoped
public class RedirectResource {

    @Inject
    EventTokens tokens;

    @Inject
    Engagement engagement;

    @Inject
    PayloadSettings payloads;

    @GET
    public Response follow(@PathParam("token") String text, @QueryParam("action") String action) {
        var token = tokens.verify(text);
        var landing = engagement.landing(token.jobId(), action);
        if (landing.isEmpty()) {
            var home = payloads.format().publicUrl();
            if (home == null) {
                throw new NotFoundException("Notification " + token.jobId() + " is no longer kept, nor is where this link led.");
            }
            return Response.seeOther(home).header("Cache-Control", "no-store").build();
        }
        engagement.count(token, "clicked", action);
        URI target = payloads.format().publicUrl() == null ? URI.create(landing.get()) : payloads.format().publicUrl().resolve(landing.get());
        return Response.seeOther(target).header("Cache-Control", "no-store").build();
    }
}
