package dev.herald.push.entity;

import java.time.Duration;
import java.util.Map;

/**
 * What became of one message to a push service. Outcome's rule table decides what each means
 * for the subscription and for retries; this type only says what happened.
 */
public sealed interface PushResult permits PushResult.Answered, PushResult.NoAnswer, PushResult.NotSent, PushResult.Busy {

    /**
     * The push service answered. body is the start of an error answer, one line (empty for 2xx);
     * retryAfter is its parsed Retry-After header, null when none was given; headers are the few answer
     * headers a service's vocabulary uses (WNS's X-WNS-*), by lower-case name.
     */
    record Answered(int status, String body, Duration retryAfter, Map<String, String> headers) implements PushResult {

        public Answered {
            headers = Map.copyOf(headers);
        }

        public Answered(int status, String body, Duration retryAfter) {
            this(status, body, retryAfter, Map.of());
        }

        /** An answer header by lower-case name, null when absent. */
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String summary() {
            return body.isEmpty() ? Integer.toString(status) : status + " " + body;
        }
    }

    /** No HTTP answer came: a timeout, a refused or broken connection, a host that does not resolve now. */
    record NoAnswer(String reason) implements PushResult {

        @Override
        public String summary() {
            return reason;
        }
    }

    /**
     * Herald sent nothing yet: the host's streams stayed busy for the whole request timeout (HostStreams). Neither the
     * subscription's nor the service's fault, so it goes again later without spending one of its tries.
     */
    record Busy(String reason) implements PushResult {

        @Override
        public String summary() {
            return reason;
        }
    }

    /** Herald sent nothing: the subscription cannot be delivered to as it is. */
    record NotSent(Why why, String detail) implements PushResult {

        public enum Why {
            /** The endpoint fails EndpointPolicy now (host no longer allowed, resolves to a private address). */
            REFUSED_BY_POLICY("endpoint refused by policy"),
            /** The stored endpoint is not an http(s) URL with a host. */
            INVALID_ENDPOINT("invalid endpoint"),
            /** The stored p256dh or auth cannot encrypt a message (RFC 8291 section 7). */
            UNUSABLE_KEYS("unusable subscription keys");

            public final String reason;

            Why(String reason) {
                this.reason = reason;
            }
        }

        @Override
        public String summary() {
            return why.reason;
        }
    }

    /** One short line: "201", "410 <start of the answer>", "timeout", "endpoint refused by policy". */
    String summary();

    /** The HTTP status the push service answered, 0 when it did not answer or nothing was sent. */
    default int status() {
        return this instanceof Answered answered ? answered.status() : 0;
    }
}
