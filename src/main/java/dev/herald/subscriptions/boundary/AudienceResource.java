package dev.herald.subscriptions.boundary;

import dev.herald.subscriptions.control.Channels;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Channel;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** How many subscriptions, users, and per channel and push service (admin token); from counters, never a scan. */
@Path("audience")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AudienceResource {

    @Inject
    SubscriptionStore store;

    @Inject
    Channels channels;

    @GET
    public JsonObject overview() {
        return store.audience(channels.all().stream().map(Channel::id).toList());
    }
}
