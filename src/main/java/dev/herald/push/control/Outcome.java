package dev.herald.push.control;

import dev.herald.push.entity.PushResult;
import java.time.Duration;
import java.util.Locale;

/**
 * The one rule table of what a push's result means (RFC 8030 section 5 and the push services'
 * documented codes): the fan-out and the test notification both decide by it. pause is only
 * set for PAUSE_HOST: how long the whole push-service host must be left alone (Retry-After,
 * capped; a default when missing).
 */
public record Outcome(Kind kind, String reason, Duration pause) {

    public enum Kind {
        SENT, REMOVE, PAUSE_HOST, RETRY, FAIL
    }

    public static Outcome classify(PushResult result, String host, Duration defaultRetryAfter, Duration maxRetryAfter) {
        if (result instanceof PushResult.NotSent notSent) {
            // nothing went out and trying again cannot help: the subscription is kept for the operator to judge
            return new Outcome(Kind.FAIL, notSent.why().reason, null);
        }
        if (result instanceof PushResult.NoAnswer noAnswer) {
            return new Outcome(Kind.RETRY, "transport failure: " + noAnswer.reason(), null);
        }
        var answered = (PushResult.Answered) result;
        int status = answered.status();
        if (status >= 200 && status < 300) {
            return new Outcome(Kind.SENT, null, null);
        }
        String reason = "HTTP " + status;
        if (status == 404 || status == 410) {
            return new Outcome(Kind.REMOVE, reason, null);
        }
        boolean wnsThrottled = status == 406 && host != null && host.toLowerCase(Locale.ROOT).endsWith("notify.windows.com");
        if (status == 429 || status == 503 || wnsThrottled) {
            return new Outcome(Kind.PAUSE_HOST, reason, retryAfter(answered.retryAfter(), defaultRetryAfter, maxRetryAfter));
        }
        if (status >= 500) {
            return new Outcome(Kind.RETRY, reason, null);
        }
        return new Outcome(Kind.FAIL, reason, null);
    }

    static Duration retryAfter(Duration given, Duration fallback, Duration max) {
        if (given == null || given.isNegative()) {
            return fallback;
        }
        return given.compareTo(max) > 0 ? max : given;
    }

    /**
     * Whether a push that failed for good with this reason may be the subscription's own fault, and so counts
     * toward its failure streak (herald.subscriptions.max-failure-streak): other 4xx, 5xx and timeouts. Never
     * 401/403 (our VAPID setup), 429, 503 and 406 (the pauses a service asks for), a policy refusal or a connection failure: one wrong
     * setting or an outage must not wipe the audience.
     */
    public static boolean subscriptionsFault(String reason) {
        if (reason == null) {
            return false;
        }
        if (reason.equals("transport failure: timeout")) {
            return true;
        }
        if (!reason.startsWith("HTTP ")) {
            return false;
        }
        int status;
        try {
            status = Integer.parseInt(reason.substring(5).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        // 429, 503 and 406 (WNS) are what classify treats as the service asking for a pause: never the subscription's fault
        if (status == 429 || status == 503 || status == 406 || status == 401 || status == 403) {
            return false;
        }
        return status >= 400 && status < 600;
    }

    /** 401/403: the push service does not accept our VAPID signature for this subscription. */
    public boolean authProblem() {
        return kind == Kind.FAIL && ("HTTP 401".equals(reason) || "HTTP 403".equals(reason));
    }
}
