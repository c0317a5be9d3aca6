package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Redises;
import dev.herald.push.entity.PushResult;
import dev.herald.testing.TestRedis;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PushServicesSeenTest {

    static Outcome classified(String host, PushResult result) {
        return Outcome.classify(result, host, java.time.Duration.ZERO, java.time.Duration.ZERO);
    }

    @Test
    void theLastSuccessAndTheLastConfigurationErrorAreKeptPerHostInRedis() {
        String prefix = TestRedis.PREFIX + "seen-" + UUID.randomUUID() + ":";
        var redis = Redises.connect(prefix);
        try {
            var seen = new PushServicesSeen();
            seen.redis = redis;
            seen.record("fcm.googleapis.com", classified("fcm.googleapis.com", new PushResult.Answered(201, "", null)));
            seen.record("web.push.apple.com", classified("web.push.apple.com", new PushResult.Answered(403, "{\"reason\":\"BadJwtToken\"}", null)));
            seen.record("web.push.apple.com", classified("web.push.apple.com", new PushResult.Answered(410, "{\"reason\":\"Unregistered\"}", null)));

            assertThat(seen.all()).satisfiesExactly(
                    fcm -> assertThat(fcm).satisfies(s -> assertThat(s.host()).isEqualTo("fcm.googleapis.com"))
                            .satisfies(s -> assertThat(s.lastSuccess()).isNotNull())
                            .satisfies(s -> assertThat(s.lastConfigError()).isNull()),
                    apple -> assertThat(apple).satisfies(s -> assertThat(s.configError()).isEqualTo("apple: BadJwtToken"))
                            .satisfies(s -> assertThat(s.lastSuccess()).isNull()));
        } finally {
            TestRedis.deleteAll(prefix);
            Redises.close(redis);
        }
    }
}
