package dev.herald.push.control;

import static dev.herald.push.entity.PushService.APPLE;
import static dev.herald.push.entity.PushService.FCM;
import static dev.herald.push.entity.PushService.MOZILLA;
import static dev.herald.push.entity.PushService.OTHER;
import static dev.herald.push.entity.PushService.WNS;

import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushService;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one rule table of what a push's result means (RFC 8030 section 5 and the push services' documented
 * answers): the fan-out and the test notification both decide by it. Vocabulary reads what the service said
 * (a code such as "BadJwtToken" or "errno 109"); RULES, first match wins, turn (service, status, code) into a
 * cause; the cause decides the kind. reason is the report's text, "apple: BadJwtToken" ("HTTP 403" from a host
 * that is no known service); detail is what else the service said, for logs only. pause is only set for
 * PAUSE_HOST: how long the whole host must be left alone (Retry-After, capped; a default when missing).
 */
public record Outcome(Kind kind, Cause cause, String reason, Duration pause, String detail) {

    public enum Kind {
        SENT, REMOVE, PAUSE_HOST, RETRY, FAIL,
        /** Not sent yet (the host's streams were busy): again later, without spending a try. */
        WAIT
    }

    /** Why, in the terms the table uses; each cause has one kind. */
    public enum Cause {
        DELIVERED(Kind.SENT),
        /** The subscription is gone: prune it. */
        SUBSCRIPTION_GONE(Kind.REMOVE),
        /** Our configuration (VAPID key pair, JWT, sub): neither prune nor retry; counts toward the job's breaker. */
        CONFIGURATION(Kind.FAIL),
        /** The service asks us to slow down (429, WNS 406, 503): the host is paused. */
        RATE_LIMITED(Kind.PAUSE_HOST),
        /** 413: Herald checks sizes before it sends, so this is a bug of ours; fail the push, log loudly. */
        PAYLOAD(Kind.FAIL),
        /** The service's trouble (5xx) or no answer: try again later. */
        TRANSIENT(Kind.RETRY),
        /** Any other refusal (400, 405, ...): fail without retry; it may be the subscription's fault. */
        REFUSED(Kind.FAIL),
        /** Herald sent nothing (policy, endpoint, keys): fail, keep the subscription for the operator to judge. */
        NOT_SENT(Kind.FAIL),
        /** Herald sent nothing yet: every stream to the host stayed busy; it waits its turn, no try spent. */
        BUSY(Kind.WAIT);

        public final Kind kind;

        Cause(Kind kind) {
            this.kind = kind;
        }
    }

    static final int ANY = 0;

    /** One row: service (null: any), status (ANY: any), code as Vocabulary reads it (null: any) -> cause. */
    record Rule(PushService service, int status, String code, Cause cause) {

        boolean matches(PushService s, int st, String c) {
            return (service == null || service == s) && (status == ANY || status == st) && (code == null || code.equals(c));
        }
    }

    static Rule rule(PushService service, int status, String code, Cause cause) {
        return new Rule(service, status, code, cause);
    }

    static Rule any(int status, Cause cause) {
        return new Rule(null, status, null, cause);
    }

    static final List<Rule> RULES = List.of(
            // Apple, by the JSON reason ("Sending web push notifications in web apps and browsers"; APNs "Handling
            // notification responses from APNs" for the shared reasons)
            rule(APPLE, ANY, "BadJwtToken", Cause.CONFIGURATION), // 403: JWT missing, wrong key, sub not a URL/mailto:, aud, exp
            rule(APPLE, ANY, "VapidPkHashMismatch", Cause.CONFIGURATION), // subscribed with another VAPID public key
            rule(APPLE, ANY, "ExpiredToken", Cause.SUBSCRIPTION_GONE), // 400: the device token has expired
            rule(APPLE, ANY, "Unregistered", Cause.SUBSCRIPTION_GONE), // 410
            rule(APPLE, ANY, "TooManyRequests", Cause.RATE_LIMITED), // 429
            rule(APPLE, ANY, "PayloadTooLarge", Cause.PAYLOAD), // 413
            // Mozilla autopush, by errno (autopush-rs docs/src/errors.md)
            rule(MOZILLA, ANY, "errno 102", Cause.SUBSCRIPTION_GONE), // 404 invalid URL endpoint
            rule(MOZILLA, ANY, "errno 103", Cause.SUBSCRIPTION_GONE), // 410 expired URL endpoint
            rule(MOZILLA, ANY, "errno 105", Cause.SUBSCRIPTION_GONE), // 410 endpoint became unavailable during request
            rule(MOZILLA, ANY, "errno 106", Cause.SUBSCRIPTION_GONE), // 410 invalid subscription
            rule(MOZILLA, ANY, "errno 109", Cause.CONFIGURATION), // 401 invalid authentication (VAPID)
            rule(MOZILLA, ANY, "errno 104", Cause.PAYLOAD), // 413 data payload too large
            rule(MOZILLA, 429, null, Cause.RATE_LIMITED), // errno 201: back off (Retry-After)
            rule(MOZILLA, 503, "errno 202", Cause.TRANSIENT), // immediate retry ok
            rule(MOZILLA, 502, null, Cause.TRANSIENT), // errno 900-903: the bridge's trouble, even 901 "invalid authentication"
            // FCM, by Google's error status or the legacy reason page; its plain-text answers fall to the status rows
            rule(FCM, ANY, "UNREGISTERED", Cause.SUBSCRIPTION_GONE),
            rule(FCM, ANY, "UnauthorizedRegistration", Cause.CONFIGURATION), // 400 from the legacy front end: VAPID refused
            rule(FCM, ANY, "PERMISSION_DENIED", Cause.CONFIGURATION),
            rule(FCM, ANY, "UNAUTHENTICATED", Cause.CONFIGURATION),
            rule(FCM, ANY, "SENDER_ID_MISMATCH", Cause.CONFIGURATION),
            rule(FCM, ANY, "QUOTA_EXCEEDED", Cause.RATE_LIMITED),
            rule(FCM, ANY, "RESOURCE_EXHAUSTED", Cause.RATE_LIMITED),
            rule(FCM, ANY, "UNAVAILABLE", Cause.TRANSIENT),
            rule(FCM, ANY, "INTERNAL", Cause.TRANSIENT),
            // WNS (Microsoft's WNS response codes): 406 is its throttle (X-WNS-Status: channelthrottled)
            rule(WNS, 406, null, Cause.RATE_LIMITED),
            // every service, and hosts that are no known service, by status (RFC 8030 section 5, RFC 8292 section 4)
            any(404, Cause.SUBSCRIPTION_GONE),
            any(410, Cause.SUBSCRIPTION_GONE),
            any(401, Cause.CONFIGURATION),
            any(403, Cause.CONFIGURATION),
            any(413, Cause.PAYLOAD),
            any(429, Cause.RATE_LIMITED),
            any(503, Cause.RATE_LIMITED));

    /** The cause of an answer with this status and code from this service: the first matching row, else by status class. */
    static Cause judge(PushService service, int status, String code) {
        if (status >= 200 && status < 300) {
            return Cause.DELIVERED;
        }
        for (Rule rule : RULES) {
            if (rule.matches(service, status, code)) {
                return rule.cause();
            }
        }
        return status >= 500 ? Cause.TRANSIENT : Cause.REFUSED;
    }

    public static Outcome classify(PushResult result, String host, Duration defaultRetryAfter, Duration maxRetryAfter) {
        return classify(result, PushService.of(host), defaultRetryAfter, maxRetryAfter);
    }

    public static Outcome classify(PushResult result, PushService service, Duration defaultRetryAfter, Duration maxRetryAfter) {
        if (result instanceof PushResult.NotSent notSent) {
            // nothing went out and trying again cannot help: the subscription is kept for the operator to judge
            return new Outcome(Kind.FAIL, Cause.NOT_SENT, notSent.why().reason, null, null);
        }
        if (result instanceof PushResult.Busy busy) {
            return new Outcome(Kind.WAIT, Cause.BUSY, "not sent yet: " + busy.reason(), null, null);
        }
        if (result instanceof PushResult.NoAnswer noAnswer) {
            return new Outcome(Kind.RETRY, Cause.TRANSIENT, "transport failure: " + noAnswer.reason(), null, null);
        }
        var answered = (PushResult.Answered) result;
        var said = Vocabulary.read(service, answered);
        Cause cause = judge(service, answered.status(), said.code());
        if (cause == Cause.DELIVERED) {
            return new Outcome(Kind.SENT, cause, null, null, null);
        }
        Duration pause = cause == Cause.RATE_LIMITED ? retryAfter(answered.retryAfter(), defaultRetryAfter, maxRetryAfter) : null;
        return new Outcome(cause.kind, cause, service.report(said.code()), pause, said.detail());
    }

    static Duration retryAfter(Duration given, Duration fallback, Duration max) {
        if (given == null || given.isNegative()) {
            return fallback;
        }
        return given.compareTo(max) > 0 ? max : given;
    }

    /**
     * Whether a push that failed for good this way may be the subscription's own fault, and so counts toward its
     * failure streak (herald.subscriptions.max-failure-streak): refusals of no other cause, 5xx and timeouts. Never
     * our configuration, the pauses a service asks for, a payload the service found too large (a bug of ours), a
     * policy refusal or a connection failure: one wrong setting or an outage must not wipe the audience.
     */
    public boolean subscriptionsFault() {
        return switch (cause) {
            case REFUSED -> true;
            case TRANSIENT -> reason != null && (!reason.startsWith("transport failure: ") || reason.equals("transport failure: timeout"));
            default -> false;
        };
    }

    /**
     * The same for a reason as reports store it, where no Outcome is at hand: the bare reasons ("HTTP 400",
     * "transport failure: timeout") that hosts of no known service and transport failures produce.
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
        if (status < 400 || status >= 600) {
            return false;
        }
        var cause = judge(OTHER, status, reason);
        return cause == Cause.REFUSED || cause == Cause.TRANSIENT;
    }

    static final String KEY_FIX = "the subscriptions were made with another VAPID public key: set the key pair they were made with "
            + "(herald.vapid.private-key or herald.vapid.private-key-file), or have the browsers subscribe again";
    static final String GENERIC_FIX = "check the VAPID key pair (herald.vapid.private-key or herald.vapid.private-key-file: subscriptions "
            + "made with another public key are refused) and herald.vapid.subject (a real mailto: address or https: URL)";
    /** What to fix, by the reason a configuration error was reported with; GENERIC_FIX for the rest. */
    static final Map<String, String> FIXES = Map.of(
            "apple: BadJwtToken", "Apple refuses the VAPID JWT: herald.vapid.subject must be a mailto: address or https: URL Apple "
                    + "accepts (no localhost, no .invalid), the server clock must be right, and the key pair the subscriptions' own",
            "apple: VapidPkHashMismatch", KEY_FIX,
            "fcm: HTTP 403", KEY_FIX,
            "fcm: UnauthorizedRegistration", GENERIC_FIX,
            "mozilla: errno 109", "autopush refuses the VAPID authentication: " + GENERIC_FIX);

    /** What an operator should fix after configuration errors with this reason (no setting's value: never a secret). */
    public static String fix(String reason) {
        return FIXES.getOrDefault(reason, GENERIC_FIX);
    }

    /** Our configuration, by the service's answer (401/403, BadJwtToken, errno 109, ...). */
    public boolean configurationProblem() {
        return cause == Cause.CONFIGURATION;
    }
}
