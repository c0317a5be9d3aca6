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
    /** Hash: digest of an endpoint (16 bytes of its SHA-256, base64url) -> subscription id (subscribe is an upsert). */
    public static final String BY_ENDPOINT = "subscriptions:by-endpoint";
    /** + channel id: set of the subscription ids in that channel (a union job makes its walk's sorted set from it). */
    public static final String CHANNEL = "channel:";
    /** + user id: sorted set (scores 0) of that user's subscription ids. */
    public static final String USER = "user:";
    /**
     * Hash of audience counters: users (with at least one subscription), host:<push service host>, vapid:<key fingerprint>,
     * version (of the subscription records' layout).
     */
    public static final String AUDIENCE = "audience";
    /** String: the current VAPID private key kept in Redis (raw base64url), when none is configured. */
    public static final String VAPID_PRIVATE_KEY = "vapid:private-key";
    /** Hash: fingerprint -> private key (raw base64url) of the previous VAPID keys kept in Redis (VapidKeys). */
    public static final String VAPID_PREVIOUS = "vapid:previous";
    /** Hash: fingerprint -> epoch ms when Herald generated that VAPID key. */
    public static final String VAPID_CREATED = "vapid:created";
    /**
     * Hash: per push-service host, what its answers last said: host + ":last_success" -> epoch ms, host +
     * ":last_config_error" -> "epoch ms reason" (PushServicesSeen; the VAPID doctor reads it).
     */
    public static final String PUSH_SERVICES_SEEN = "push-services:seen";
    public static final String API_TOKEN = "api:token";
    /** + bucket + ":" + client: a one-minute request counter. */
    public static final String RATE_LIMIT = "ratelimit:";
    /** + subscription id: present while its test-notification interval runs. */
    public static final String TEST_PUSH = "test-push:";
    /** Hash per notification job; + id, and + id + FAILURES for its failure reasons. */
    public static final String JOB = "notification:";
    public static final String FAILURES = ":failures";
    /** + after a job's key: why its subscriptions were removed (reason -> count). */
    public static final String REMOVALS = ":removals";
    /** + after a job's key: configuration errors per push service (or host) in that job, for the breaker (push ConfigBreaker). */
    public static final String CONFIG_ERRORS = ":config_errors";
    /** + token digest + ":" + key digest: the job an Idempotency-Key made. */
    public static final String IDEMPOTENCY = "idempotency:";
    /** The work streams, one per lane, each with the consumer group GROUP. */
    public static final String STREAM = "stream:";
    /** Batches that could not be finished, with the reason (a capped stream). */
    public static final String DEAD_LETTERS = "stream:dead-letters";
    /** Sorted set: work that is due later (retries), scored by its due time in Redis TIME milliseconds. */
    public static final String DELAYED = "delayed";
    public static final String GROUP = "herald";
    /** + job id: a throttled job's shared limiter (its theoretical arrival time, GCRA), in milliseconds. */
    public static final String THROTTLE = ":throttle";
    /**
     * The list indexes, sorted sets of job ids scored by created time: NOTIFICATIONS holds every job, + ":" + state
     * the jobs in that state; NOTIFICATIONS + ":expiry" scores finished jobs by when their record expires, so the
     * indexes drop them then (JobStore.SWEEP).
     */
    public static final String NOTIFICATIONS = "notifications";
    /** Sorted set: cancelled job ids scored by when they were cancelled; every instance reads it to stop their pushes. */
    public static final String CANCELS = "notifications:cancels";
    /** String: the secret (32 random bytes, base64url) that engagement tokens are made and checked with (EventTokens). */
    public static final String ENGAGEMENT_SECRET = "engagement:secret";
    /** + event (shown, clicked, closed) or "action:" + action id, after a job's key: the pushes counted (a set, or a HyperLogLog). */
    public static final String ENGAGEMENT = ":engagement:";
    /** String: milliseconds added to Redis TIME wherever Herald reads its clock (RedisClock); never set outside tests. */
    public static final String CLOCK_SHIFT = "clock:shift";
    /**
     * String: the webhook target URLs, one a line, published at start by the instances that have herald.webhooks.urls
     * (and deleted by those that have none). Absent: state changes emit no webhook events (Events.EMIT is a no-op).
     */
    public static final String WEBHOOK_TARGETS = "webhooks:targets";
    /** Stream: one entry per webhook event (type, created, data); its entry id is the event id. Deleted once every target has it. */
    public static final String WEBHOOK_OUTBOX = "webhooks:outbox";
    /** Sorted set: "event id|target url" scored by when its next attempt is due (Herald's clock, ms), or its lease ends. */
    public static final String WEBHOOK_DUE = "webhooks:due";
    /** + event id: hash with left (targets still to reach), body (the JSON sent, made at the first attempt), tries:url. */
    public static final String WEBHOOK_EVENT = "webhooks:event:";
    /** Hash of counters: delivered, failed_attempts, given_up. */
    public static final String WEBHOOK_STATS = "webhooks:stats";

    private Keys() {
    }
}
