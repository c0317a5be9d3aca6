package dev.herald.subscriptions.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.subscriptions.control.Channels;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The declared channels, for the subscribe page (public). */
@Path("channels")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ChannelsResource {

    @Inject
    Channels channels;

    @GET
    public JsonArray all() {
        var array = JsonBody.array();
        channels.all().forEach(channel -> array.add(JsonBody.object().add("id", channel.id()).add("label", channel.label())));
        return array.build();
    }
}
