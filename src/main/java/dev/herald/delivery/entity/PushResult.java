package dev.herald.delivery.entity;

import java.time.Duration;

/**
 * What the push service answered for one message: the HTTP status, or 0 when no answer came
 * (timeout, connection failure). reason is short: the status ("201", "410 ..." with the start of
 * the service's answer), or "timeout", "connection refused", ... retryAfter is the parsed
 * Retry-After header (seconds or HTTP-date), null when none was given.
 */
public record PushResult(int status, String reason, Duration retryAfter) {

    public static final String REFUSED_BY_POLICY = "endpoint refused by policy";

    public static PushResult failure(String reason) {
        return new PushResult(0, reason, null);
    }

    /** Nothing was sent: the endpoint fails EndpointPolicy at delivery time. Final, not retried; the subscription is kept. */
    public static PushResult refusedByPolicy() {
        return new PushResult(0, REFUSED_BY_POLICY, null);
    }

    public boolean refused() {
        return status == 0 && REFUSED_BY_POLICY.equals(reason);
    }

    /** The push service accepted the message (RFC 8030 section 5: 201 Created). */
    public boolean sent() {
        return status >= 200 && status < 300;
    }

    /** No HTTP answer at all: timeout or connection failure. */
    public boolean transportFailure() {
        return status == 0;
    }

    public boolean timedOut() {
        return status == 0 && "timeout".equals(reason);
    }

    /** The subscription is gone for good (RFC 8030 section 7.3: 410; several services answer 404). */
    public boolean gone() {
        return status == 404 || status == 410;
    }

    /** Worth another try later: no answer, 429 Too Many Requests, or a 5xx. */
    public boolean retryable() {
        return status == 0 && !refused() || status == 429 || status >= 500;
    }
}
