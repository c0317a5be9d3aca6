package dev.herald.subscriptions.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.control.UserIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A user's subscriptions (admin token): list them, or erase them all (the GDPR erase). */
@Path("users/{user}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    SubscriptionStore store;

    @GET
    @Path("subscriptions")
    public JsonObject subscriptions(@PathParam("user") String user) {
        var list = JsonBody.array();
        for (String id : store.userSubscriptions(UserIds.check("user", user))) {
            store.findStored(id).ifPresent(stored -> list.add(stored.toJsonWithUser()));
        }
        return JsonBody.object().add("user", user).add("subscriptions", list).build();
    }

    /** Removes every subscription of the user, with every index and counter. */
    @DELETE
    public JsonObject erase(@PathParam("user") String user) {
        return JsonBody.object().add("removed", store.eraseUser(UserIds.check("user", user))).build();
    }
}
