package dev.herald.subscriptions.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * A browser's PushSubscription as it arrives (W3C Push API toJSON) and as it is stored.
 * expirationTime is epoch milliseconds or null.
 */
public record Subscription(String endpoint, Long expirationTime, Keys keys) {

    // Json.createReader looks the provider up (a class-path scan) on every call; the fan-out reads thousands a second
    static final JsonProvider JSON = JsonProvider.provider();

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

    /** Reads a record this application stored (its JSON text); input from clients goes through SubscriptionParser. */
    public static Subscription fromStored(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return fromStored(reader.readObject());
        }
    }

    /** Reads a record this application stored; input from clients goes through SubscriptionParser. */
    public static Subscription fromStored(JsonObject json) {
        JsonObject keys = json.getJsonObject("keys");
        Long expiration = json.isNull("expirationTime") ? null : json.getJsonNumber("expirationTime").longValueExact();
        return new Subscription(json.getString("endpoint"), expiration,
                new Keys(keys.getString("p256dh"), keys.getString("auth")));
    }
}
