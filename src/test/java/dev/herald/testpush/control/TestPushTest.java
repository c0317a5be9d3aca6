package dev.herald.testpush.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.control.Outcome;
import dev.herald.push.entity.PushResult;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestPushTest {

    static JsonObject answer(PushResult result) {
        return TestPush.answer(result, Outcome.classify(result, "fcm.googleapis.com", Duration.ZERO, Duration.ZERO));
    }

    @Test
    void outcomeNamesWhatThePushServiceDidByTheFanOutsRuleTable() {
        assertThat(answer(new PushResult.Answered(201, "", null)).getString("outcome")).isEqualTo("delivered");
        assertThat(answer(new PushResult.Answered(410, "Gone", null)).getString("outcome")).isEqualTo("gone");
        assertThat(answer(new PushResult.Answered(404, "", null)).getString("outcome")).isEqualTo("gone");
        var failed = answer(new PushResult.NoAnswer("timeout"));
        assertThat(failed.getString("outcome")).isEqualTo("failed");
        assertThat(failed.getString("reason")).isEqualTo("timeout");
        assertThat(failed.getInt("push_service_status")).isZero();
        var refused = answer(new PushResult.NotSent(PushResult.NotSent.Why.REFUSED_BY_POLICY, "private address"));
        assertThat(refused.getString("outcome")).isEqualTo("failed");
        assertThat(refused.getString("reason")).isEqualTo("endpoint refused by policy");
        var gone = answer(new PushResult.Answered(410, "Gone", null));
        assertThat(gone.getString("reason")).isEqualTo("410 Gone");
        assertThat(gone.getInt("push_service_status")).isEqualTo(410);
    }

    @Test
    void messageIsTheFixedTestNotificationTheServiceWorkerShows() {
        var message = Json.createReader(new java.io.StringReader(new String(TestPush.MESSAGE, StandardCharsets.UTF_8))).readObject();
        assertThat(message.getString("title")).isEqualTo("Herald test notification");
        assertThat(message.getString("body")).isNotBlank();
        assertThat(message.getString("tag")).isEqualTo("herald-test");
    }
}
