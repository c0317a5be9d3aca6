package dev.herald.subscriptions.control;

import dev.herald.encryption.control.P256;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.JsonBody;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;

/**
 * Turns a client's PushSubscription JSON into a Subscription, or says exactly what is wrong.
 * Unknown members are ignored so that browsers may add fields.
 */
@ApplicationScoped
public class SubscriptionParser {

    /** IANA names are far shorter (the longest is 32); the cap only bounds what a client may store. */
    static final int MAX_TIMEZONE = 64;

    @Inject
    EndpointPolicy endpoints;

    Clock clock = Clock.systemUTC();

    public Subscription parse(JsonObject json) {
        String endpoint = string(json, "endpoint", "/endpoint");
        endpoints.check(endpoint);
        JsonValue keysValue = json.get("keys");
        if (keysValue == null || keysValue.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidField("/keys", "keys is required: an object with p256dh and auth.");
        }
        JsonObject keys = keysValue.asJsonObject();
        String p256dh = string(keys, "p256dh", "/keys/p256dh");
        String auth = string(keys, "auth", "/keys/auth");
        checkP256dh(p256dh);
        checkAuth(auth);
        return new Subscription(endpoint, expirationTime(json), new Subscription.Keys(p256dh, auth), timezone(json));
    }

    static String string(JsonObject json, String name, String pointer) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidField(pointer, name + " is required.");
        }
        if (!(value instanceof JsonString text)) {
            throw new InvalidField(pointer, name + " must be a string, not " + value.getValueType().name().toLowerCase() + ".");
        }
        return text.getString();
    }

    static byte[] base64Url(String name, String value) {
        try {
            return P256.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("/keys/" + name, "keys." + name + " is not base64url: " + e.getMessage() + ".");
        }
    }

    static void checkP256dh(String value) {
        byte[] bytes = base64Url("p256dh", value);
        try {
            P256.decodeUncompressed(bytes);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("/keys/p256dh", "keys.p256dh " + e.getMessage() + ".");
        }
    }

    static void checkAuth(String value) {
        byte[] bytes = base64Url("auth", value);
        if (bytes.length != 16) {
            throw new InvalidField("/keys/auth", "keys.auth must decode to exactly 16 bytes, got " + bytes.length + ".");
        }
    }

    /**
     * The browser's IANA zone (Intl.DateTimeFormat().resolvedOptions().timeZone), kept as given, or
     * null when absent. A name Java does not know is kept too (Subscription.zone() treats it as unknown):
     * the tz database gains zones before a JDK does. IANA names are printable ASCII, so only that is accepted.
     */
    static String timezone(JsonObject json) {
        if (JsonBody.isNull(json, "timezone")) {
            return null;
        }
        JsonValue value = json.get("timezone");
        if (!(value instanceof JsonString text)) {
            throw new InvalidField("/timezone", "timezone must be null or a string such as \"Europe/Berlin\", not "
                    + value.getValueType().name().toLowerCase() + ".");
        }
        String zone = text.getString();
        if (zone.isEmpty()) {
            throw new InvalidField("/timezone", "timezone is empty; send an IANA zone such as \"Europe/Berlin\", or omit it.");
        }
        if (zone.length() > MAX_TIMEZONE) {
            throw new InvalidField("/timezone", "timezone is longer than " + MAX_TIMEZONE + " characters (" + zone.length() + ").");
        }
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new InvalidField("/timezone", String.format("timezone has the character U+%04X at index %d; only printable "
                        + "ASCII without spaces (0x21-0x7E) is allowed, as in IANA names such as \"Europe/Berlin\".", (int) c, i));
            }
        }
        return zone;
    }

    Long expirationTime(JsonObject json) {
        if (JsonBody.isNull(json, "expirationTime")) {
            return null;
        }
        if (!(json.get("expirationTime") instanceof JsonNumber number)) {
            throw new InvalidField("/expirationTime", "expirationTime must be null or a number of epoch milliseconds.");
        }
        long millis;
        try {
            millis = number.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidField("/expirationTime", "expirationTime must be a whole number of epoch milliseconds.");
        }
        if (millis <= clock.millis()) {
            throw new InvalidField("/expirationTime", "expirationTime " + millis + " is in the past; the subscription has already expired.");
        }
        return millis;
    }
}
