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
