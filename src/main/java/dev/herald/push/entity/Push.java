package dev.herald.push.entity;

import dev.herald.subscriptions.entity.Subscription;

/**
 * One message for one subscription, as the Dispatcher carries it out. jobId only names the job
 * in log lines; retries counts the tries this message already had; priority pushes draw on a
 * reserve of in-flight permits of their own, so a small send never waits behind a broadcast.
 */
public record Push(String jobId, String subscriptionId, Subscription subscription, Message message, int retries, boolean priority) {
}
