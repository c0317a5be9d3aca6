package dev.herald.notifications.entity;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Plan;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What POST /api/notify asks for. The display fields become the payload the service worker
 * receives; ttl, urgency and topic become RFC 8030 headers; subscriptions, when not null,
 * limits the fan-out to those ids, channels (any of) and users (all their subscriptions) too: the
 * target is their union, each subscription once, and nobody named means everybody. plan says when
 * and how fast (send_at, local_time, throttle_per_minute); dryRun sends nothing.
 */
public record Notification(String title, String body, String url, String icon, String badge, String image, String tag,
                           long ttl, String urgency, String topic, List<String> subscriptions, List<String> channels,
                           List<String> users, Plan plan, boolean dryRun) {

    /** Four weeks, the longest TTL Herald accepts and the default (RFC 8030 section 5.2). */
    public static final long DEFAULT_TTL = PushOptions.MAX_TTL;

    /**
     * The JSON the service worker receives: the display fields that are present. Without a tag of
     * its own, the tag is the job id: a push sent twice (possible after a crash, README "Durability")
     * then replaces the first notification in the browser instead of showing twice.
     */
    public byte[] payload(String jobId) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        add(json, "title", title);
        add(json, "body", body);
        add(json, "url", url);
        add(json, "icon", icon);
        add(json, "badge", badge);
        add(json, "image", image);
        add(json, "tag", tag == null ? jobId : tag);
        return json.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The message of job jobId. With topicPerJob and no topic given, the job id (32 hex digits, RFC 8030
     * section 5.4 allows 32 base64url characters) is the Topic, so a push service keeps one copy for an
     * offline browser even when it was sent twice; FCM then keeps fewer messages per offline device.
     */
    public Message message(String jobId, boolean topicPerJob) {
        String effectiveTopic = topic == null && topicPerJob ? jobId.replace("-", "") : topic;
        return new Message(payload(jobId), new PushOptions(ttl, urgency, effectiveTopic));
    }

    public Audience audience() {
        if (channels != null || users != null) {
            return new Audience.Union(orEmpty(channels), orEmpty(users), orEmpty(subscriptions));
        }
        return subscriptions == null ? Audience.everyone() : new Audience.Listed(subscriptions);
    }

    static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    static void add(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
