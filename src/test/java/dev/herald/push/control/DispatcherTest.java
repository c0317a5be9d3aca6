package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.Push;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.Settled;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    @Test
    void aPushThatFindsNoFreeStreamToItsHostWaitsItsTurnWithoutSpendingATry() throws Exception {
        var endpoint = "https://127.0.0.1:1/push/busy";
        var client = new PushClient(new PayloadEncryption(true), VapidFixture.headers(VapidFixture.keys()),
                EndpointPolicies.allowingInsecure("127.0.0.1"), Duration.ofSeconds(1), Duration.ofMillis(200), 2, 2, null);
        // every stream to the host held (the first push to a host goes alone, so one holds them all, and no second
        // connection opens before the first is answered): none frees up
        assertThat(client.streams.gate(URI.create(endpoint)).enter(Duration.ZERO)).isZero();
        var dispatcher = PushClients.dispatcher(client, Thread::new);
        var subscriber = TestSubscriber.create();
        var settled = new CompletableFuture<Settled>();

        dispatcher.dispatch(new Push("job", "id", new Subscription(endpoint, null, new Subscription.Keys(subscriber.p256dh(),
                subscriber.authSecret())), new Message("{}".getBytes(StandardCharsets.UTF_8), PushOptions.ttl(60)), 3, false),
                settled::complete);

        var outcome = settled.get(10, TimeUnit.SECONDS);
        assertThat(outcome.kind()).as("its three tries are spent, yet it was never sent: not failed").isEqualTo(Settled.Kind.LATER);
        assertThat(outcome.retries()).as("no try spent").isEqualTo(3);
        assertThat(outcome.reason()).contains("not sent yet", "no stream to the host free");
    }
}
