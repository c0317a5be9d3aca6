package dev.herald.notifications.entity;

import dev.herald.fanout.entity.Audience;
import dev.herald.fanout.entity.Plan;
import dev.herald.push.entity.PushOptions;
import java.util.List;

/**
 * What POST /api/notify asks for. display is what the browser shows (written as a Declarative Web
 * Push message by DeclarativePayload); ttl, urgency and topic become RFC 8030 headers; subscriptions,
 * when not null, limits the fan-out to those ids, channels (any of) and users (all their
 * subscriptions) too: the target is their union, each subscription once, and nobody named means
 * everybody. plan says when and how fast (send_at, local_time, throttle_per_minute); dryRun sends nothing.
 */
public record Notification(Display display, long ttl, String urgency, String topic, List<String> subscriptions, List<String> channels,
                           List<String> users, Plan plan, boolean dryRun) {

    /** Four weeks, the longest TTL Herald accepts and the default (RFC 8030 section 5.2). */
    public static final long DEFAULT_TTL = PushOptions.MAX_TTL;

    /**
     * The RFC 8030 options of job jobId. With topicPerJob and no topic given, the job id (32 hex digits, RFC 8030
     * section 5.4 allows 32 base64url characters) is the Topic, so a push service keeps one copy for an
     * offline browser even when it was sent twice; FCM then keeps fewer messages per offline device.
     */
    public PushOptions options(String jobId, boolean topicPerJob) {
        String effectiveTopic = topic == null && topicPerJob ? jobId.replace("-", "") : topic;
        return new PushOptions(ttl, urgency, effectiveTopic);
    }

    public String title() {
        return display.title();
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
}
