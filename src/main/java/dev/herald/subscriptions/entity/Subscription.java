package dev.herald.subscriptions.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * A browser's PushSubscription as it arrives (W3C Push API toJSON) and as it is stored.
 * expirationTime is epoch milliseconds or null.
 */
public record Subscription(String endpoint, Long expirationTime, Keys keys) {

    public record Keys(String p256dh, String auth) {
    }

    public boolean expiredAt(long epochMillis) {
        return expirationTime != null && expirationTime <= epochMillis;
    }

    public JsonObjectBuilder toJson() {
        JsonObjectBuilder builder = Json.createObjectBuilder().add("endpoint", endpoint);
        if (expirationTime == null) {
            builder.addNull("expirationTime");
        } else {
            builder.add("expirationTime", expirationTime);
        }
        return builder.add("keys", Json.createObjectBuilder().add("p256dh", keys.p256dh()).add("auth", keys.auth()));
    }

    /** Reads a record this application stored; input from clients goes through SubscriptionParser. */
    public static Subscription fromStored(JsonObject json) {
        JsonObject keys = json.getJsonObject("keys");
        Long expiration = json.isNull("expirationTime") ? null : json.getJsonNumber("expirationTime").longValueExact();
        return new Subscription(json.getString("endpoint"), expiration,
                new Keys(keys.getString("p256dh"), keys.getString("auth")));
    }
}
