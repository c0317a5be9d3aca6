package dev.herald.push.control;

import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushService;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each push service says when it refuses a push, read from the start of its answer (ResponseReason keeps
 * one cleaned line of at most 160 characters, so the fields are found by pattern, not by parsing JSON that may
 * be cut short). code is the short reason reports count ("BadJwtToken", "errno 109", "HTTP 406 channelthrottled");
 * detail is what else the service said, for the log only (free text and message ids do not belong in counters).
 * Outcome's rule table decides what a code means.
 */
final class Vocabulary {

    /** The answer headers a vocabulary reads (PushClient keeps only these). */
    static final Set<String> HEADERS = Set.of("x-wns-status", "x-wns-error-description", "x-wns-msg-id");

    /** Apple: {"reason":"BadJwtToken"} ("Sending web push notifications in web apps and browsers", Apple developer documentation). */
    static final Pattern APPLE_REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([A-Za-z0-9_]{1,40})\"");
    /**
     * Mozilla autopush: {"code": 401, "errno": 109, "error": "Unauthorized", "message": "...", "more_info": "..."}
     * (mozilla-services/autopush-rs docs/src/errors.md, the errno table).
     */
    static final Pattern AUTOPUSH_ERRNO = Pattern.compile("\"errno\"\\s*:\\s*(\\d{1,4})");
    static final Pattern AUTOPUSH_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]{0,120})");
    /**
     * FCM: Google's API error {"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED"}} (FCM HTTP v1
     * ErrorCode); its Web Push endpoint answers most refusals in plain text ("push subscription has unsubscribed or
     * expired.") or, from the legacy front end, an HTML page titled with the reason ("UnauthorizedRegistration").
     */
    static final Pattern GOOGLE_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]{1,40})\"");
    static final Pattern HTML_TITLE = Pattern.compile("<title>\\s*([A-Za-z]{1,40})\\s*</title>", Pattern.CASE_INSENSITIVE);

    private Vocabulary() {
    }

    record Said(String code, String detail) {
    }

    static Said read(PushService service, PushResult.Answered answer) {
        String status = "HTTP " + answer.status();
        String body = answer.body() == null ? "" : answer.body();
        return switch (service) {
            case APPLE -> new Said(first(APPLE_REASON, body, status), null);
            case MOZILLA -> {
                String errno = first(AUTOPUSH_ERRNO, body, null);
                yield new Said(errno == null ? status : "errno " + errno, first(AUTOPUSH_MESSAGE, body, null));
            }
            case FCM -> {
                String code = first(GOOGLE_STATUS, body, null);
                if (code == null) {
                    code = first(HTML_TITLE, body, status);
                }
                yield new Said(code, body.isEmpty() || body.startsWith("<") ? null : body);
            }
            // WNS (Microsoft "Push notification service request and response headers"): the status code says most; X-WNS-Status
            // (received, dropped, channelthrottled) the rest; X-WNS-Error-Description and X-WNS-Msg-Id are for a support case
            case WNS -> {
                String wnsStatus = answer.header("x-wns-status");
                boolean tells = wnsStatus != null && wnsStatus.matches("[A-Za-z]{1,40}") && !"received".equalsIgnoreCase(wnsStatus);
                yield new Said(tells ? status + " " + wnsStatus.toLowerCase(Locale.ROOT) : status, wnsDetail(answer));
            }
            case OTHER -> new Said(status, body.isEmpty() ? null : body);
        };
    }

    static String wnsDetail(PushResult.Answered answer) {
        String description = answer.header("x-wns-error-description");
        String id = answer.header("x-wns-msg-id");
        if (description == null && id == null) {
            return null;
        }
        return (description == null ? "" : "X-WNS-Error-Description: " + description + (id == null ? "" : ", "))
                + (id == null ? "" : "X-WNS-Msg-Id: " + id);
    }

    static String first(Pattern pattern, String text, String otherwise) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : otherwise;
    }
}
