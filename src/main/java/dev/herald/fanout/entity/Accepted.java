package dev.herald.fanout.entity;

/**
 * What accepting a job did: jobId is the new job, or the one an earlier request with the same
 * Idempotency-Key made (replayed); sameBody is false when that earlier request had another body.
 */
public record Accepted(String jobId, boolean replayed, boolean sameBody) {
}
