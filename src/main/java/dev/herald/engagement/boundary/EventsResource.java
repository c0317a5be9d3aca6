package dev.herald.engagement.boundary;

import dev.herald.engagement.control.Engagement;
import dev.herald.engagement.control.EventTokens;
import dev.herald.engagement.entity.EventToken;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Text;
import dev.herald.platform.control.Uuids;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Set;

/**
 * What the service worker reports of a push (public, proven by the push's token): shown, clicked
 * (with the action, if one was clicked) or closed. 204 whether it counted now or before, so a
 * replay learns nothing and changes nothing.
 */
@Path("notifications/{id}/events")
@RequestScoped
public class EventsResource {

    static final int MAX_BODY = 1024;
    static final Set<String> FIELDS = Set.of("type", "token", "action");

    @Inject
    EventTokens tokens;

    @Inject
    Engagement engagement;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(@PathParam("id") String id, InputStream body) {
        if (!Uuids.valid(id)) {
            throw new BadRequestException("'" + Text.abbreviate(id) + "' is not a notification id (a lower-case UUID).");
        }
        JsonObject event = JsonBody.read(body, MAX_BODY);
        var unknown = event.keySet().stream().filter(name -> !FIELDS.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidField("/" + unknown.get(0), "Unknown field(s) " + String.join(", ", unknown) + "; allowed: action, token, type.");
        }
        String type = string(event, "type");
        if (type == null || !Engagement.EVENTS.contains(type)) {
            throw new InvalidField("/type", "type must be shown, clicked or closed.");
        }
        String action = string(event, "action");
        if (action != null && !"clicked".equals(type)) {
            throw new InvalidField("/action", "action goes with type clicked only.");
        }
        var token = verify(string(event, "token"));
        if (!token.jobId().equals(id)) {
            throw new ForbiddenException("This engagement token was not made for notification " + id + ".");
        }
        engagement.count(token, type, action);
        return Response.noContent().build();
    }

    /** A malformed token is a field error here (the click route has it in its path); a forged one stays 403. */
    EventToken verify(String token) {
        try {
            return tokens.verify(token);
        } catch (BadRequestException e) {
            throw new InvalidField("/token", e.getMessage());
        }
    }

    static String string(JsonObject json, String name) {
        if (JsonBody.isNull(json, name)) {
            return null;
        }
        if (!(json.get(name) instanceof JsonString text)) {
            throw new InvalidField("/" + name, name + " must be a string.");
        }
        return text.getString();
    }
}
