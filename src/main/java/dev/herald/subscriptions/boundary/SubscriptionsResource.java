package dev.herald.subscriptions.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Uuids;
import dev.herald.subscriptions.control.SubscriptionParser;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.vapid.control.VapidKeys;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
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

@Path("")
@RequestScoped
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

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @GET
    @Path("subscribe")
    public JsonObject publicKey() {
        return Json.createObjectBuilder().add("public_key", vapid.publicKeyBase64Url()).build();
    }

    @POST
    @Path("subscribe")
    public Response subscribe(InputStream body) {
        var subscription = parser.parse(JsonBody.read(body, MAX_BODY, headers.getLength()));
        var upserted = store.upsert(subscription);
        var entity = Json.createObjectBuilder().add("id", upserted.id()).build();
        URI location = uriInfo.getBaseUriBuilder().path("subscriptions").path(upserted.id()).build();
        return (upserted.created() ? Response.created(location) : Response.ok().location(location))
                .entity(entity).build();
    }

    @GET
    @Path("subscriptions/{id}")
    public JsonObject subscription(@PathParam("id") String id) {
        var subscription = store.find(Uuids.check(id, "a subscription"))
                .orElseThrow(() -> new NotFoundException("No subscription " + id + "."));
        return subscription.toJson().add("id", id).build();
    }

    @POST
    @Path("unsubscribe")
    public JsonObject unsubscribe(InputStream body) {
        JsonObject json = JsonBody.read(body, MAX_BODY, headers.getLength());
        if (JsonBody.isNull(json, "client_uuid")) {
            throw new BadRequestException("client_uuid is required: the id that subscribe returned.");
        }
        if (!(json.get("client_uuid") instanceof jakarta.json.JsonString id)) {
            throw new BadRequestException("client_uuid must be a string.");
        }
        store.delete(Uuids.check(id.getString(), "a subscription"));
        return Json.createObjectBuilder().add("message", "unsubscribed").build();
    }

    @DELETE
    @Path("subscriptions/{id}")
    public Response delete(@PathParam("id") String id) {
        store.delete(Uuids.check(id, "a subscription"));
        return Response.noContent().build();
    }
}
