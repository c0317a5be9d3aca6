package dev.herald.platform.control;

/**
 * The one home of Herald's Redis key names (docs/internals.md "Redis layout"); every key also carries the
 * deployment's prefix (Redis.key). Components name their keys through these, never by spelling them.
 */
public final class Keys {

    /** Hash per subscription: its JSON and the SHA-256 of its endpoint; + id. */
    public static final String SUBSCRIPTION = "subscription:";
    /** Sorted set of every subscription id, all with score 0: a broadcast walks it in id order. */
    public static final String SUBSCRIPTIONS = "subscriptions";
    /** Hash: SHA-256 hex of an endpoint -> subscription id (subscribe is an upsert). */
    public static final String BY_ENDPOINT = "subscriptions:by-endpoint";
    public static final String VAPID_PRIVATE_KEY = "vapid:private-key";
    public static final String API_TOKEN = "api:token";
    /** + bucket + ":" + client: a one-minute request counter. */
    public static final String RATE_LIMIT = "ratelimit:";
    /** + subscription id: present while its test-notification interval runs. */
    public static final String TEST_PUSH = "test-push:";
    /** Hash per notification job; + id, and + id + FAILURES for its failure reasons. */
    public static final String JOB = "notification:";
    public static final String FAILURES = ":failures";
    /** + token digest + ":" + key digest: the job an Idempotency-Key made. */
    public static final String IDEMPOTENCY = "idempotency:";
    /** The work streams, one per lane, each with the consumer group GROUP. */
    public static final String STREAM = "stream:";
    /** Batches that could not be finished, with the reason (a capped stream). */
    public static final String DEAD_LETTERS = "stream:dead-letters";
    /** Sorted set: work that is due later (retries), scored by its due time in Redis TIME milliseconds. */
    public static final String DELAYED = "delayed";
    public static final String GROUP = "herald";

    private Keys() {
    }
}
