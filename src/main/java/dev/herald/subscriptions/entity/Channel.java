package dev.herald.subscriptions.entity;

/** A channel the operator declared (herald.channels): what visitors may choose to hear about. */
public record Channel(String id, String label) {
}
