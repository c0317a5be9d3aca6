package dev.herald.testing;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the push-service stub words its refusals: GENERIC as it always did (text/plain, the stub's own words), or in
 * the format of one real service, so that Herald's vocabulary (push/control/Vocabulary) and rule table (Outcome) are
 * tested against realistic answers. The stub's checks stay the same; only the answer changes. Where a service's
 * documentation gives no answer for one of the stub's checks, a stand-in in that service's format is used (marked).
 * Sources:
 * - APPLE: "Sending web push notifications in web apps and browsers" (Apple developer documentation): JSON
 *   {"reason": "..."}; 403 BadJwtToken, 400 VapidPkHashMismatch, 410 Unregistered, 413 PayloadTooLarge,
 *   429 TooManyRequests, 500 InternalServerError (APNs "Handling notification responses from APNs").
 * - MOZILLA: autopush-rs docs/src/errors.md: {"code", "errno", "error", "message", "more_info"}; 401 errno 109,
 *   404 errno 102, 410 errno 103, 413 errno 104, 400 errno 110/111/112/113, 429 errno 201, 500 errno 999.
 * - FCM: its Web Push endpoint answers in plain text (403 "the VAPID credentials in the authorization header do not
 *   correspond to the credentials used to create the subscriptions.", 410 "push subscription has unsubscribed or
 *   expired."), the legacy front end an HTML page titled UnauthorizedRegistration (400, a refused VAPID token), and
 *   Google's API error JSON {"error": {"code", "message", "status"}} (FCM HTTP v1 ErrorCode) for quota and
 *   internal errors.
 * - WNS: Microsoft's WNS response codes and headers: no body; X-WNS-Error-Description and X-WNS-Msg-Id on errors,
 *   406 with X-WNS-Status: channelthrottled for its throttle, 410 for an expired channel, 413 above 5000 bytes.
 */
public enum Personality {
    GENERIC, FCM, MOZILLA, APPLE, WNS;

    /** One answer: status, Content-Type (null: no body), body, extra headers. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers) {
    }

    /** What a scripted behaviour asks the service to say, beyond a bare status. */
    public enum Said {
        /** The subscription is gone. */
        GONE,
        /** Slow down; retryAfterSeconds when not null. */
        THROTTLED,
        /** The service's own trouble. */
        SERVER_ERROR,
        /** The message is larger than the service takes (a real service's limit may be below the stub's). */
        TOO_LARGE
    }

    /** The stub's refusal (its status and its own words) as this service would answer it. */
    public Answer refusal(int status, String words) {
        return switch (this) {
            case GENERIC -> text(status, words);
            case APPLE -> apple(switch (status) {
                case 401 -> 403;
                case 403, 415 -> 400;
                case 404 -> 410;
                default -> status;
            }, switch (status) {
                case 401 -> "BadJwtToken";
                case 403 -> "VapidPkHashMismatch";
                case 404 -> "Unregistered";
                case 413 -> "PayloadTooLarge";
                case 405 -> "MethodNotAllowed";
                default -> "BadRequest"; // stand-in: Apple documents no reason for these header checks
            });
            case MOZILLA -> switch (status) {
                case 401, 403 -> autopush(401, 109, words);
                case 404 -> autopush(404, 102, words);
                case 413 -> autopush(413, 104, words);
                case 405 -> autopush(405, 999, words); // stand-in
                default -> autopush(400, words.startsWith("TTL") ? 112 : words.startsWith("Topic") ? 113
                        : words.startsWith("cannot decrypt") ? 110 : 111, words);
            };
            case FCM -> switch (status) {
                case 401 -> html(400, "UnauthorizedRegistration");
                case 403 -> text(403, "the VAPID credentials in the authorization header do not correspond to the credentials used to "
                        + "create the subscriptions.");
                case 404 -> text(410, "push subscription has unsubscribed or expired.");
                case 413 -> text(413, "Request entity too large");
                default -> google(status == 415 ? 400 : status, "INVALID_ARGUMENT", words);
            };
            case WNS -> wns(status, null, switch (status) {
                case 401 -> "The cloud service did not present a valid authentication ticket.";
                case 403 -> "The cloud service is not authorized to send a notification to this URI.";
                case 404 -> "The channel URI is not valid or is not recognized by WNS.";
                case 413 -> "The notification payload exceeds the 5000 byte size limit.";
                default -> "One or more headers were specified incorrectly or conflict with another header.";
            });
        };
    }

    /** What a scripted behaviour says, in this service's words. */
    public Answer says(Said said) {
        if (said == Said.TOO_LARGE) {
            return refusal(413, "body is larger than this service takes");
        }
        return switch (this) {
            case GENERIC -> switch (said) {
                case GONE -> text(410, "scripted answer 410");
                case THROTTLED -> text(429, "scripted answer 429");
                case SERVER_ERROR -> text(500, "scripted answer 500");
                case TOO_LARGE -> throw new AssertionError();
            };
            case APPLE -> switch (said) {
                case GONE -> apple(410, "Unregistered");
                case THROTTLED -> apple(429, "TooManyRequests");
                case SERVER_ERROR -> apple(500, "InternalServerError");
                case TOO_LARGE -> throw new AssertionError();
            };
            case MOZILLA -> switch (said) {
                case GONE -> autopush(410, 103, "Request did not validate: expired subscription");
                case THROTTLED -> autopush(429, 201, "Too many requests: use exponential back-off for retries");
                case SERVER_ERROR -> autopush(500, 999, "An unknown error occurred");
                case TOO_LARGE -> throw new AssertionError();
            };
            case FCM -> switch (said) {
                case GONE -> text(410, "push subscription has unsubscribed or expired.");
                case THROTTLED -> google(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Messages'.");
                case SERVER_ERROR -> google(500, "INTERNAL", "Internal error encountered.");
                case TOO_LARGE -> throw new AssertionError();
            };
            case WNS -> switch (said) {
                case GONE -> wns(410, null, "The channel expired.");
                case THROTTLED -> wns(406, "channelthrottled", "The cloud service exceeded its throttle limit.");
                case SERVER_ERROR -> wns(500, null, "An internal failure caused notification delivery to fail.");
                case TOO_LARGE -> throw new AssertionError();
            };
        };
    }

    static Answer text(int status, String text) {
        return new Answer(status, "text/plain; charset=utf-8", text, Map.of());
    }

    static Answer html(int status, String title) {
        return new Answer(status, "text/html; charset=UTF-8", "<HTML>\n<HEAD>\n<TITLE>" + title + "</TITLE>\n</HEAD>\n<BODY BGCOLOR=\"#FFFFFF\" "
                + "TEXT=\"#000000\">\n<H1>" + title + "</H1>\n<H2>Error " + status + "</H2>\n</BODY>\n</HTML>\n", Map.of());
    }

    static Answer apple(int status, String reason) {
        return new Answer(status, "application/json", "{\"reason\":\"" + reason + "\"}", Map.of());
    }

    static Answer autopush(int status, int errno, String message) {
        return new Answer(status, "application/json", "{\"code\": " + status + ", \"errno\": " + errno + ", \"error\": \"" + phrase(status)
                + "\", \"message\": \"" + message.replace("\\", "\\\\").replace("\"", "'") + "\", \"more_info\": "
                + "\"http://autopush.readthedocs.io/en/latest/http.html#error-codes\"}", Map.of());
    }

    static Answer google(int status, String code, String message) {
        return new Answer(status, "application/json; charset=UTF-8", "{\n  \"error\": {\n    \"code\": " + status + ",\n    \"message\": \""
                + message.replace("\\", "\\\\").replace("\"", "'") + "\",\n    \"status\": \"" + code + "\"\n  }\n}\n", Map.of());
    }

    static Answer wns(int status, String wnsStatus, String description) {
        var headers = new LinkedHashMap<String, String>();
        if (wnsStatus != null) {
            headers.put("X-WNS-Status", wnsStatus);
        }
        headers.put("X-WNS-Error-Description", description);
        headers.put("X-WNS-Msg-Id", HexFormat.of().withUpperCase().formatHex(longBytes(ThreadLocalRandom.current().nextLong())));
        return new Answer(status, null, "", headers);
    }

    static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>= 8;
        }
        return bytes;
    }

    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 410 -> "Gone";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            default -> "Internal Server Error";
        };
    }
}
