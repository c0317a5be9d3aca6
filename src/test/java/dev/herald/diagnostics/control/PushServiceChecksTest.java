package dev.herald.diagnostics.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.diagnostics.entity.Check;
import dev.herald.diagnostics.entity.Check.Status;
import dev.herald.push.control.PushServicesSeen.Seen;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushServiceChecksTest {

    @Test
    void aConfigurationErrorAfterTheLastSuccessWarnsPerServiceAndOneBeforeItIsOk() {
        var checks = PushServiceChecks.of(List.of(new Seen("web.push.apple.com", 1_000L, 2_000L, "403 BadJwtToken"),
                new Seen("fcm.googleapis.com", 3_000L, 2_000L, "401"), new Seen("updates.push.services.mozilla.com", 3_000L, null, null)));

        assertThat(checks).extracting(Check::name).containsExactly("push-service web.push.apple.com", "push-service fcm.googleapis.com",
                "push-service updates.push.services.mozilla.com");
        assertThat(checks).extracting(Check::status).containsExactly(Status.WARN, Status.OK, Status.OK);
        assertThat(checks.get(0).detail()).contains("403 BadJwtToken");
    }

    @Test
    void aServiceThatNeverAcceptedAPushButRefusedOneWarnsAndNoneSeenIsOk() {
        assertThat(PushServiceChecks.of(new Seen("fcm.googleapis.com", null, 2_000L, "403")).status()).isEqualTo(Status.WARN);
        assertThat(PushServiceChecks.of(List.of())).singleElement().extracting(Check::status).isEqualTo(Status.OK);
    }
}
