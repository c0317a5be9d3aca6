package dev.herald.subscriptions.entity;

import dev.herald.platform.control.JsonBody;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;

/**
 * A subscription as stored, with what Herald keeps about it: its channels, its user (null when
 * none), and its health: when it was made, its last success (a 2xx; null before the first) and how
 * many deliveries in a row failed in a way that can be its own fault.
 */
public record StoredSubscription(String id, Subscription subscription, List<String> channels, String user, Instant created,
                                 Instant lastSuccess, int failureStreak) {

    public StoredSubscription {
        channels = List.copyOf(channels);
    }

    /** The public view (GET /api/subscriptions/{id}): never the user, who is personal data. */
    public JsonObjectBuilder toPublicJson() {
        var channelIds = JsonBody.array();
        channels.forEach(channelIds::add);
        var json = subscription.toJson().add("id", id).add("channels", channelIds).add("failure_streak", failureStreak);
        if (created != null) {
            json.add("created", created.toString());
        }
        if (lastSuccess != null) {
            json.add("last_success", lastSuccess.toString());
        }
        return json;
    }

    /** For the API token's holder: the public view and the user. */
    public JsonObjectBuilder toJsonWithUser() {
        var json = toPublicJson();
        return user == null ? json.addNull("user") : json.add("user", user);
    }
}
