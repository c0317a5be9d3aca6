package dev.herald.fanout.entity;

import dev.herald.push.entity.Message;

/**
 * A notification job as the fan-out carries it: the message every subscription gets and who it
 * is for. Nothing about how the request looked: the fan-out never needs the notify API.
 */
public record Job(String id, Message message, Audience audience) {
}
