package dev.herald.fanout.entity;

import dev.herald.push.entity.Message;
import java.util.Map;

/**
 * A notification job as the fan-out carries it: the message every subscription gets, who it is
 * for, and when and how fast (plan); links are the real URLs behind its counted clicks ("" for the
 * notification's own, else by action id: GET /api/r/ redirects there). The title is kept only for listing jobs. Nothing about how
 * the request looked: the fan-out never needs the notify API.
 */
public record Job(String id, Message message, Audience audience, String title, Plan plan, Map<String, String> links) {

    public Job {
        links = links == null ? Map.of() : Map.copyOf(links);
    }

    public Job(String id, Message message, Audience audience) {
        this(id, message, audience, "", Plan.immediate(), Map.of());
    }
}
