package dev.herald.warmup.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.notifications.entity.PayloadFormat;
import dev.herald.fanout.control.Workers;
import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.push.control.PushClients;
import dev.herald.subscriptions.control.EndpointPolicies;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import dev.herald.vapid.control.VapidFixture;
import dev.herald.warmup.entity.WarmUpState.Phase;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.AfterEach;
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
    final String prefix = TestRedis.PREFIX + "warm-up-" + java.util.UUID.randomUUID() + ":";
    final Redis redis = Redises.connect(prefix);

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    WarmUp warmUp(int pushes, boolean withVapid) {
        return configure(new WarmUp(), pushes, withVapid);
    }

    /** Its beans as the container wires them, over a real Redis under this test's prefix; the dispatcher records nothing there. */
    WarmUp configure(WarmUp warmUp, int pushes, boolean withVapid) {
        warmUp.client = PushClients.of(new PayloadEncryption(true), withVapid ? VapidFixture.headers(VapidFixture.keys()) : null,
                EndpointPolicies.allowingInsecure("fcm.googleapis.com"));
        warmUp.payloads = new PayloadSettings(PayloadFormat.DEFAULT);
        warmUp.tokens = EventTokens.on(redis);
        warmUp.worker = Workers.rehearsing(redis, PushClients.dispatcher(warmUp.client, threads), warmUp.tokens, threads);
        warmUp.store = Stores.on(redis);
        warmUp.pushes = pushes;
        warmUp.batchSize = 100;
        warmUp.prefetch = 2;
        warmUp.threads = threads;
        return warmUp;
    }

    /** Stored subscriptions whose records the warm-up reads (never sends to: they point at a closed loopback port). */
    void store(int count) {
        var store = Stores.on(redis);
        for (int i = 0; i < count; i++) {
            var subscriber = TestSubscriber.create("http://127.0.0.1:9/push/");
            store.upsert(new Subscription(subscriber.endpoint(), null, new Subscription.Keys(subscriber.p256dh(), subscriber.authSecret())));
        }
    }

    @Test
    void readinessWaitsWhileItRunsThenItReportsThePushesItsSinkAnsweredPastTheSsrfRulesWithoutWritingToRedis() throws Exception {
        var warmUp = warmUp(300, true);
        store(5);
        warmUp.tokens.ready(); // the engagement secret, which the first notification makes anyway
        var before = TestRedis.snapshot(prefix);

        warmUp.onStart(null);
        var running = warmUp.state();
        threads.openAndWait();
        var done = warmUp.state();

        assertThat(running.phase()).isEqualTo(Phase.RUNNING);
        assertThat(running.ready()).isFalse();
        assertThat(done.phase()).as(done.detail()).isEqualTo(Phase.DONE);
        assertThat(done.ready()).isTrue();
        assertThat(done.pushes()).as("answered by the loopback sink, though the rules allow fcm.googleapis.com only").isEqualTo(300);
        assertThat(done.detail()).contains("300 pushes", "waiting for the JIT compiler").doesNotContain("did not get through");
        assertThat(TestRedis.snapshot(prefix)).as("it read the stored records and wrote nothing").isEqualTo(before);
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
        var warmUp = configure(new WarmUp() {
            @Override
            List<List<String>> records(dev.herald.push.control.WarmUpSink to, long first, int count, Subscription.Keys keys) {
                var records = super.records(to, first, count, keys);
                // one in 50 off the sink's random path: the SSRF rules refuse it, as they would any loopback address
                for (int i = 0; i < count; i++) {
                    if ((first + i) % 50 == 7) {
                        var record = new java.util.ArrayList<>(records.get(i));
                        record.set(0, "http://127.0.0.1:" + to.endpoint(0).getPort() + "/elsewhere/" + (first + i));
                        records.set(i, record);
                    }
                }
                return records;
            }
        }, 300, true);

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
