package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HostStreamsTest {

    static final URI FCM = URI.create("https://fcm.googleapis.com/fcm/send/abc");
    static final Duration NOW = Duration.ZERO;
    static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void theFirstPushToAHostGoesAloneUntilItIsAnswered() throws Exception {
        var gate = new HostStreams(3).gate(FCM);

        assertThat(gate.enter(NOW)).isTrue();
        assertThat(gate.enter(NOW)).as("a second one while the first is unanswered").isFalse();
        gate.leave(true);

        assertThat(gate.enter(NOW)).isTrue();
        assertThat(gate.enter(NOW)).isTrue();
        assertThat(gate.enter(NOW)).isTrue();
        assertThat(gate.enter(NOW)).as("beyond the limit").isFalse();
    }

    @Test
    void aPushWithoutAnswerMakesTheNextOneGoAloneAgain() throws Exception {
        var gate = new HostStreams(3).gate(FCM);
        gate.enter(NOW);
        gate.leave(true);

        gate.enter(NOW);
        gate.leave(false);

        assertThat(gate.enter(NOW)).isTrue();
        assertThat(gate.enter(NOW)).isFalse();
    }

    @Test
    void aWaitingPushGetsTheSlotAnotherLeaves() throws Exception {
        var gate = new HostStreams(1).gate(FCM);
        gate.enter(NOW);
        var entered = new CompletableFuture<Boolean>();
        var waiter = new Thread(() -> {
            try {
                entered.complete(gate.enter(LONG));
            } catch (InterruptedException e) {
                entered.completeExceptionally(e);
            }
        });
        waiter.start();

        gate.leave(true);

        assertThat(entered.get()).isTrue();
    }

    @Test
    void whenTheFirstPushIsAnsweredEveryWaiterUpToTheLimitGoesAtOnce() throws Exception {
        var gate = new HostStreams(3).gate(FCM);
        gate.enter(NOW);
        var waiters = new java.util.ArrayList<CompletableFuture<Boolean>>();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 2; i++) {
            var entered = new CompletableFuture<Boolean>();
            waiters.add(entered);
            threads.add(new Thread(() -> {
                try {
                    entered.complete(gate.enter(LONG));
                } catch (InterruptedException e) {
                    entered.completeExceptionally(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        awaitWaiting(threads);

        gate.leave(true);

        // both, without another push leaving: the host's connection and SETTINGS exist now
        assertThat(waiters.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(waiters.get(1).get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void eachSlotThatIsFreedLetsOneWaiterIn() throws Exception {
        var gate = new HostStreams(1).gate(FCM);
        gate.enter(NOW);
        gate.leave(true);
        gate.enter(NOW);
        var entries = new java.util.concurrent.Semaphore(0);
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(() -> {
                try {
                    if (gate.enter(LONG)) {
                        entries.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        awaitWaiting(threads);

        for (int i = 0; i < 3; i++) {
            gate.leave(true);
            assertThat(entries.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)).as("a waiter took slot " + i).isTrue();
        }
        assertThat(entries.availablePermits()).isZero();
    }

    /** Until every thread waits in the gate's timed wait (the only timed wait these threads reach). */
    static void awaitWaiting(java.util.List<Thread> threads) throws InterruptedException {
        while (!threads.stream().allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING)) {
            Thread.sleep(1);
        }
    }

    @Test
    void theSameHostSharesAGateOtherHostsAndPortsHaveTheirOwn() {
        var streams = new HostStreams(100);

        assertThat(streams.gate(URI.create("https://FCM.googleapis.com/other"))).isSameAs(streams.gate(FCM));
        assertThat(streams.gate(URI.create("https://web.push.apple.com/x"))).isNotSameAs(streams.gate(FCM));
        assertThat(streams.gate(URI.create("https://127.0.0.1:8443/x"))).isNotSameAs(streams.gate(URI.create("https://127.0.0.1:9443/x")));
    }

    @Test
    void plainHttpHostsAndALimitOfZeroAreNotCapped() throws Exception {
        assertThat(new HostStreams(100).gate(URI.create("http://127.0.0.1:8080/push/a"))).isSameAs(HostStreams.Gate.OPEN);
        var open = new HostStreams(0).gate(FCM);

        for (int i = 0; i < 1000; i++) {
            assertThat(open.enter(NOW)).isTrue();
        }
    }
}
