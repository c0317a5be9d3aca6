package dev.herald.delivery.entity;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What POST /api/notify asks for. The display fields become the payload the service worker
 * receives; ttl, urgency and topic become RFC 8030 headers; subscriptions, when not null,
 * limits the fan-out to those ids.
 */
public record Notification(String title, String body, String url, String icon, String badge, String image, String tag,
                           long ttl, String urgency, String topic, List<String> subscriptions) {

    /** Four weeks, the longest TTL Herald accepts and the default (RFC 8030 section 5.2). */
    public static final long DEFAULT_TTL = 2_419_200;

    public boolean targeted() {
        return subscriptions != null;
    }

    /** The JSON the service worker receives: only the display fields that are present. */
    public byte[] payload() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        add(json, "title", title);
        add(json, "body", body);
        add(json, "url", url);
        add(json, "icon", icon);
        add(json, "badge", badge);
        add(json, "image", image);
        add(json, "tag", tag);
        return json.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    public PushOptions options() {
        return new PushOptions(ttl, urgency, topic);
    }

    static void add(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
