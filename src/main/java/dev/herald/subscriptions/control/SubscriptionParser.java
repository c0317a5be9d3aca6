package dev.herald.subscriptions.control;

import dev.herald.encryption.control.P256;
import dev.herald.platform.control.JsonBody;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
import java.time.Clock;

/**
 * Turns a client's PushSubscription JSON into a Subscription, or says exactly what is wrong.
 * Unknown members are ignored so that browsers may add fields.
 */
@ApplicationScoped
public class SubscriptionParser {

    @Inject
    EndpointPolicy endpoints;

    Clock clock = Clock.systemUTC();

    public Subscription parse(JsonObject json) {
        String endpoint = string(json, "endpoint");
        endpoints.check(endpoint);
        JsonValue keysValue = json.get("keys");
        if (keysValue == null || keysValue.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadRequestException("keys is required: an object with p256dh and auth.");
        }
        JsonObject keys = keysValue.asJsonObject();
        String p256dh = string(keys, "p256dh");
        String auth = string(keys, "auth");
        checkP256dh(p256dh);
        checkAuth(auth);
        return new Subscription(endpoint, expirationTime(json), new Subscription.Keys(p256dh, auth));
    }

    static String string(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new BadRequestException(name + " is required.");
        }
        if (!(value instanceof JsonString text)) {
            throw new BadRequestException(name + " must be a string, not " + value.getValueType().name().toLowerCase() + ".");
        }
        return text.getString();
    }

    static byte[] base64Url(String name, String value) {
        try {
            return P256.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("keys." + name + " is not base64url: " + e.getMessage() + ".");
        }
    }

    static void checkP256dh(String value) {
        byte[] bytes = base64Url("p256dh", value);
        try {
            P256.decodeUncompressed(bytes);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("keys.p256dh " + e.getMessage() + ".");
        }
    }

    static void checkAuth(String value) {
        byte[] bytes = base64Url("auth", value);
        if (bytes.length != 16) {
            throw new BadRequestException("keys.auth must decode to exactly 16 bytes, got " + bytes.length + ".");
        }
    }

    Long expirationTime(JsonObject json) {
        if (JsonBody.isNull(json, "expirationTime")) {
            return null;
        }
        if (!(json.get("expirationTime") instanceof JsonNumber number)) {
            throw new BadRequestException("expirationTime must be null or a number of epoch milliseconds.");
        }
        long millis;
        try {
            millis = number.longValueExact();
        } catch (ArithmeticException e) {
            throw new BadRequestException("expirationTime must be a whole number of epoch milliseconds.");
        }
        if (millis <= clock.millis()) {
            throw new BadRequestException("expirationTime " + millis + " is in the past; the subscription has already expired.");
        }
        return millis;
    }
}
