package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.control.Outcome.Cause;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.PushService;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.Personality;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.PushServiceStub.Behaviour;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.control.VapidKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every push-service personality of the stub, each reason class through the real PushClient (VAPID, encryption,
 * HTTP, ResponseReason) and the rule table: the action Herald takes and the report's text. The stub listens on
 * 127.0.0.1, so the test names the service the answer would come from. Configuration errors and gone subscriptions
 * are the stub's real refusals (a subscription made with another key; one the service does not know); the others
 * are scripted, worded by the personality.
 */
class PersonalitiesTest {

    static final VapidKeys KEYS = VapidFixture.keys();

    enum Case {
        CONFIGURATION, GONE, RATE_LIMITED, PAYLOAD, TRANSIENT
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(Personality.APPLE, PushService.APPLE, Case.CONFIGURATION, "apple: VapidPkHashMismatch"),
                Arguments.of(Personality.APPLE, PushService.APPLE, Case.GONE, "apple: Unregistered"),
                Arguments.of(Personality.APPLE, PushService.APPLE, Case.RATE_LIMITED, "apple: TooManyRequests"),
                Arguments.of(Personality.APPLE, PushService.APPLE, Case.PAYLOAD, "apple: PayloadTooLarge"),
                Arguments.of(Personality.APPLE, PushService.APPLE, Case.TRANSIENT, "apple: InternalServerError"),
                Arguments.of(Personality.MOZILLA, PushService.MOZILLA, Case.CONFIGURATION, "mozilla: errno 109"),
                Arguments.of(Personality.MOZILLA, PushService.MOZILLA, Case.GONE, "mozilla: errno 102"),
                Arguments.of(Personality.MOZILLA, PushService.MOZILLA, Case.RATE_LIMITED, "mozilla: errno 201"),
                Arguments.of(Personality.MOZILLA, PushService.MOZILLA, Case.PAYLOAD, "mozilla: errno 104"),
                Arguments.of(Personality.MOZILLA, PushService.MOZILLA, Case.TRANSIENT, "mozilla: errno 999"),
                Arguments.of(Personality.FCM, PushService.FCM, Case.CONFIGURATION, "fcm: HTTP 403"),
                Arguments.of(Personality.FCM, PushService.FCM, Case.GONE, "fcm: HTTP 410"),
                Arguments.of(Personality.FCM, PushService.FCM, Case.RATE_LIMITED, "fcm: RESOURCE_EXHAUSTED"),
                Arguments.of(Personality.FCM, PushService.FCM, Case.PAYLOAD, "fcm: HTTP 413"),
                Arguments.of(Personality.FCM, PushService.FCM, Case.TRANSIENT, "fcm: INTERNAL"),
                Arguments.of(Personality.WNS, PushService.WNS, Case.CONFIGURATION, "wns: HTTP 403"),
                Arguments.of(Personality.WNS, PushService.WNS, Case.GONE, "wns: HTTP 404"),
                Arguments.of(Personality.WNS, PushService.WNS, Case.RATE_LIMITED, "wns: HTTP 406 channelthrottled"),
                Arguments.of(Personality.WNS, PushService.WNS, Case.PAYLOAD, "wns: HTTP 413"),
                Arguments.of(Personality.WNS, PushService.WNS, Case.TRANSIENT, "wns: HTTP 500"),
                Arguments.of(Personality.GENERIC, PushService.OTHER, Case.CONFIGURATION, "HTTP 403"),
                Arguments.of(Personality.GENERIC, PushService.OTHER, Case.GONE, "HTTP 404"),
                Arguments.of(Personality.GENERIC, PushService.OTHER, Case.RATE_LIMITED, "HTTP 429"),
                Arguments.of(Personality.GENERIC, PushService.OTHER, Case.PAYLOAD, "HTTP 413"),
                Arguments.of(Personality.GENERIC, PushService.OTHER, Case.TRANSIENT, "HTTP 500"));
    }

    @ParameterizedTest(name = "{0} {2} -> {3}")
    @MethodSource("answers")
    void eachReasonClassLeadsToTheRightActionAndReport(Personality personality, PushService service, Case reason, String report)
            throws Exception {
        // a subscription made with another application server key: the service refuses our VAPID key
        String expectedKey = reason == Case.CONFIGURATION ? "BAnotherApplicationServerKey" : KEYS.publicKeyBase64Url();
        try (var stub = PushServiceStub.start(expectedKey, personality)) {
            var client = new PushClient(new PayloadEncryption(true), VapidFixture.headers(KEYS), EndpointPolicies.allowingInsecure("127.0.0.1"),
                    Duration.ofSeconds(2), Duration.ofSeconds(30));
            TestSubscriber subscriber;
            if (reason == Case.GONE) {
                // a subscription the service no longer knows
                var keys = TestSubscriber.create("");
                subscriber = new TestSubscriber(stub.endpoint("gone"), keys.keys(), keys.auth());
            } else {
                subscriber = stub.subscriber("s");
                switch (reason) {
                    case RATE_LIMITED -> stub.respond("s", Behaviour.throttled(7));
                    case PAYLOAD -> stub.respond("s", Behaviour.tooLarge());
                    case TRANSIENT -> stub.respond("s", Behaviour.serverError());
                    default -> { }
                }
            }
            var result = client.send(new Subscription(subscriber.endpoint(), null,
                    new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret())), "{\"title\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
                    PushOptions.ttl(60));

            var outcome = Outcome.classify(result, service, Duration.ofSeconds(10), Duration.ofMinutes(15));

            assertThat(outcome.reason()).as(result.summary()).isEqualTo(report);
            assertThat(outcome.cause()).isEqualTo(switch (reason) {
                case CONFIGURATION -> Cause.CONFIGURATION;
                case GONE -> Cause.SUBSCRIPTION_GONE;
                case RATE_LIMITED -> Cause.RATE_LIMITED;
                case PAYLOAD -> Cause.PAYLOAD;
                case TRANSIENT -> Cause.TRANSIENT;
            });
            assertThat(outcome.kind()).isEqualTo(switch (reason) {
                case CONFIGURATION, PAYLOAD -> Outcome.Kind.FAIL;
                case GONE -> Outcome.Kind.REMOVE;
                case RATE_LIMITED -> Outcome.Kind.PAUSE_HOST;
                case TRANSIENT -> Outcome.Kind.RETRY;
            });
            if (reason == Case.RATE_LIMITED) {
                assertThat(outcome.pause()).as("the service's Retry-After").isEqualTo(Duration.ofSeconds(7));
            }
            assertThat(outcome.subscriptionsFault()).as("none of these is the subscription's own doing (5xx only after retries)")
                    .isEqualTo(reason == Case.TRANSIENT);
        }
    }
}
