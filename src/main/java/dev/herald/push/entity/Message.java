package dev.herald.push.entity;

/** What every subscription of a job gets: the payload (UTF-8 JSON, encrypted per subscription) and the RFC 8030 options. */
public record Message(byte[] payload, PushOptions options) {
}
