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
        var gate = new HostStreams(3, 1).gate(FCM);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("a second one while the first is unanswered").isEqualTo(HostStreams.Gate.NONE);
        gate.leave(0, true);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("beyond the limit").isEqualTo(HostStreams.Gate.NONE);
    }

    @Test
    void aPushWithoutAnswerMakesTheNextOneGoAloneAgain() throws Exception {
        var gate = new HostStreams(3, 1).gate(FCM);
        gate.enter(NOW);
        gate.leave(0, true);

        gate.enter(NOW);
        gate.leave(0, false);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isEqualTo(HostStreams.Gate.NONE);
    }

    @Test
    void aWaitingPushGetsTheSlotAnotherLeaves() throws Exception {
        var gate = new HostStreams(1, 1).gate(FCM);
        gate.enter(NOW);
        var entered = new CompletableFuture<Integer>();
        var waiter = new Thread(() -> {
            try {
                entered.complete(gate.enter(LONG));
            } catch (InterruptedException e) {
                entered.completeExceptionally(e);
            }
        });
        waiter.start();

        gate.leave(0, true);

        assertThat(entered.get()).isZero();
    }

    @Test
    void whenTheFirstPushIsAnsweredEveryWaiterUpToTheLimitGoesAtOnce() throws Exception {
        var gate = new HostStreams(3, 1).gate(FCM);
        gate.enter(NOW);
        var waiters = new java.util.ArrayList<CompletableFuture<Integer>>();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 2; i++) {
            var entered = new CompletableFuture<Integer>();
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

        gate.leave(0, true);

        // both, without another push leaving: the host's connection and SETTINGS exist now
        assertThat(waiters.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(waiters.get(1).get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    @Test
    void eachSlotThatIsFreedLetsOneWaiterIn() throws Exception {
        var gate = new HostStreams(1, 1).gate(FCM);
        gate.enter(NOW);
        gate.leave(0, true);
        gate.enter(NOW);
        var entries = new java.util.concurrent.Semaphore(0);
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(() -> {
                try {
                    if (gate.enter(LONG) != HostStreams.Gate.NONE) {
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
            gate.leave(0, true);
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
    void aSecondConnectionOpensOnlyWhenTheFirstIsOpenAndFullAndTheyFillInOrder() throws Exception {
        var gate = new HostStreams(2, 3).gate(FCM);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("no second connection while the first is not yet answered").isEqualTo(HostStreams.Gate.NONE);
        gate.leave(0, true);
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("the first is full: the second opens, alone").isEqualTo(1);
        assertThat(gate.enter(NOW)).as("not a third while the second is unanswered").isEqualTo(HostStreams.Gate.NONE);
        gate.leave(1, true);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        assertThat(gate.enter(NOW)).isEqualTo(2);

        gate.leave(0, true);
        assertThat(gate.enter(NOW)).as("a slot freed on the first connection is used before any other").isZero();
    }

    @Test
    void aConnectionThatLostAnAnswerTakesNoMoreUntilItIsAnsweredAgainWhileTheOthersGoOn() throws Exception {
        var gate = new HostStreams(2, 2).gate(FCM);
        gate.enter(NOW);
        gate.leave(0, true);
        gate.enter(NOW);
        gate.enter(NOW);
        gate.enter(NOW); // opens connection 1
        gate.leave(1, true);

        gate.leave(0, false); // connection 0 may be gone; one push is still in flight on it

        assertThat(gate.enter(NOW)).as("connection 1 is open").isEqualTo(1);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        assertThat(gate.enter(NOW)).as("connection 1 is full, connection 0 has a push out").isEqualTo(HostStreams.Gate.NONE);
        gate.leave(0, true);
        assertThat(gate.enter(NOW)).as("connection 0 answered again").isZero();
    }

    @Test
    void aWaiterTakesASlotThatFreesOnAnyConnection() throws Exception {
        var gate = new HostStreams(1, 2).gate(FCM);
        gate.enter(NOW);
        gate.leave(0, true);
        gate.enter(NOW);
        gate.enter(NOW); // opens connection 1
        gate.leave(1, true);
        gate.enter(NOW);
        var entered = new CompletableFuture<Integer>();
        var waiter = new Thread(() -> {
            try {
                entered.complete(gate.enter(LONG));
            } catch (InterruptedException e) {
                entered.completeExceptionally(e);
            }
        });
        waiter.start();
        awaitWaiting(java.util.List.of(waiter));

        gate.leave(1, true);

        assertThat(entered.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void theSameHostSharesAGateOtherHostsAndPortsHaveTheirOwn() {
        var streams = new HostStreams(100, 1);

        assertThat(streams.gate(URI.create("https://FCM.googleapis.com/other"))).isSameAs(streams.gate(FCM));
        assertThat(streams.gate(URI.create("https://web.push.apple.com/x"))).isNotSameAs(streams.gate(FCM));
        assertThat(streams.gate(URI.create("https://127.0.0.1:8443/x"))).isNotSameAs(streams.gate(URI.create("https://127.0.0.1:9443/x")));
    }

    @Test
    void plainHttpHostsAndALimitOfZeroAreNotCapped() throws Exception {
        assertThat(new HostStreams(100, 1).gate(URI.create("http://127.0.0.1:8080/push/a"))).isSameAs(HostStreams.Gate.OPEN);
        var open = new HostStreams(0, 1).gate(FCM);

        for (int i = 0; i < 1000; i++) {
            assertThat(open.enter(NOW)).isZero();
        }
    }
}
