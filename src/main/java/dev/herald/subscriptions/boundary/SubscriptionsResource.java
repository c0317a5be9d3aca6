package dev.herald.subscriptions.boundary;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Uuids;
import dev.herald.security.control.ApiTokens;
import dev.herald.subscriptions.control.Channels;
import dev.herald.subscriptions.control.SubscriptionParser;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.control.UserIds;
import dev.herald.subscriptions.entity.Removal;
import dev.herald.subscriptions.entity.StoredSubscription;
import dev.herald.subscriptions.entity.Subscribing;
import dev.herald.vapid.control.VapidKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;

// one instance for all requests (a request-scoped one cost Weld and HK2 a bean per subscribe: README "Performance");
// what belongs to a request (its headers, its URI) comes in as method parameters
@Path("")
@ApplicationScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    static final int MAX_BODY = 8 * 1024;

    @Inject
    SubscriptionStore store;

    @Inject
    SubscriptionParser parser;

    @Inject
    VapidKeys vapid;

    @Inject
    Channels channels;

    @Inject
    ApiTokens tokens;

    @GET
    @Path("subscribe")
    public JsonObject publicKey() {
        return JsonBody.object().add("public_key", vapid.publicKeyBase64Url()).build();
    }

    @POST
    @Path("subscribe")
    public Response subscribe(InputStream body, @Context HttpHeaders headers, @Context UriInfo uriInfo) {
        JsonObject json = JsonBody.read(body, MAX_BODY, headers.getLength());
        var upserted = store.upsert(request(json, headers));
        var entity = JsonBody.object().add("id", upserted.id()).build();
        URI location = uriInfo.getBaseUriBuilder().path("subscriptions").path(upserted.id()).build();
        return (upserted.created() ? Response.created(location) : Response.ok().location(location))
                .entity(entity).build();
    }

    /**
     * The subscribe body: the browser's subscription, and what it names of channels, user (only with the API
     * token: only the site's backend knows who is who), zone and the subscription it replaces.
     */
    Subscribing request(JsonObject json, HttpHeaders headers) {
        String user = null;
        boolean authorized = tokens.scopeOf(bearer(headers)).isPresent();
        if (!JsonBody.isNull(json, "user")) {
            if (!authorized) {
                throw new NotAuthorizedException("Binding a subscription to a user needs the API token (Authorization: Bearer): "
                        + "only the site's backend knows who is who. Nothing was stored.", "Bearer realm=\"herald\"");
            }
            user = UserIds.check("user", "/user", json.get("user"));
        }
        var subscription = parser.parse(json);
        if (!JsonBody.isNull(json, "application_server_key")) {
            subscription = subscription.madeWith(madeWith(json.get("application_server_key")));
        }
        var channelIds = JsonBody.isNull(json, "channels") ? null : channels.checkSubscription(json.get("channels"));
        String replaces = null;
        if (!JsonBody.isNull(json, "replaces")) {
            if (!(json.get("replaces") instanceof JsonString text) || !Uuids.valid(text.getString())) {
                throw new InvalidField("/replaces", "replaces must be the id of the subscription this one replaces (a lower-case UUID).");
            }
            replaces = text.getString();
        }
        return new Subscribing(subscription, channelIds, user, json.containsKey("timezone"), replaces, authorized);
    }

    /** The fingerprint of the key the browser made the subscription with: one of this server's. */
    String madeWith(jakarta.json.JsonValue value) {
        String detail = "application_server_key must be the VAPID public key the subscription was made with (base64url), "
                + "one of this server's; GET /api/subscribe gives the current one. Nothing was stored.";
        if (!(value instanceof JsonString text)) {
            throw new InvalidField("/application_server_key", detail);
        }
        try {
            return vapid.find(VapidKeys.fingerprint(text.getString())).orElseThrow(() -> new InvalidField("/application_server_key", detail)).fingerprint();
        } catch (IllegalArgumentException e) {
            throw new InvalidField("/application_server_key", detail);
        }
    }

    @GET
    @Path("subscriptions/{id}")
    public JsonObject subscription(@PathParam("id") String id) {
        return stored(id).toPublicJson().build();
    }

    /** Replaces the subscription's channels; public like GET: the unguessable id is the capability. */
    @PUT
    @Path("subscriptions/{id}/channels")
    public JsonObject setChannels(@PathParam("id") String id, InputStream body, @Context HttpHeaders headers) {
        JsonObject json = JsonBody.read(body, MAX_BODY, headers.getLength());
        if (JsonBody.isNull(json, "channels")) {
            throw new InvalidField("/channels", "channels is required: an array of channel ids ([] for none).");
        }
        var ids = channels.checkSubscription(json.get("channels"));
        if (!store.setChannels(Uuids.check(id, "a subscription"), ids)) {
            throw notFound(id);
        }
        return stored(id).toPublicJson().build();
    }

    /** Binds the subscription to a user (API token). */
    @PUT
    @Path("subscriptions/{id}/user")
    public JsonObject bindUser(@PathParam("id") String id, InputStream body, @Context HttpHeaders headers) {
        JsonObject json = JsonBody.read(body, MAX_BODY, headers.getLength());
        if (JsonBody.isNull(json, "user")) {
            throw new InvalidField("/user", "user is required: the site's id of the person (DELETE this path to unbind).");
        }
        String user = UserIds.check("user", "/user", json.get("user"));
        if (!store.setUser(Uuids.check(id, "a subscription"), user)) {
            throw notFound(id);
        }
        return stored(id).toJsonWithUser().build();
    }

    @DELETE
    @Path("subscriptions/{id}/user")
    public JsonObject unbindUser(@PathParam("id") String id) {
        if (!store.setUser(Uuids.check(id, "a subscription"), null)) {
            throw notFound(id);
        }
        return stored(id).toJsonWithUser().build();
    }

    StoredSubscription stored(String id) {
        return store.findStored(Uuids.check(id, "a subscription")).orElseThrow(() -> notFound(id));
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("No subscription " + id + ".");
    }

    static String bearer(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
    }

    @POST
    @Path("unsubscribe")
    public JsonObject unsubscribe(InputStream body, @Context HttpHeaders headers) {
        JsonObject json = JsonBody.read(body, MAX_BODY, headers.getLength());
        if (JsonBody.isNull(json, "client_uuid")) {
            throw new InvalidField("/client_uuid", "client_uuid is required: the id that subscribe returned.");
        }
        if (!(json.get("client_uuid") instanceof jakarta.json.JsonString id)) {
            throw new InvalidField("/client_uuid", "client_uuid must be a string.");
        }
        store.delete(Uuids.check(id.getString(), "a subscription", "/client_uuid"), Removal.UNSUBSCRIBED);
        return JsonBody.object().add("message", "unsubscribed").build();
    }

    @DELETE
    @Path("subscriptions/{id}")
    public Response delete(@PathParam("id") String id) {
        store.delete(Uuids.check(id, "a subscription"), Removal.UNSUBSCRIBED);
        return Response.noContent().build();
    }
}
