package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.control.Redises;
import dev.herald.push.entity.PushResult;
import dev.herald.testing.TestRedis;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PushServicesSeenTest {

    @Test
    void vapidRefusalsAreConfigurationErrorsAndSubscriptionAnswersAreNot() {
        assertThat(PushServicesSeen.configError(new PushResult.Answered(403, "BadJwtToken", null))).isTrue();
        assertThat(PushServicesSeen.configError(new PushResult.Answered(401, "", null))).isTrue();
        assertThat(PushServicesSeen.configError(new PushResult.Answered(400, "{\"reason\":\"BadJwtToken\"}", null))).isTrue();
        assertThat(PushServicesSeen.configError(new PushResult.Answered(400, "payload too large", null))).isFalse();
        assertThat(PushServicesSeen.configError(new PushResult.Answered(410, "", null))).isFalse();
        assertThat(PushServicesSeen.configError(new PushResult.NoAnswer("timeout"))).isFalse();
    }

    @Test
    void theLastSuccessAndTheLastConfigurationErrorAreKeptPerHostInRedis() {
        String prefix = TestRedis.PREFIX + "seen-" + UUID.randomUUID() + ":";
        var redis = Redises.connect(prefix);
        try {
            var seen = new PushServicesSeen();
            seen.redis = redis;
            seen.record("fcm.googleapis.com", new PushResult.Answered(201, "", null));
            seen.record("web.push.apple.com", new PushResult.Answered(403, "BadJwtToken", null));
            seen.record("web.push.apple.com", new PushResult.Answered(410, "", null));

            assertThat(seen.all()).satisfiesExactly(
                    fcm -> assertThat(fcm).satisfies(s -> assertThat(s.host()).isEqualTo("fcm.googleapis.com"))
                            .satisfies(s -> assertThat(s.lastSuccess()).isNotNull())
                            .satisfies(s -> assertThat(s.lastConfigError()).isNull()),
                    apple -> assertThat(apple).satisfies(s -> assertThat(s.configError()).isEqualTo("403 BadJwtToken"))
                            .satisfies(s -> assertThat(s.lastSuccess()).isNull()));
        } finally {
            TestRedis.deleteAll(prefix);
            Redises.close(redis);
        }
    }
}
