package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.PushResult;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.Http2PushServiceStub;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real PushClient against a push service speaking HTTP/2 over TLS with a stream limit of 100, as
 * FCM, Mozilla and Apple do, with as many pushes in flight as the Dispatcher allows by default
 * (herald.delivery.max-in-flight 256, each on its own sender thread).
 */
class PushClientHttp2Test {

    static final int IN_FLIGHT = 256;
    static final int STREAM_LIMIT = 100;
    static final Duration LATENCY = Duration.ofSeconds(1);
    /** Long: the machine may be busy; a push that waits for a stream waits at most this. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final byte[] PAYLOAD = "{\"title\":\"h2\"}".getBytes(StandardCharsets.UTF_8);

    Http2PushServiceStub stub;
    ExecutorService senders;

    @BeforeEach
    void start() {
        stub = Http2PushServiceStub.start(STREAM_LIMIT, LATENCY);
        senders = Executors.newFixedThreadPool(IN_FLIGHT);
    }

    @AfterEach
    void stop() {
        senders.shutdownNow();
        stub.close();
    }

    /** One connection per host, as before herald.push.connections-per-host. */
    PushClient client(int maxStreamsPerHost) {
        return client(maxStreamsPerHost, 1);
    }

    PushClient client(int maxStreamsPerHost, int connectionsPerHost) {
        return new PushClient(new PayloadEncryption(true), VapidFixture.headers(VapidFixture.keys()), EndpointPolicies.allowingInsecure("127.0.0.1"),
                Duration.ofSeconds(5), REQUEST_TIMEOUT, maxStreamsPerHost, connectionsPerHost, stub.clientContext());
    }

    /** IN_FLIGHT pushes released at once, as a cold broadcast's first batch; their results in order. */
    List<PushResult> burst(PushClient client, List<TestSubscriber> subscribers) throws Exception {
        var go = new CountDownLatch(1);
        var results = new ArrayList<Future<PushResult>>();
        for (TestSubscriber subscriber : subscribers) {
            var subscription = new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret()));
            results.add(senders.submit(() -> {
                go.await();
                return client.send(subscription, PAYLOAD, PushOptions.ttl(60));
            }));
        }
        go.countDown();
        var done = new ArrayList<PushResult>();
        for (var result : results) {
            done.add(result.get());
        }
        return done;
    }

    List<TestSubscriber> subscribers(int count) {
        var subscribers = new ArrayList<TestSubscriber>();
        for (int i = 0; i < count; i++) {
            subscribers.add(stub.subscriber("h2-" + i));
        }
        return subscribers;
    }

    @Test
    void coldBurstBeyondTheStreamLimitIsAllDeliveredOverOneConnection() throws Exception {
        var results = burst(client(STREAM_LIMIT), subscribers(IN_FLIGHT));

        assertThat(results).as("every push answered 201, none failed").allSatisfy(result -> assertThat(result.status()).as(result.summary()).isEqualTo(201));
        assertThat(stub.rejections()).isEmpty();
        assertThat(stub.deliveries("h2-0")).containsExactly(new String(PAYLOAD, StandardCharsets.UTF_8));
        assertThat(stub.requests()).isEqualTo(IN_FLIGHT);
        assertThat(stub.connections()).as("TCP connections opened").isEqualTo(1);
        assertThat(stub.resets()).as("streams refused or reset").isZero();
        assertThat(stub.maxConcurrentStreams()).as("streams open at once: the limit reached, never passed").isEqualTo(STREAM_LIMIT);
    }

    @Test
    void warmBurstBeyondTheStreamLimitIsAllDeliveredOverTheSameConnection() throws Exception {
        var client = client(STREAM_LIMIT);
        burst(client, subscribers(1));

        var results = burst(client, subscribers(IN_FLIGHT));

        assertThat(results).allSatisfy(result -> assertThat(result.status()).as(result.summary()).isEqualTo(201));
        assertThat(stub.connections()).isEqualTo(1);
        assertThat(stub.requests()).isEqualTo(1 + IN_FLIGHT);
        assertThat(stub.maxConcurrentStreams()).isEqualTo(STREAM_LIMIT);
    }

    @Test
    void withThreeConnectionsPerHostAColdBurstBeyondOneConnectionsLimitOpensASecondAndNoMoreThanThree() throws Exception {
        var results = burst(client(STREAM_LIMIT, 3), subscribers(IN_FLIGHT));

        assertThat(results).allSatisfy(result -> assertThat(result.status()).as(result.summary()).isEqualTo(201));
        assertThat(stub.rejections()).isEmpty();
        assertThat(stub.resets()).as("streams refused or reset").isZero();
        // more pushes wait than one connection takes, so a second one opens; a third only if both are full at once
        assertThat(stub.connections()).as("TCP connections opened").isBetween(2, 3);
    }

    // the one below shows what the cap is for: the JDK client as it is (herald.push.max-streams-per-host=0)

    @Test
    void withoutTheCapAWarmBurstFailsThePushesBeyondThePeersLimit() throws Exception {
        var client = client(0);
        burst(client, subscribers(1));

        var results = burst(client, subscribers(IN_FLIGHT));

        assertThat(results).filteredOn(result -> result.status() != 201).isNotEmpty()
                .allSatisfy(result -> assertThat(result.summary()).isEqualTo("io: too many concurrent streams"));
        assertThat(stub.connections()).isEqualTo(1);
    }

    // Without the cap a cold burst also opened many connections (56, 191 and 256 seen, and 9 once in CI): how many
    // depends on how fast the burst is sent against the first handshake, so it is not a test; the cold test above is.
}
