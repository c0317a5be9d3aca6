package dev.herald.fanout.entity;

import java.time.Duration;

/**
 * An Idempotency-Key as the job store keeps it: key is the Redis key name (already scoped to the
 * API token, without the prefix), body the SHA-256 hex of the raw request body, kept for ttl.
 */
public record Idempotency(String key, String body, Duration ttl) {
}
