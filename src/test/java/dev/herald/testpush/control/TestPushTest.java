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
    void messageIsTheFixedTestNotificationAsADeclarativeMessageWithoutAToken() {
        byte[] bytes = dev.herald.notifications.control.DeclarativePayload.standalone(TestPush.MESSAGE,
                new dev.herald.notifications.entity.PayloadFormat(java.net.URI.create("https://push.example.com/"), true));
        var message = Json.createReader(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8))).readObject();
        assertThat(message.getInt("web_push")).isEqualTo(8030);
        var notification = message.getJsonObject("notification");
        assertThat(notification.getString("title")).isEqualTo("Herald test notification");
        assertThat(notification.getString("body")).isNotBlank();
        assertThat(notification.getString("tag")).isEqualTo("herald-test");
        assertThat(notification.getString("navigate")).isEqualTo("https://push.example.com/");
        assertThat(notification.getJsonObject("data")).as("no job, nothing to count").isEmpty();
        assertThat(message.getString("title")).as("what workers from before read").isEqualTo("Herald test notification");
    }
}
