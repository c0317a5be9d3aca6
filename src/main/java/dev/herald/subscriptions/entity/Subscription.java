package dev.herald.subscriptions.entity;

import dev.herald.platform.control.JsonBody;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;

/**
 * A browser's PushSubscription as it arrives (W3C Push API toJSON) and as it is stored.
 * expirationTime is epoch milliseconds or null. timezone is the IANA zone the page reported
 * (null when none was given), kept as given even when Java does not know it: zone() tells.
 * vapidKey: the fingerprint of the VAPID key it was made with, as stored (null: not known, the current key).
 */
public record Subscription(String endpoint, Long expirationTime, Keys keys, String timezone, String vapidKey) {

    public Subscription(String endpoint, Long expirationTime, Keys keys, String timezone) {
        this(endpoint, expirationTime, keys, timezone, null);
    }

    public Subscription(String endpoint, Long expirationTime, Keys keys) {
        this(endpoint, expirationTime, keys, null);
    }

    /** The subscriber's zone, or empty when none was given or Java does not know it. */
    public java.util.Optional<java.time.ZoneId> zone() {
        if (timezone == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.time.ZoneId.of(timezone));
        } catch (java.time.DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    public record Keys(String p256dh, String auth) {
    }

    public boolean expiredAt(long epochMillis) {
        return expirationTime != null && expirationTime <= epochMillis;
    }

    public JsonObjectBuilder toJson() {
        JsonObjectBuilder builder = JsonBody.object().add("endpoint", endpoint);
        if (expirationTime == null) {
            builder.addNull("expirationTime");
        } else {
            builder.add("expirationTime", expirationTime);
        }
        builder.add("keys", JsonBody.object().add("p256dh", keys.p256dh()).add("auth", keys.auth()));
        if (timezone != null) {
            builder.add("timezone", timezone);
        }
        return builder;
    }

    /**
     * Reads the compact fields the store keeps (SubscriptionStore): endpoint, "p256dh.auth", expiration
     * ms or null, zone or null.
     */
    public static Subscription fromFields(String endpoint, String keys, String expiration, String timezone) {
        return fromFields(endpoint, keys, expiration, timezone, null);
    }

    /** As above, with the fingerprint of the VAPID key it was made with (or null). */
    public static Subscription fromFields(String endpoint, String keys, String expiration, String timezone, String vapidKey) {
        int dot = keys.indexOf('.');
        return new Subscription(endpoint, expiration == null ? null : Long.parseLong(expiration),
                new Keys(keys.substring(0, dot), keys.substring(dot + 1)), timezone, vapidKey);
    }

    /** The same subscription, made with the VAPID key of that fingerprint. */
    public Subscription madeWith(String fingerprint) {
        return new Subscription(endpoint, expirationTime, keys, timezone, fingerprint);
    }

    /** The keys as the store keeps them, in one field: "p256dh.auth" (both base64url, which has no dot). */
    public String keysField() {
        return keys.p256dh() + "." + keys.auth();
    }

    /** Reads a record this application stored (its JSON text); input from clients goes through SubscriptionParser. */
    public static Subscription fromStored(String json) {
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(json))) {
            return fromStored(reader.readObject());
        }
    }

    /** Reads a record this application stored; input from clients goes through SubscriptionParser. */
    public static Subscription fromStored(JsonObject json) {
        JsonObject keys = json.getJsonObject("keys");
        Long expiration = json.isNull("expirationTime") ? null : json.getJsonNumber("expirationTime").longValueExact();
        return new Subscription(json.getString("endpoint"), expiration,
                new Keys(keys.getString("p256dh"), keys.getString("auth")), json.getString("timezone", null));
    }
}
