package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.entity.Action;
import dev.herald.notifications.entity.Display;
import dev.herald.notifications.entity.PayloadFormat;
import dev.herald.testing.DeclarativeMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclarativePayloadTest {

    static final String JOB = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
    static final PayloadFormat PUBLIC = new PayloadFormat(URI.create("https://push.example.com/herald/"), true);
    static final String TOKEN = "A".repeat(64);

    static Display rich() {
        return new Display("Sale", "Today only", "/sale?from=push", "/i.png", "https://cdn.example.com/b.png", null, "sale",
                List.of(new Action("buy", "Buy now", "https://shop.example.com/buy"), new Action("later", "Later", null)),
                true, false, true, "de-CH", "ltr", 3, Json.createObjectBuilder().add("order", 42).build());
    }

    static String filled(DeclarativePayload.Written written) {
        return new String(EventTokens.fill(EventTokens.split(written.bytes()), TOKEN.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void withAPublicUrlEveryLinkIsAbsoluteAndClicksGoThroughTheCountingRedirect() {
        var written = DeclarativePayload.forJob(rich(), JOB, PUBLIC);
        String message = filled(written);

        assertThat(message).isEqualTo("{\"web_push\":8030,\"notification\":{\"title\":\"Sale\","
                + "\"navigate\":\"https://push.example.com/herald/api/r/" + TOKEN + "\",\"body\":\"Today only\",\"lang\":\"de-CH\","
                + "\"dir\":\"ltr\",\"tag\":\"sale\",\"icon\":\"https://push.example.com/i.png\",\"badge\":\"https://cdn.example.com/b.png\","
                + "\"requireInteraction\":true,\"renotify\":true,"
                + "\"data\":{\"herald\":{\"notification\":\"" + JOB + "\",\"token\":\"" + TOKEN + "\"},\"app\":{\"order\":42}},"
                + "\"actions\":[{\"action\":\"buy\",\"title\":\"Buy now\",\"navigate\":\"https://push.example.com/herald/api/r/" + TOKEN
                + "?action=buy\"},{\"action\":\"later\",\"title\":\"Later\",\"navigate\":\"https://push.example.com/herald/api/r/" + TOKEN
                + "?action=later\"}],\"mutable\":true},\"app_badge\":3,\"mutable\":true,"
                + "\"title\":\"Sale\",\"body\":\"Today only\",\"url\":\"https://push.example.com/herald/api/r/" + TOKEN + "\"}");
        assertThat(DeclarativeMessage.problem(message, false)).as("the W3C parser shows it without a worker").isNull();
        assertThat(json(message).getInt("web_push")).isEqualTo(8030);
        assertThat(written.links()).containsEntry("", "https://push.example.com/sale?from=push")
                .containsEntry("buy", "https://shop.example.com/buy").containsEntry("later", "https://push.example.com/sale?from=push")
                .hasSize(3);
    }

    @Test
    void theMarkersAreAsLongAsATokenSoTheCheckedSizeIsTheSentSize() {
        var written = DeclarativePayload.forJob(rich(), JOB, PUBLIC);
        assertThat(EventTokens.MARKER).hasSize(64);
        assertThat(EventTokens.split(written.bytes()).length).as("data, navigate, 2 actions, legacy url").isEqualTo(6);
        assertThat(filled(written).getBytes(StandardCharsets.UTF_8)).hasSameSizeAs(written.bytes());
    }

    @Test
    void withoutAPublicUrlLinksStayAsGivenTheTokenIsInTheDataAndTheWorkerCounts() {
        var written = DeclarativePayload.forJob(rich(), JOB, new PayloadFormat(null, true));
        var message = json(filled(written));
        var notification = message.getJsonObject("notification");
        assertThat(notification.getString("navigate")).isEqualTo("/sale?from=push");
        assertThat(notification.getString("icon")).isEqualTo("/i.png");
        assertThat(notification.getJsonArray("actions").getJsonObject(0).getString("navigate")).isEqualTo("https://shop.example.com/buy");
        assertThat(notification.getJsonArray("actions").getJsonObject(1).getString("navigate")).isEqualTo("/sale?from=push");
        assertThat(notification.getJsonObject("data").getJsonObject("herald").getString("token")).isEqualTo(TOKEN);
        assertThat(DeclarativeMessage.problem(message.toString(), true)).isNull();
        assertThat(DeclarativeMessage.problem(message.toString(), false)).as("relative: Safari takes it as a classic push")
                .contains("navigate must be an absolute URL");
        assertThat(EventTokens.split(written.bytes()).length).as("one marker: the data's").isEqualTo(2);
    }

    @Test
    void withoutAUrlItOpensHeraldsPageAndWithoutATagTheTagIsTheJobId() {
        var plain = Display.of("Hi", null, null, null);
        var relative = json(new String(DeclarativePayload.forJob(plain, JOB, new PayloadFormat(null, true)).bytes(), StandardCharsets.UTF_8));
        assertThat(relative.getJsonObject("notification").getString("navigate")).isEqualTo("./");
        assertThat(relative.getJsonObject("notification").getString("tag")).isEqualTo(JOB);
        var absolute = DeclarativePayload.forJob(plain, JOB, PUBLIC);
        assertThat(absolute.links()).containsExactly(java.util.Map.entry("", "https://push.example.com/herald/"));
        assertThat(relative.containsKey("app_badge")).isFalse();
        assertThat(relative.getJsonObject("notification").keySet()).doesNotContain("silent", "requireInteraction", "renotify", "actions");
    }

    @Test
    void legacyFieldsCanBeTurnedOffAndTheMessageStillParses() {
        var written = DeclarativePayload.forJob(rich(), JOB, new PayloadFormat(PUBLIC.publicUrl(), false));
        var message = json(filled(written));
        assertThat(message.keySet()).containsExactly("web_push", "notification", "app_badge", "mutable");
        assertThat(DeclarativeMessage.problem(message.toString(), false)).isNull();
    }

    @Test
    void aStandaloneMessageCarriesNoToken() {
        byte[] bytes = DeclarativePayload.standalone(Display.of("Test", "b", null, "herald-test"), PUBLIC);
        assertThat(EventTokens.split(bytes).length).isEqualTo(1);
        var message = json(new String(bytes, StandardCharsets.UTF_8));
        assertThat(message.getJsonObject("notification").getString("navigate")).isEqualTo("https://push.example.com/herald/");
        assertThat(DeclarativeMessage.problem(message.toString(), false)).isNull();
    }
}
