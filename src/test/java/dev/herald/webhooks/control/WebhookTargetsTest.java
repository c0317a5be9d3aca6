package dev.herald.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

    static final String SECRET = "a-secret-of-enough-length";

    @Test
    void plainHttpAndPrivateAddressesAreAcceptedBecauseTheOperatorChoseThem() {
        var targets = WebhookTargets.of(List.of("http://10.0.0.7:8080/herald", "https://hooks.internal/x?key=abc"), List.of(SECRET));

        assertThat(targets.urls()).hasSize(2);
    }

    @Test
    void noUrlsNeedNoSecret() {
        assertThat(WebhookTargets.of(List.of(), List.of()).urls()).isEmpty();
    }

    @Test
    void aUrlThatIsNotAbsoluteHttpStopsTheStartNamingTheSetting() {
        for (String url : List.of("ftp://host/x", "/relative", "http:///nohost", "http://host/x#frag", "not a url")) {
            assertThatThrownBy(() -> WebhookTargets.of(List.of(url), List.of(SECRET)))
                    .as(url).isInstanceOf(IllegalStateException.class).hasMessageContaining("herald.webhooks.urls");
        }
    }

    @Test
    void urlsWithoutASecretOrWithAShortOneStopTheStartWithoutShowingTheSecret() {
        assertThatThrownBy(() -> WebhookTargets.of(List.of("http://127.0.0.1/h"), List.of()))
                .hasMessageContaining("herald.webhooks.secret");
        assertThatThrownBy(() -> WebhookTargets.of(List.of("http://127.0.0.1/h"), List.of(SECRET, "short-s3cret")))
                .hasMessageContaining("secret number 2").hasMessageNotContaining("short-s3cret");
    }

    @Test
    void theLogShowsATargetWithoutUserInfoOrQuery() {
        assertThat(WebhookTargets.printable("https://user:pw@hooks.example:8443/in?token=t0ps3cret"))
                .isEqualTo("https://hooks.example:8443/in");
    }
}
