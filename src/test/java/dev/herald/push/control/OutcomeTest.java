package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.control.Outcome.Kind;
import dev.herald.push.entity.PushResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    static final Duration DEFAULT = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(15);

    static Outcome classify(int status, Duration retryAfter, String host) {
        return Outcome.classify(new PushResult.Answered(status, "r", retryAfter), host, DEFAULT, MAX);
    }

    static Outcome classify(int status) {
        return classify(status, null, "fcm.googleapis.com");
    }

    @Test
    void successIsSent() {
        assertThat(classify(201).kind()).isEqualTo(Kind.SENT);
        assertThat(classify(200).kind()).isEqualTo(Kind.SENT);
        assertThat(classify(202).kind()).isEqualTo(Kind.SENT);
    }

    @Test
    void goneOrNotFoundRemovesTheSubscription() {
        assertThat(classify(404).kind()).isEqualTo(Kind.REMOVE);
        assertThat(classify(410)).isEqualTo(new Outcome(Kind.REMOVE, "HTTP 410", null));
    }

    @Test
    void throttlingPausesTheHostForRetryAfterCapped() {
        assertThat(classify(429, Duration.ofSeconds(1), "x")).isEqualTo(new Outcome(Kind.PAUSE_HOST, "HTTP 429", Duration.ofSeconds(1)));
        assertThat(classify(503, null, "x").pause()).isEqualTo(DEFAULT);
        assertThat(classify(429, Duration.ofHours(3), "x").pause()).isEqualTo(MAX);
        assertThat(classify(429, Duration.ofSeconds(-5), "x").pause()).isEqualTo(DEFAULT);
    }

    @Test
    void notAcceptableIsThrottlingOnlyForWns() {
        assertThat(classify(406, null, "db5p.notify.windows.com").kind()).isEqualTo(Kind.PAUSE_HOST);
        assertThat(classify(406, null, "fcm.googleapis.com").kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void otherServerErrorsAndTransportFailuresAreRetried() {
        assertThat(classify(500).kind()).isEqualTo(Kind.RETRY);
        assertThat(classify(502).kind()).isEqualTo(Kind.RETRY);
        assertThat(classify(504).reason()).isEqualTo("HTTP 504");
        var transport = Outcome.classify(new PushResult.NoAnswer("timeout"), "x", DEFAULT, MAX);
        assertThat(transport).isEqualTo(new Outcome(Kind.RETRY, "transport failure: timeout", null));
        var unresolved = Outcome.classify(new PushResult.NoAnswer("endpoint host does not resolve"), "x", DEFAULT, MAX);
        assertThat(unresolved.kind()).as("DNS may come back").isEqualTo(Kind.RETRY);
    }

    @Test
    void nothingSentFailsAtOnceWithoutRetryAndKeepsTheSubscription() {
        for (var why : PushResult.NotSent.Why.values()) {
            var outcome = Outcome.classify(new PushResult.NotSent(why, "detail"), "x", DEFAULT, MAX);
            assertThat(outcome).as(why.name()).isEqualTo(new Outcome(Kind.FAIL, why.reason, null));
        }
        assertThat(PushResult.NotSent.Why.INVALID_ENDPOINT.reason).isEqualTo("invalid endpoint");
        assertThat(PushResult.NotSent.Why.UNUSABLE_KEYS.reason).isEqualTo("unusable subscription keys");
        assertThat(PushResult.NotSent.Why.REFUSED_BY_POLICY.reason).isEqualTo("endpoint refused by policy");
    }

    @Test
    void clientErrorsFailWithoutRetryAndOnlyAuthErrorsAreAuthProblems() {
        for (int status : new int[] {400, 401, 403, 413, 405, 301}) {
            assertThat(classify(status)).isEqualTo(new Outcome(Kind.FAIL, "HTTP " + status, null));
        }
        assertThat(classify(401).authProblem()).isTrue();
        assertThat(classify(403).authProblem()).isTrue();
        assertThat(classify(400).authProblem()).isFalse();
        assertThat(classify(413).authProblem()).isFalse();
    }
}
