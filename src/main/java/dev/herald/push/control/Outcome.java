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

    /** 401/403: the push service does not accept our VAPID signature for this subscription. */
    public boolean authProblem() {
        return kind == Kind.FAIL && ("HTTP 401".equals(reason) || "HTTP 403".equals(reason));
    }
}
