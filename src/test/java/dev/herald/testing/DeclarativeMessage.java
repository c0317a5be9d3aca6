package dev.herald.testing;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * What a browser makes of a pushed message, by the W3C Push API's "declarative push message
 * parser" (w3c/push-api, with app_badge from PR #402): problem() names the first rule a message
 * breaks (null when it parses), and whether its links are absolute, as the parser needs them to
 * show it without a service worker. classic() is the message as a service worker from before the
 * declarative format shows it, in the order the notify tests write their expectations.
 */
public final class DeclarativeMessage {

    static final Set<String> DIRS = Set.of("auto", "ltr", "rtl");

    private DeclarativeMessage() {
    }

    public static JsonObject parse(String payload) {
        try (var reader = Json.createReader(new StringReader(payload))) {
            return reader.readObject();
        }
    }

    /** Whether the payload claims to be declarative at all (a "web_push" member). */
    public static boolean claims(String payload) {
        try {
            return parse(payload).containsKey("web_push");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The first parser rule the message breaks; relativeLinksAllowed: a relative navigate only makes it a classic push. */
    public static String problem(String payload, boolean relativeLinksAllowed) {
        JsonObject message;
        try {
            message = parse(payload);
        } catch (RuntimeException e) {
            return "not a JSON object";
        }
        if (!(message.get("web_push") instanceof JsonNumber number) || !number.isIntegral() || number.intValue() != 8030) {
            return "web_push must be the number 8030, is " + message.get("web_push");
        }
        if (!(message.get("notification") instanceof JsonObject notification)) {
            return "notification must be an object";
        }
        if (!(notification.get("title") instanceof JsonString)) {
            return "notification.title must be a string";
        }
        String link = link(notification, "navigate", true, relativeLinksAllowed);
        if (link != null) {
            return link;
        }
        for (String name : new String[] {"body", "lang", "tag"}) {
            if (notification.containsKey(name) && !(notification.get(name) instanceof JsonString)) {
                return "notification." + name + " must be a string";
            }
        }
        if (notification.containsKey("dir") && !(notification.get("dir") instanceof JsonString dir && DIRS.contains(dir.getString()))) {
            return "notification.dir must be auto, ltr or rtl";
        }
        for (String name : new String[] {"icon", "badge", "image"}) {
            String problem = link(notification, name, false, relativeLinksAllowed);
            if (problem != null) {
                return problem;
            }
        }
        for (String name : new String[] {"silent", "requireInteraction", "renotify", "mutable"}) {
            if (notification.containsKey(name) && notification.get(name) != JsonValue.TRUE && notification.get(name) != JsonValue.FALSE) {
                return "notification." + name + " must be a boolean";
            }
        }
        if (notification.containsKey("actions")) {
            if (notification.get("actions").getValueType() != JsonValue.ValueType.ARRAY) {
                return "notification.actions must be an array";
            }
            for (JsonValue value : notification.getJsonArray("actions")) {
                if (!(value instanceof JsonObject action) || !(action.get("action") instanceof JsonString)
                        || !(action.get("title") instanceof JsonString)) {
                    return "each action needs action and title strings";
                }
                String problem = link(action, "navigate", true, relativeLinksAllowed);
                if (problem != null) {
                    return "action " + problem;
                }
            }
        }
        if (message.containsKey("app_badge") && !(message.get("app_badge") instanceof JsonNumber badge && badge.isIntegral()
                && badge.longValue() >= 0)) {
            return "app_badge must be an unsigned integer";
        }
        if (message.containsKey("mutable") && message.get("mutable") != JsonValue.TRUE && message.get("mutable") != JsonValue.FALSE) {
            return "mutable must be a boolean";
        }
        return null;
    }

    static String link(JsonObject object, String name, boolean required, boolean relativeAllowed) {
        if (!object.containsKey(name)) {
            return required ? name + " is required" : null;
        }
        if (!(object.get(name) instanceof JsonString text)) {
            return name + " must be a string";
        }
        try {
            URI uri = new URI(text.getString());
            return uri.isAbsolute() || relativeAllowed ? null : name + " must be an absolute URL, is " + text.getString();
        } catch (URISyntaxException e) {
            return name + " is not a URL: " + e.getMessage();
        }
    }

    /**
     * The message as today's notify tests expect the old payload: title, body, url (absent when the
     * notification opens Herald's page by default), icon, badge, image and tag, in that order.
     */
    public static String classic(String payload) {
        JsonObject message = parse(payload);
        if (!message.containsKey("web_push")) {
            return payload;
        }
        JsonObject notification = message.getJsonObject("notification");
        JsonObjectBuilder out = Json.createObjectBuilder();
        copy(notification, "title", out, "title");
        copy(notification, "body", out, "body");
        if (!"./".equals(notification.getString("navigate"))) {
            copy(notification, "navigate", out, "url");
        }
        for (String name : new String[] {"icon", "badge", "image", "tag"}) {
            copy(notification, name, out, name);
        }
        return out.build().toString();
    }

    static void copy(JsonObject from, String name, JsonObjectBuilder to, String as) {
        if (from.containsKey(name)) {
            to.add(as, from.get(name));
        }
    }
}
