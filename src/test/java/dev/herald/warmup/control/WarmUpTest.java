package dev.herald.warmup.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.notifications.entity.PayloadFormat;
import dev.herald.push.control.PushClients;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.warmup.entity.WarmUpState.Phase;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    /** The container's thread factory: plain threads, the first (the warm-up's own) held at a gate until the test opens it. */
    static final class GatedThreads implements ManagedThreadFactory {
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Runnable run = made.isEmpty() ? () -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    return;
                }
                task.run();
            } : task;
            var thread = new Thread(run);
            made.add(thread);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            throw new UnsupportedOperationException();
        }

        void openAndWait() throws InterruptedException {
            gate.countDown();
            made.get(0).join();
        }
    }

    final GatedThreads threads = new GatedThreads();

    WarmUp warmUp(int pushes, boolean withVapid) {
        var warmUp = new WarmUp();
        warmUp.client = PushClients.of(new PayloadEncryption(true), withVapid ? VapidFixture.headers(VapidFixture.keys()) : null,
                EndpointPolicies.allowingInsecure("fcm.googleapis.com"));
        warmUp.dispatcher = PushClients.dispatcher(warmUp.client, threads);
        warmUp.payloads = new PayloadSettings(PayloadFormat.DEFAULT);
        warmUp.tokens = new EventTokens();
        warmUp.pushes = pushes;
        warmUp.threads = threads;
        return warmUp;
    }

    @Test
    void readinessWaitsWhileItRunsThenItReportsThePushesItsSinkAnsweredPastTheSsrfRulesWithoutRecordingThem() throws Exception {
        var warmUp = warmUp(300, true);

        warmUp.onStart(null);
        var running = warmUp.state();
        threads.openAndWait();
        var done = warmUp.state();

        assertThat(running.phase()).isEqualTo(Phase.RUNNING);
        assertThat(running.ready()).isFalse();
        assertThat(done.phase()).as(done.detail()).isEqualTo(Phase.DONE);
        assertThat(done.ready()).isTrue();
        assertThat(done.pushes()).as("answered by the loopback sink, though the rules allow fcm.googleapis.com only, and "
                + "recorded nowhere (the dispatcher has no Redis)").isEqualTo(300);
        assertThat(warmUp.client.toWarmUpSink(java.net.URI.create("http://127.0.0.1:1/warm-up/1"))).as("the sink is closed").isFalse();
        assertThat(done.took()).isPositive();
        assertThat(threads.made).as("its own, the sink's acceptor, sender threads and the sink's connections").hasSizeGreaterThan(3);
    }

    @Test
    void pushesThatMostlyFailEndItEarlyWithTheReasonAndReadinessIsNotHeldBack() throws Exception {
        var warmUp = warmUp(300, false);

        warmUp.onStart(null);
        threads.openAndWait();
        var failed = warmUp.state();

        assertThat(failed.phase()).isEqualTo(Phase.FAILED);
        assertThat(failed.ready()).isTrue();
        assertThat(failed.pushes()).isLessThan(300);
        assertThat(failed.detail()).contains("did not get through");
    }

    @Test
    void aFewPushesThatDoNotGetThroughAreCountedAndTheRestGoOn() throws Exception {
        var warmUp = new WarmUp() {
            @Override
            dev.herald.push.entity.Push push(dev.herald.push.control.WarmUpSink to, long number, Message message,
                    dev.herald.subscriptions.entity.Subscription.Keys keys) {
                var push = super.push(to, number, message, keys);
                if (number % 50 != 7) {
                    return push;
                }
                // off the sink's random path: the SSRF rules refuse it, as they would any loopback address
                var elsewhere = new dev.herald.subscriptions.entity.Subscription("http://127.0.0.1:" + to.endpoint(0).getPort()
                        + "/elsewhere/" + number, null, keys);
                return new dev.herald.push.entity.Push(push.jobId(), push.subscriptionId(), elsewhere, push.message(), 0, false);
            }
        };
        var configured = warmUp(300, true);
        warmUp.client = configured.client;
        warmUp.dispatcher = configured.dispatcher;
        warmUp.payloads = configured.payloads;
        warmUp.tokens = configured.tokens;
        warmUp.pushes = 300;
        warmUp.threads = threads;

        warmUp.onStart(null);
        threads.openAndWait();
        var done = warmUp.state();

        assertThat(done.phase()).as(done.detail()).isEqualTo(Phase.DONE);
        assertThat(done.pushes()).isEqualTo(294);
        assertThat(done.detail()).contains("6 did not get through");
    }

    @Test
    void zeroPushesTurnsItOffWithoutAThread() {
        var warmUp = warmUp(0, true);

        warmUp.onStart(null);

        assertThat(warmUp.state().phase()).isEqualTo(Phase.OFF);
        assertThat(warmUp.state().ready()).isTrue();
        assertThat(threads.made).as("no thread started").isEmpty();
    }
}
