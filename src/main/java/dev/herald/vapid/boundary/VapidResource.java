package dev.herald.vapid.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.vapid.control.VapidKeys;
import dev.herald.vapid.entity.VapidKey;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The VAPID keyring: list (send token: public keys and counts only), rotate and remove (admin token).
 * Private keys never leave the server.
 */
@Path("vapid")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class VapidResource {

    @Inject
    VapidKeys keys;

    @Inject
    SubscriptionStore store;

    @GET
    @Path("keys")
    public JsonArray list() {
        Map<String, Long> counts = store.perVapidKey();
        var list = JsonBody.array();
        keys.all().forEach(key -> list.add(json(key, counts)));
        return list.build();
    }

    @POST
    @Path("rotate")
    public Response rotate() {
        return Response.ok(json(keys.rotate(), store.perVapidKey())).build();
    }

    /** Refuses while subscriptions use the key, unless force: then they are removed too (reason "key removed"). */
    @DELETE
    @Path("keys/{fingerprint}")
    public JsonObject remove(@PathParam("fingerprint") String fingerprint, @QueryParam("force") boolean force) {
        keys.removable(fingerprint);
        long used = store.perVapidKey().getOrDefault(fingerprint, 0L);
        if (used > 0 && !force) {
            throw new ClientErrorException(used + " subscriptions were made with the key " + fingerprint + "; they would get no "
                    + "more pushes. Wait until visitors have moved to the current key, or remove them too with ?force=true.",
                    Response.Status.CONFLICT);
        }
        long removed = force ? store.deleteMadeWith(fingerprint) : 0;
        keys.remove(fingerprint);
        return JsonBody.object().add("fingerprint", fingerprint).add("removed_subscriptions", removed).build();
    }

    JsonObject json(VapidKey key, Map<String, Long> counts) {
        var json = JsonBody.object().add("fingerprint", key.fingerprint()).add("public_key", key.publicKey())
                .add("current", key.fingerprint().equals(keys.current().fingerprint()));
        if (key.created() == null) {
            json.addNull("created");
        } else {
            json.add("created", key.created().toString());
        }
        return json.add("subscriptions", counts.getOrDefault(key.fingerprint(), 0L)).add("configured", key.configured()).build();
    }
}
