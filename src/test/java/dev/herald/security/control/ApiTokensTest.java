package dev.herald.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    static ApiTokens configured(String... tokens) {
        var apiTokens = new ApiTokens();
        apiTokens.configured = Optional.of(String.join(",", tokens));
        return apiTokens;
    }

    @Test
    void everyConfiguredTokenIsAcceptedForRotation() {
        var tokens = configured("old-token-0123456789", " new-token-0123456789 ");
        assertThat(tokens.accepts("old-token-0123456789")).isTrue();
        assertThat(tokens.accepts("new-token-0123456789")).isTrue();
    }

    @Test
    void otherTokensPrefixesAndEmptyAreRefused() {
        var tokens = configured("old-token-0123456789");
        assertThat(tokens.accepts("old-token-012345678")).isFalse();
        assertThat(tokens.accepts("old-token-01234567890")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts("OLD-TOKEN-0123456789")).isFalse();
    }

    @Test
    void shortConfiguredTokensStopStartUp() {
        assertThatThrownBy(() -> configured("short").accepts("short")).hasMessageContaining("at least 16 characters");
    }

    @Test
    void generatedTokensAre32RandomBytes() {
        String one = ApiTokens.generate();
        assertThat(Base64.getUrlDecoder().decode(one)).hasSize(32);
        assertThat(ApiTokens.generate()).isNotEqualTo(one);
    }
}
