package dev.herald.push.control;

import static dev.herald.testing.PushServiceStub.Behaviour.delay;
import static dev.herald.testing.PushServiceStub.Behaviour.status;
import static dev.herald.testing.PushServiceStub.Behaviour.statusWithRetryAfter;
import static dev.herald.testing.PushServiceStub.Behaviour.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushResult.Answered;
import dev.herald.push.entity.PushResult.NoAnswer;
import dev.herald.push.entity.PushResult.NotSent;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.control.VapidKeys;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PushClientTest {

    /** Long: the machine may be busy; only noAnswerIsATimeoutWithStatusZero uses a short one. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    VapidKeys keys = VapidFixture.keys();
    PushServiceStub stub;
    PushClient sender;

    @BeforeEach
    void start() {
        stub = PushServiceStub.start(keys.publicKeyBase64Url());
        sender = new PushClient(new PayloadEncryption(true), VapidFixture.headers(keys), EndpointPolicies.allowingInsecure("127.0.0.1"),
                Duration.ofSeconds(2), REQUEST_TIMEOUT);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    static Subscription subscription(TestSubscriber subscriber) {
        return new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()));
    }

    static Outcome classify(PushResult result) {
        return Outcome.classify(result, "127.0.0.1", Duration.ofSeconds(10), Duration.ofMinutes(15));
    }

    PushResult send(String name, String payload, PushOptions options) throws Exception {
        return sender.send(subscription(stub.subscriber(name)), payload.getBytes(StandardCharsets.UTF_8), options);
    }

    @Test
    void deliveredPayloadDecryptsExactlyWithAllHeaders() throws Exception {
        String payload = "{\"title\":\"Hello\",\"body\":\"Grüße ☃\"}";

        PushResult result = send("alice", payload, new PushOptions(3600, "high", "weather-update"));

        assertThat(stub.rejections()).isEmpty();
        assertThat(result).isEqualTo(new Answered(201, "", null));
        assertThat(result.summary()).isEqualTo("201");
        var delivery = stub.deliveries("alice");
        assertThat(delivery).hasSize(1);
        assertThat(delivery.get(0).payload()).isEqualTo(payload);
        assertThat(delivery.get(0).header("TTL")).isEqualTo("3600");
        assertThat(delivery.get(0).header("Urgency")).isEqualTo("high");
        assertThat(delivery.get(0).header("Topic")).isEqualTo("weather-update");
        assertThat(delivery.get(0).header("Content-Encoding")).isEqualTo("aes128gcm");
        assertThat(delivery.get(0).header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(delivery.get(0).header("Authorization")).startsWith("vapid t=").endsWith(", k=" + keys.publicKeyBase64Url());
    }

    @Test
    void urgencyAndTopicAreOmittedWhenNotGiven() throws Exception {
        PushResult result = send("bob", "{}", PushOptions.ttl(0));
        assertThat(result.status()).as(result + " " + stub.rejections()).isEqualTo(201);

        var delivery = stub.deliveries("bob").get(0);
        assertThat(delivery.header("TTL")).isEqualTo("0");
        assertThat(delivery.header("Urgency")).isNull();
        assertThat(delivery.header("Topic")).isNull();
    }

    @Test
    void goneSubscriptionIs410WithTheServicesReason() throws Exception {
        stub.respond("carol", status(410));

        PushResult result = send("carol", "{}", PushOptions.ttl(60));

        assertThat(result).isEqualTo(new Answered(410, "scripted answer 410", null));
        assertThat(result.summary()).isEqualTo("410 scripted answer 410");
        assertThat(classify(result).kind()).isEqualTo(Outcome.Kind.REMOVE);
        assertThat(stub.deliveries("carol")).isEmpty();
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() throws Exception {
        stub.respond("dave", statusWithRetryAfter(429, 120));

        PushResult result = send("dave", "{}", PushOptions.ttl(60));

        assertThat(result.status()).isEqualTo(429);
        assertThat(((Answered) result).retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(classify(result)).isEqualTo(new Outcome(Outcome.Kind.PAUSE_HOST, Outcome.Cause.RATE_LIMITED, "HTTP 429", Duration.ofSeconds(120), "scripted answer 429"));
    }

    @Test
    void serverErrorIsRetryableAndNextAnswerIsUsedOnTheNextRequest() throws Exception {
        stub.respond("erin", status(500), status(201));

        PushResult first = send("erin", "{\"n\":1}", PushOptions.ttl(60));
        PushResult second = send("erin", "{\"n\":2}", PushOptions.ttl(60));

        assertThat(first.status()).isEqualTo(500);
        assertThat(classify(first).kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(second.status()).isEqualTo(201);
        assertThat(stub.deliveries("erin")).extracting(PushServiceStub.Delivery::payload).containsExactly("{\"n\":2}");
        assertThat(stub.requestCount("erin")).isEqualTo(2);
    }

    @Test
    void slowAnswerWithinTheTimeoutIsDelivered() throws Exception {
        stub.respond("fay", delay(Duration.ofMillis(200)));

        assertThat(send("fay", "{}", PushOptions.ttl(60)).status()).isEqualTo(201);
    }

    @Test
    void noAnswerIsATimeoutWithStatusZero() throws Exception {
        stub.respond("gus", timeout());
        var impatient = new PushClient(new PayloadEncryption(true), VapidFixture.headers(keys), EndpointPolicies.allowingInsecure("127.0.0.1"), Duration.ofSeconds(2), Duration.ofMillis(300));

        PushResult result = impatient.send(subscription(stub.subscriber("gus")), new byte[]{'{', '}'}, PushOptions.ttl(60));

        assertThat(result).isEqualTo(new NoAnswer("timeout"));
        assertThat(result.status()).isZero();
        assertThat(classify(result).kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(stub.deliveries("gus")).isEmpty();
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var subscriber = TestSubscriber.create("http://127.0.0.1:" + port + "/push/");

        PushResult result = sender.send(subscription(subscriber), new byte[]{'{', '}'}, PushOptions.ttl(60));

        assertThat(result).isEqualTo(new NoAnswer("connection refused"));
    }

    @Test
    void payloadOverTheLimitIsRefusedBeforeSending() {
        var subscriber = stub.subscriber("hal");

        assertThatThrownBy(() -> sender.send(subscription(subscriber), new byte[PayloadEncryption.MAX_PLAINTEXT + 1], PushOptions.ttl(60)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.requestCount("hal")).isZero();
    }

    @Test
    void pushServiceRejectsAForeignVapidKey() throws Exception {
        var other = new PushClient(new PayloadEncryption(true), VapidFixture.headers(VapidFixture.keys()), EndpointPolicies.allowingInsecure("127.0.0.1"),
                Duration.ofSeconds(2), REQUEST_TIMEOUT);

        PushResult result = other.send(subscription(stub.subscriber("ivy")), new byte[]{'{', '}'}, PushOptions.ttl(60));

        assertThat(result.status()).isEqualTo(403);
        assertThat(stub.rejections()).singleElement().satisfies(r -> assertThat(r.reason()).contains("k is not"));
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        assertThat(RetryAfter.parse("30", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 10:02:00 GMT", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
    }

    @Test
    void nonHttpEndpointIsAnInvalidEndpointResult() throws Exception {
        var subscriber = TestSubscriber.create("ftp://127.0.0.1/push/");
        PushResult result = sender.send(subscription(subscriber), new byte[]{'{', '}'}, PushOptions.ttl(60));

        assertThat(result).isInstanceOf(NotSent.class);
        assertThat(((NotSent) result).why()).isEqualTo(NotSent.Why.INVALID_ENDPOINT);
        assertThat(classify(result)).isEqualTo(new Outcome(Outcome.Kind.FAIL, Outcome.Cause.NOT_SENT, "invalid endpoint", null, null));
    }

    @Test
    void keysThatCannotEncryptAreNotSentAndFailWithoutRetry() throws Exception {
        var subscriber = stub.subscriber("kim");
        var broken = new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), "c2hvcnQ"));

        PushResult result = sender.send(broken, new byte[]{'{', '}'}, PushOptions.ttl(60));

        assertThat(result).isInstanceOf(NotSent.class);
        assertThat(((NotSent) result).why()).isEqualTo(NotSent.Why.UNUSABLE_KEYS);
        assertThat(classify(result)).as("not an internal error, and never retried")
                .isEqualTo(new Outcome(Outcome.Kind.FAIL, Outcome.Cause.NOT_SENT, "unusable subscription keys", null, null));
        assertThat(stub.requestCount("kim")).isZero();
    }

    @Test
    void eceKeyLogWhichWouldPrintMessageKeysIsRefused() {
        assertThatThrownBy(() -> PushClient.refuseKeyLog("1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("ECE_KEYLOG");
        PushClient.refuseKeyLog(null);
        PushClient.refuseKeyLog("0");
    }
}
