package dev.herald.fanout.entity;

import dev.herald.push.entity.Message;

/**
 * A notification job as the fan-out carries it: the message every subscription gets, who it is
 * for, and when and how fast (plan). The title is kept only for listing jobs. Nothing about how
 * the request looked: the fan-out never needs the notify API.
 */
public record Job(String id, Message message, Audience audience, String title, Plan plan) {

    public Job(String id, Message message, Audience audience) {
        this(id, message, audience, "", Plan.immediate());
    }
}
