package dev.herald.testpush.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.entity.PushResult;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestPushTest {

    @Test
    void outcomeNamesWhatThePushServiceDid() {
        assertThat(TestPush.outcome(new PushResult(201, "201", null)).getString("outcome")).isEqualTo("delivered");
        assertThat(TestPush.outcome(new PushResult(410, "410 Gone", null)).getString("outcome")).isEqualTo("gone");
        assertThat(TestPush.outcome(new PushResult(404, "404", null)).getString("outcome")).isEqualTo("gone");
        var failed = TestPush.outcome(PushResult.failure("timeout"));
        assertThat(failed.getString("outcome")).isEqualTo("failed");
        assertThat(failed.getString("reason")).isEqualTo("timeout");
    }

    @Test
    void messageIsTheFixedTestNotificationTheServiceWorkerShows() {
        var message = Json.createReader(new java.io.StringReader(new String(TestPush.MESSAGE, StandardCharsets.UTF_8))).readObject();
        assertThat(message.getString("title")).isEqualTo("Herald test notification");
        assertThat(message.getString("body")).isNotBlank();
        assertThat(message.getString("tag")).isEqualTo("herald-test");
    }
}
