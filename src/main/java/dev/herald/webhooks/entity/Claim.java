package dev.herald.webhooks.entity;

import java.time.Instant;

/**
 * One attempt to hand one event to one target, claimed from the due set with a lease: member is
 * "event id|url", attempt counts from 1, data the JSON the emitting script recorded, body the JSON
 * sent (null until the first attempt made and kept it).
 */
public record Claim(String member, String eventId, String url, int attempt, String type, Instant created, String data, String body) {

    public Claim withBody(String kept) {
        return new Claim(member, eventId, url, attempt, type, created, data, kept);
    }
}
