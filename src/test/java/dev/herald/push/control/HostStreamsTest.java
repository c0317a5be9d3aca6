package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostStreamsTest {

    static final URI FCM = URI.create("https://fcm.googleapis.com/fcm/send/abc");
    static final Duration NOW = Duration.ZERO;
    static final Duration LONG = Duration.ofSeconds(30);
    static final int NONE = HostStreams.Gate.NONE;

    /** The gates' clock (nanoseconds): it moves only when a test moves it. */
    final AtomicLong clock = new AtomicLong(1_000);
    /** One permit each time a push starts to wait in a gate. */
    final Semaphore waits = new Semaphore(0);

    HostStreams.Gate gate(int limit, int connections) {
        return new HostStreams(limit, connections, clock::get, waits::release).gate(FCM);
    }

    /** A push on this connection ends with an answer, a moment after everything before. */
    void answered(HostStreams.Gate gate, int connection) {
        gate.leave(connection, true, clock.incrementAndGet());
    }

    /** A push that entered after every answer so far ends without one. */
    void unanswered(HostStreams.Gate gate, int connection) {
        gate.leave(connection, false, clock.incrementAndGet());
    }

    @Test
    void theFirstPushToAHostGoesAloneUntilItIsAnswered() throws Exception {
        var gate = gate(3, 1);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("a second one while the first is unanswered").isEqualTo(NONE);
        answered(gate, 0);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("beyond the limit").isEqualTo(NONE);
    }

    @Test
    void aPushWithoutAnswerMakesTheNextOneGoAloneAgain() throws Exception {
        var gate = gate(3, 1);
        gate.enter(NOW);
        answered(gate, 0);

        gate.enter(NOW);
        unanswered(gate, 0);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isEqualTo(NONE);
    }

    @Test
    void aPushWithoutAnswerDoesNotCloseAConnectionThatAnsweredAnotherSinceItEntered() throws Exception {
        var gate = gate(3, 1);
        gate.enter(NOW);
        answered(gate, 0);
        gate.enter(NOW);
        long slowEntered = clock.incrementAndGet();
        gate.enter(NOW);
        answered(gate, 0);

        gate.leave(0, false, slowEntered);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("still open: more than one push at once").isZero();
    }

    @Test
    void aConnectionIdleForLongerThanIdleGoesAloneAgain() throws Exception {
        var gate = gate(3, 1);
        gate.enter(NOW);
        answered(gate, 0);

        clock.addAndGet(HostStreams.IDLE.toNanos() + 1);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("the peer may have closed it").isEqualTo(NONE);
    }

    @Test
    void aWaitingPushGetsTheSlotAnotherLeaves() throws Exception {
        var gate = gate(1, 1);
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
        awaitWaiting(1);

        answered(gate, 0);

        assertThat(entered.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void whenTheFirstPushIsAnsweredEveryWaiterUpToTheLimitGoesAtOnce() throws Exception {
        var gate = gate(3, 1);
        gate.enter(NOW);
        var waiters = waiters(gate, 2);

        answered(gate, 0);

        // both, without another push leaving: the host's connection and SETTINGS exist now
        for (var waiter : waiters) {
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void eachSlotThatIsFreedLetsOneWaiterIn() throws Exception {
        var gate = gate(1, 1);
        gate.enter(NOW);
        answered(gate, 0);
        gate.enter(NOW);
        var entries = new Semaphore(0);
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(() -> {
                try {
                    if (gate.enter(LONG) != NONE) {
                        entries.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        awaitWaiting(threads.size());

        for (int i = 0; i < 3; i++) {
            answered(gate, 0);
            assertThat(entries.tryAcquire(10, TimeUnit.SECONDS)).as("a waiter took slot " + i).isTrue();
            assertThat(entries.availablePermits()).as("only one waiter for slot " + i).isZero();
        }
    }

    @Test
    void aSecondConnectionOpensOnlyWhenTheFirstIsOpenAndFullAndTheyFillInOrder() throws Exception {
        var gate = gate(2, 3);

        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("no second connection while the first is not yet answered").isEqualTo(NONE);
        answered(gate, 0);
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).isZero();
        assertThat(gate.enter(NOW)).as("the first is full: the second opens, alone").isEqualTo(1);
        assertThat(gate.enter(NOW)).as("not a third while the second is unanswered").isEqualTo(NONE);
        answered(gate, 1);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        assertThat(gate.enter(NOW)).isEqualTo(2);

        answered(gate, 0);
        assertThat(gate.enter(NOW)).as("a slot freed on the first connection is used before any other").isZero();
    }

    @Test
    void aConnectionThatLostItsAnswersKeepsNoOtherFromOpening() throws Exception {
        var gate = gate(2, 3);
        gate.enter(NOW);
        answered(gate, 0);
        gate.enter(NOW);
        gate.enter(NOW);
        gate.enter(NOW); // opens connection 1
        answered(gate, 1);
        gate.enter(NOW);

        unanswered(gate, 0); // connection 0 may be gone; one push is still in flight on it

        assertThat(gate.enter(NOW)).as("connection 1 is open").isEqualTo(1);
        assertThat(gate.enter(NOW)).as("the others are full or closed: connection 2 opens").isEqualTo(2);
        assertThat(gate.enter(NOW)).as("one opens at a time").isEqualTo(NONE);
        answered(gate, 0);
        assertThat(gate.enter(NOW)).as("connection 0 answered again").isZero();
    }

    @Test
    void aConnectionWhoseFirstPushGotNoAnswerIsNotTriedNextTheFollowingOneIs() throws Exception {
        var gate = gate(1, 3);
        assertThat(gate.enter(NOW)).isZero();

        unanswered(gate, 0);

        assertThat(gate.enter(NOW)).isEqualTo(1);
        unanswered(gate, 1);
        assertThat(gate.enter(NOW)).isEqualTo(2);
        answered(gate, 2);
        assertThat(gate.enter(NOW)).as("connection 2 is open").isEqualTo(2);
    }

    @Test
    void whenASecondConnectionOpensEveryWaiterUpToItsLimitGoesAtOnce() throws Exception {
        var gate = gate(2, 2);
        gate.enter(NOW);
        answered(gate, 0);
        gate.enter(NOW);
        gate.enter(NOW);
        assertThat(gate.enter(NOW)).isEqualTo(1);
        var waiters = waiters(gate, 2);

        answered(gate, 1);

        for (var waiter : waiters) {
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aWaiterTakesASlotThatFreesOnAnyConnection() throws Exception {
        var gate = gate(1, 2);
        gate.enter(NOW);
        answered(gate, 0);
        gate.enter(NOW);
        gate.enter(NOW); // opens connection 1
        answered(gate, 1);
        gate.enter(NOW);
        var waiter = waiters(gate, 1).get(0);

        answered(gate, 1);

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(1);
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
        assertThat(new HostStreams(100, 4).gate(URI.create("http://127.0.0.1:8080/push/a"))).isSameAs(HostStreams.Gate.OPEN);
        var open = new HostStreams(0, 4).gate(FCM);

        for (int i = 0; i < 1000; i++) {
            assertThat(open.enter(NOW)).isZero();
        }
    }

    /** count threads waiting in the gate (each result: the connection it entered on), once all of them wait. */
    List<CompletableFuture<Integer>> waiters(HostStreams.Gate gate, int count) throws InterruptedException {
        var waiters = new ArrayList<CompletableFuture<Integer>>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < count; i++) {
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
        awaitWaiting(threads.size());
        return waiters;
    }

    /**
     * Until count pushes wait in the gate. The gate reports a wait while it still holds its monitor, so the test's next
     * enter or leave (which take that monitor) comes after those pushes are waiting.
     */
    void awaitWaiting(int count) throws InterruptedException {
        assertThat(waits.tryAcquire(count, 10, TimeUnit.SECONDS)).as("%d pushes waiting in the gate", count).isTrue();
    }
}
