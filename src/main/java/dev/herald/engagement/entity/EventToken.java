package dev.herald.engagement.entity;

/**
 * A verified engagement token: the job and the subscription it was made for, and its MAC
 * (base64url), which names the push once in the counts without naming the subscription.
 */
public record EventToken(String jobId, String subscriptionId, String push) {
}
