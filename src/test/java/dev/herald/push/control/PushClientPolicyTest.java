package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.push.entity.PushOptions;
import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.entity.PushResult;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.control.EndpointPolicy;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.control.VapidKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The delivery-time SSRF check as the sender applies it before every push. */
class PushClientPolicyTest {

    static final byte[] PAYLOAD = "{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    VapidKeys keys = VapidFixture.keys();

    PushResult send(EndpointPolicy policy, TestSubscriber subscriber) throws Exception {
        var sender = new PushClient(new PayloadEncryption(true), VapidFixture.headers(keys), policy, Duration.ofSeconds(2), Duration.ofSeconds(30));
        return sender.send(new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret())),
                PAYLOAD, new PushOptions(60, null, null));
    }

    @Test
    void allowedHostResolvingToAPrivateAddressIsRefusedFinallyWithoutRetry() throws Exception {
        var policy = EndpointPolicies.defaultsResolving(Map.of("fcm.googleapis.com", "10.0.0.7"));

        var result = send(policy, TestSubscriber.create());

        assertThat(result).isInstanceOf(PushResult.NotSent.class);
        assertThat(((PushResult.NotSent) result).why()).isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
        assertThat(result.summary()).isEqualTo("endpoint refused by policy");
        var outcome = Outcome.classify(result, "fcm.googleapis.com", Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(outcome.kind()).as("failed, subscription kept").isEqualTo(Outcome.Kind.FAIL);
        assertThat(outcome.reason()).isEqualTo("endpoint refused by policy");
    }

    @Test
    void configurationTightenedSinceSubscribeIsAppliedAtDelivery() throws Exception {
        try (var stub = PushServiceStub.start(keys.publicKeyBase64Url())) {
            var tightened = EndpointPolicies.allowingInsecure("127.0.0.1");
            var subscriber = stub.subscriber("kept-out");
            assertThat(tightened.check(subscriber.endpoint())).isNotNull();
            tightened = EndpointPolicies.allowingInsecure("fcm.googleapis.com");

            var result = send(tightened, subscriber);

            assertThat(((PushResult.NotSent) result).why()).isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
            assertThat(stub.requestCount("kept-out")).isZero();
        }
    }

    @Test
    void redirectsAreNeverFollowed() throws Exception {
        var followed = new AtomicInteger();
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/push/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/metadata");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/metadata", exchange -> {
            followed.incrementAndGet();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try {
            var subscriber = TestSubscriber.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push/");

            var result = send(EndpointPolicies.allowingInsecure("127.0.0.1"), subscriber);

            assertThat(result.status()).isEqualTo(307);
            assertThat(followed).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyTheOpenWarmUpSinksOwnAddressesPassTheRules() throws Exception {
        var strict = EndpointPolicies.allowingInsecure("fcm.googleapis.com");
        var sender = new PushClient(new PayloadEncryption(true), VapidFixture.headers(keys), strict, Duration.ofSeconds(2), Duration.ofSeconds(30));
        var subscriber = TestSubscriber.create();
        var keysOf = new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret());
        var options = new PushOptions(60, null, null);
        try (var sink = WarmUpSink.start(Thread::new)) {
            var notAdmitted = sender.send(new Subscription(sink.endpoint(1).toString(), null, keysOf), PAYLOAD, options);

            sender.admit(sink);
            var admitted = sender.send(new Subscription(sink.endpoint(2).toString(), null, keysOf), PAYLOAD, options);
            int port = sink.endpoint(0).getPort();
            var otherPath = sender.send(new Subscription("http://127.0.0.1:" + port + "/warm-up/3", null, keysOf), PAYLOAD, options);
            var otherPort = sender.send(new Subscription("http://127.0.0.1:1" + sink.endpoint(4).getRawPath(), null, keysOf), PAYLOAD, options);
            sender.dismiss(sink);
            var dismissed = sender.send(new Subscription(sink.endpoint(5).toString(), null, keysOf), PAYLOAD, options);

            assertThat(((PushResult.NotSent) notAdmitted).why()).isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
            assertThat(((PushResult.Answered) admitted).status()).as("the open warm-up sink passes").isEqualTo(201);
            assertThat(((PushResult.NotSent) otherPath).why()).as("its port without its random path does not")
                    .isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
            assertThat(((PushResult.NotSent) otherPort).why()).as("nor its path on another port").isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
            assertThat(((PushResult.NotSent) dismissed).why()).isEqualTo(PushResult.NotSent.Why.REFUSED_BY_POLICY);
            assertThat(sink.answered()).isEqualTo(1);
        }
    }
}
