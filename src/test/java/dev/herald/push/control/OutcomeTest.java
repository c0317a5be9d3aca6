package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.control.Outcome.Cause;
import dev.herald.push.control.Outcome.Kind;
import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushService;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    static final Duration DEFAULT = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(15);

    static Outcome classify(int status, Duration retryAfter, String host) {
        return Outcome.classify(new PushResult.Answered(status, "r", retryAfter), host, DEFAULT, MAX);
    }

    /** A host that is no known service: only the status counts, and reasons stay bare. */
    static Outcome classify(int status) {
        return classify(status, null, "push.example.org");
    }

    static Outcome answer(PushService service, int status, String body, Map<String, String> headers) {
        return Outcome.classify(new PushResult.Answered(status, body, null, headers), service, DEFAULT, MAX);
    }

    @Test
    void servicesAreKnownByTheirEndpointHost() {
        assertThat(PushService.of("fcm.googleapis.com")).isEqualTo(PushService.FCM);
        assertThat(PushService.of("updates.push.services.mozilla.com")).isEqualTo(PushService.MOZILLA);
        assertThat(PushService.of("Web.Push.Apple.com")).isEqualTo(PushService.APPLE);
        assertThat(PushService.of("wns2-par02p.notify.windows.com")).isEqualTo(PushService.WNS);
        assertThat(PushService.of("android.googleapis.com")).isEqualTo(PushService.OTHER);
        assertThat(PushService.of("notify.windows.com.evil.example")).isEqualTo(PushService.OTHER);
        assertThat(PushService.of(null)).isEqualTo(PushService.OTHER);
        assertThat(PushService.OTHER.who("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(PushService.APPLE.who("web.push.apple.com")).isEqualTo("apple");
    }

    @Test
    void successIsSent() {
        assertThat(classify(201).kind()).isEqualTo(Kind.SENT);
        assertThat(classify(200).kind()).isEqualTo(Kind.SENT);
        assertThat(classify(202).kind()).isEqualTo(Kind.SENT);
    }

    @Test
    void goneOrNotFoundRemovesTheSubscription() {
        assertThat(classify(404).kind()).isEqualTo(Kind.REMOVE);
        assertThat(classify(410)).isEqualTo(new Outcome(Kind.REMOVE, Cause.SUBSCRIPTION_GONE, "HTTP 410", null, "r"));
    }

    @Test
    void throttlingPausesTheHostForRetryAfterCapped() {
        assertThat(classify(429, Duration.ofSeconds(1), "x"))
                .isEqualTo(new Outcome(Kind.PAUSE_HOST, Cause.RATE_LIMITED, "HTTP 429", Duration.ofSeconds(1), "r"));
        assertThat(classify(503, null, "x").pause()).isEqualTo(DEFAULT);
        assertThat(classify(429, Duration.ofHours(3), "x").pause()).isEqualTo(MAX);
        assertThat(classify(429, Duration.ofSeconds(-5), "x").pause()).isEqualTo(DEFAULT);
    }

    @Test
    void notAcceptableIsThrottlingOnlyForWns() {
        assertThat(classify(406, null, "db5p.notify.windows.com").kind()).isEqualTo(Kind.PAUSE_HOST);
        assertThat(classify(406, null, "fcm.googleapis.com").kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void otherServerErrorsAndTransportFailuresAreRetried() {
        assertThat(classify(500).kind()).isEqualTo(Kind.RETRY);
        assertThat(classify(502).kind()).isEqualTo(Kind.RETRY);
        assertThat(classify(504).reason()).isEqualTo("HTTP 504");
        var transport = Outcome.classify(new PushResult.NoAnswer("timeout"), "x", DEFAULT, MAX);
        assertThat(transport).isEqualTo(new Outcome(Kind.RETRY, Cause.TRANSIENT, "transport failure: timeout", null, null));
        var unresolved = Outcome.classify(new PushResult.NoAnswer("endpoint host does not resolve"), "x", DEFAULT, MAX);
        assertThat(unresolved.kind()).as("DNS may come back").isEqualTo(Kind.RETRY);
    }

    @Test
    void aPushThatFoundNoFreeStreamWaitsWithoutItBeingAnyonesFault() {
        var busy = Outcome.classify(new PushResult.Busy("no stream to the host free within the request timeout"), "x", DEFAULT, MAX);
        assertThat(busy).isEqualTo(new Outcome(Kind.WAIT, Cause.BUSY,
                "not sent yet: no stream to the host free within the request timeout", null, null));
        assertThat(busy.subscriptionsFault()).isFalse();
        assertThat(busy.configurationProblem()).isFalse();
    }

    @Test
    void nothingSentFailsAtOnceWithoutRetryAndKeepsTheSubscription() {
        for (var why : PushResult.NotSent.Why.values()) {
            var outcome = Outcome.classify(new PushResult.NotSent(why, "detail"), "x", DEFAULT, MAX);
            assertThat(outcome).as(why.name()).isEqualTo(new Outcome(Kind.FAIL, Cause.NOT_SENT, why.reason, null, null));
        }
        assertThat(PushResult.NotSent.Why.INVALID_ENDPOINT.reason).isEqualTo("invalid endpoint");
        assertThat(PushResult.NotSent.Why.UNUSABLE_KEYS.reason).isEqualTo("unusable subscription keys");
        assertThat(PushResult.NotSent.Why.REFUSED_BY_POLICY.reason).isEqualTo("endpoint refused by policy");
    }

    @Test
    void clientErrorsFailWithoutRetryAndOnlyAuthErrorsBlameOurConfiguration() {
        for (int status : new int[] {400, 401, 403, 413, 405, 301}) {
            assertThat(classify(status).kind()).as("" + status).isEqualTo(Kind.FAIL);
            assertThat(classify(status).reason()).isEqualTo("HTTP " + status);
        }
        assertThat(classify(401).configurationProblem()).isTrue();
        assertThat(classify(403).configurationProblem()).isTrue();
        assertThat(classify(400).configurationProblem()).isFalse();
        assertThat(classify(413).cause()).isEqualTo(Cause.PAYLOAD);
    }

    @Test
    void onlyFailuresThatMayBeTheSubscriptionsOwnCountTowardItsStreak() {
        assertThat(classify(400).subscriptionsFault()).isTrue();
        assertThat(classify(500).subscriptionsFault()).as("retries exhausted on 5xx").isTrue();
        assertThat(Outcome.classify(new PushResult.NoAnswer("timeout"), "x", DEFAULT, MAX).subscriptionsFault()).isTrue();
        assertThat(Outcome.classify(new PushResult.NoAnswer("connection refused"), "x", DEFAULT, MAX).subscriptionsFault()).isFalse();
        for (int status : new int[] {401, 403, 413, 429, 503}) {
            assertThat(classify(status).subscriptionsFault()).as("" + status).isFalse();
        }
        assertThat(answer(PushService.APPLE, 403, "{\"reason\":\"BadJwtToken\"}", Map.of()).subscriptionsFault()).isFalse();
        assertThat(answer(PushService.MOZILLA, 400, "{\"code\": 400, \"errno\": 112}", Map.of()).subscriptionsFault()).isTrue();
        // the bare reasons as stored reports have them
        assertThat(Outcome.subscriptionsFault("HTTP 400")).isTrue();
        assertThat(Outcome.subscriptionsFault("HTTP 500")).isTrue();
        assertThat(Outcome.subscriptionsFault("transport failure: timeout")).isTrue();
        for (String reason : new String[] {"HTTP 401", "HTTP 403", "HTTP 429", "HTTP 503", "HTTP 413", "endpoint refused by policy",
                "transport failure: connection refused", null}) {
            assertThat(Outcome.subscriptionsFault(reason)).as(reason).isFalse();
        }
    }

    static final String MORE = "\"more_info\": \"http://autopush.readthedocs.io/en/latest/http.html#error-codes\"}";

    /** Each service, as it words each reason class: the kind Herald acts on and the report's text. */
    static Stream<Arguments> vocabularies() {
        return Stream.of(
                // Apple: {"reason": ...}
                Arguments.of(PushService.APPLE, 403, "{\"reason\":\"BadJwtToken\"}", Map.of(), Cause.CONFIGURATION, "apple: BadJwtToken"),
                Arguments.of(PushService.APPLE, 400, "{\"reason\":\"VapidPkHashMismatch\"}", Map.of(), Cause.CONFIGURATION,
                        "apple: VapidPkHashMismatch"),
                Arguments.of(PushService.APPLE, 410, "{\"reason\":\"Unregistered\"}", Map.of(), Cause.SUBSCRIPTION_GONE, "apple: Unregistered"),
                Arguments.of(PushService.APPLE, 400, "{\"reason\":\"ExpiredToken\"}", Map.of(), Cause.SUBSCRIPTION_GONE, "apple: ExpiredToken"),
                Arguments.of(PushService.APPLE, 429, "{\"reason\":\"TooManyRequests\"}", Map.of(), Cause.RATE_LIMITED, "apple: TooManyRequests"),
                Arguments.of(PushService.APPLE, 413, "{\"reason\":\"PayloadTooLarge\"}", Map.of(), Cause.PAYLOAD, "apple: PayloadTooLarge"),
                Arguments.of(PushService.APPLE, 500, "{\"reason\":\"InternalServerError\"}", Map.of(), Cause.TRANSIENT,
                        "apple: InternalServerError"),
                Arguments.of(PushService.APPLE, 400, "{\"reason\":\"BadDeviceToken\"}", Map.of(), Cause.REFUSED, "apple: BadDeviceToken"),
                Arguments.of(PushService.APPLE, 403, "", Map.of(), Cause.CONFIGURATION, "apple: HTTP 403"),
                // Mozilla autopush: {"code", "errno", "error", "message", "more_info"}
                Arguments.of(PushService.MOZILLA, 401, "{\"code\": 401, \"errno\": 109, \"error\": \"Unauthorized\", \"message\": "
                        + "\"Request did not validate Invalid Authorization Header\", " + MORE, Map.of(), Cause.CONFIGURATION, "mozilla: errno 109"),
                Arguments.of(PushService.MOZILLA, 404, "{\"code\": 404, \"errno\": 102, \"error\": \"Not Found\", " + MORE, Map.of(),
                        Cause.SUBSCRIPTION_GONE, "mozilla: errno 102"),
                Arguments.of(PushService.MOZILLA, 410, "{\"code\": 410, \"errno\": 106, \"error\": \"Gone\", " + MORE, Map.of(),
                        Cause.SUBSCRIPTION_GONE, "mozilla: errno 106"),
                Arguments.of(PushService.MOZILLA, 429, "{\"code\": 429, \"errno\": 201, \"error\": \"Too Many Requests\", " + MORE, Map.of(),
                        Cause.RATE_LIMITED, "mozilla: errno 201"),
                Arguments.of(PushService.MOZILLA, 413, "{\"code\": 413, \"errno\": 104, \"error\": \"Payload Too Large\", " + MORE, Map.of(),
                        Cause.PAYLOAD, "mozilla: errno 104"),
                Arguments.of(PushService.MOZILLA, 500, "{\"code\": 500, \"errno\": 999, \"error\": \"Internal Server Error\", " + MORE, Map.of(),
                        Cause.TRANSIENT, "mozilla: errno 999"),
                Arguments.of(PushService.MOZILLA, 502, "{\"code\": 502, \"errno\": 901, \"error\": \"Bad Gateway\", " + MORE, Map.of(),
                        Cause.TRANSIENT, "mozilla: errno 901"),
                Arguments.of(PushService.MOZILLA, 503, "{\"code\": 503, \"errno\": 202, \"error\": \"Service Unavailable\", " + MORE, Map.of(),
                        Cause.TRANSIENT, "mozilla: errno 202"),
                Arguments.of(PushService.MOZILLA, 400, "{\"code\": 400, \"errno\": 112, \"error\": \"Bad Request\", " + MORE, Map.of(),
                        Cause.REFUSED, "mozilla: errno 112"),
                // FCM: Google's API error JSON, the legacy HTML page, plain text
                Arguments.of(PushService.FCM, 403, "the VAPID credentials in the authorization header do not correspond to the credentials "
                        + "used to create the subscriptions.", Map.of(), Cause.CONFIGURATION, "fcm: HTTP 403"),
                Arguments.of(PushService.FCM, 400, "<HTML> <HEAD> <TITLE>UnauthorizedRegistration</TITLE> </HEAD> <BODY>", Map.of(),
                        Cause.CONFIGURATION, "fcm: UnauthorizedRegistration"),
                Arguments.of(PushService.FCM, 410, "push subscription has unsubscribed or expired.", Map.of(), Cause.SUBSCRIPTION_GONE,
                        "fcm: HTTP 410"),
                Arguments.of(PushService.FCM, 404, "{ \"error\": { \"code\": 404, \"message\": \"Requested entity was not found.\", "
                        + "\"status\": \"UNREGISTERED\" } }", Map.of(), Cause.SUBSCRIPTION_GONE, "fcm: UNREGISTERED"),
                Arguments.of(PushService.FCM, 429, "{ \"error\": { \"code\": 429, \"message\": \"Quota exceeded.\", \"status\": "
                        + "\"RESOURCE_EXHAUSTED\" } }", Map.of(), Cause.RATE_LIMITED, "fcm: RESOURCE_EXHAUSTED"),
                Arguments.of(PushService.FCM, 413, "Request entity too large", Map.of(), Cause.PAYLOAD, "fcm: HTTP 413"),
                Arguments.of(PushService.FCM, 500, "{ \"error\": { \"code\": 500, \"message\": \"Internal error encountered.\", \"status\": "
                        + "\"INTERNAL\" } }", Map.of(), Cause.TRANSIENT, "fcm: INTERNAL"),
                // WNS: no body, X-WNS-* headers
                Arguments.of(PushService.WNS, 401, "", Map.of("x-wns-error-description", "Invalid token", "x-wns-msg-id", "1A2B"),
                        Cause.CONFIGURATION, "wns: HTTP 401"),
                Arguments.of(PushService.WNS, 410, "", Map.of("x-wns-error-description", "The channel expired.", "x-wns-msg-id", "1A2B"),
                        Cause.SUBSCRIPTION_GONE, "wns: HTTP 410"),
                Arguments.of(PushService.WNS, 406, "", Map.of("x-wns-status", "channelthrottled", "x-wns-msg-id", "1A2B"),
                        Cause.RATE_LIMITED, "wns: HTTP 406 channelthrottled"),
                Arguments.of(PushService.WNS, 413, "", Map.of(), Cause.PAYLOAD, "wns: HTTP 413"),
                Arguments.of(PushService.WNS, 500, "", Map.of(), Cause.TRANSIENT, "wns: HTTP 500"),
                // any other host: the status alone, the bare reason
                Arguments.of(PushService.OTHER, 403, "{\"reason\":\"BadJwtToken\"}", Map.of(), Cause.CONFIGURATION, "HTTP 403"),
                Arguments.of(PushService.OTHER, 410, "", Map.of(), Cause.SUBSCRIPTION_GONE, "HTTP 410"),
                Arguments.of(PushService.OTHER, 406, "", Map.of(), Cause.REFUSED, "HTTP 406"));
    }

    @ParameterizedTest(name = "{0} {1} {5}")
    @MethodSource("vocabularies")
    void eachServicesAnswerLeadsToItsCauseKindAndReport(PushService service, int status, String body, Map<String, String> headers,
            Cause cause, String report) {
        var outcome = answer(service, status, ResponseReason.clean(body), headers);

        assertThat(outcome.cause()).isEqualTo(cause);
        assertThat(outcome.kind()).isEqualTo(cause.kind);
        assertThat(outcome.reason()).isEqualTo(report);
        assertThat(outcome.pause() != null).isEqualTo(cause == Cause.RATE_LIMITED);
    }

    @Test
    void whatElseAServiceSaidIsKeptForTheLogNotTheReport() {
        var wns = answer(PushService.WNS, 410, "", Map.of("x-wns-error-description", "The channel expired.", "x-wns-msg-id", "1A2B"));
        assertThat(wns.detail()).isEqualTo("X-WNS-Error-Description: The channel expired., X-WNS-Msg-Id: 1A2B");
        var mozilla = answer(PushService.MOZILLA, 401, "{\"code\": 401, \"errno\": 109, \"message\": \"Invalid Authorization\"}", Map.of());
        assertThat(mozilla.detail()).isEqualTo("Invalid Authorization");
    }

    @Test
    void aConfigurationErrorSaysWhatToFixWithoutAnySecret() {
        assertThat(Outcome.fix("apple: BadJwtToken")).contains("herald.vapid.subject");
        assertThat(Outcome.fix("apple: VapidPkHashMismatch")).contains("another VAPID public key");
        assertThat(Outcome.fix("HTTP 403")).contains("herald.vapid.private-key");
    }
}
