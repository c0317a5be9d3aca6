package dev.herald.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.security.entity.Scope;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    static final String SEND = "backend-token-0123456789";
    static final String ADMIN = "operator-token-0123456789";

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

    @Test
    void aSendPrefixGivesTheTokenAfterItTheSendScope() {
        var tokens = configured("send:" + SEND);
        assertThat(tokens.scopeOf(SEND)).contains(Scope.SEND);
        assertThat(tokens.scopeOf("send:" + SEND)).as("the prefix is not part of the token").isEmpty();
    }

    @Test
    void anAdminPrefixOrNoPrefixGivesTheAdminScope() {
        var tokens = configured("admin:" + ADMIN, "unscoped-token-0123456789");
        assertThat(tokens.scopeOf(ADMIN)).contains(Scope.ADMIN);
        assertThat(tokens.scopeOf("admin:" + ADMIN)).isEmpty();
        assertThat(tokens.scopeOf("unscoped-token-0123456789")).contains(Scope.ADMIN);
    }

    @Test
    void aMixedListWithWhitespaceAroundEntriesAndAfterPrefixesKeepsEachScope() {
        var tokens = configured(" send: " + SEND + " ", "\tadmin:" + ADMIN, " rotated-token-0123456789", "send:second-backend-0123456789");
        assertThat(tokens.scopeOf(SEND)).contains(Scope.SEND);
        assertThat(tokens.scopeOf(ADMIN)).contains(Scope.ADMIN);
        assertThat(tokens.scopeOf("rotated-token-0123456789")).contains(Scope.ADMIN);
        assertThat(tokens.scopeOf("second-backend-0123456789")).contains(Scope.SEND);
        assertThat(tokens.scopeOf("unknown-token-0123456789")).isEmpty();
    }

    @Test
    void onlyALeadingLowerCaseSendOrAdminIsAScopeAnythingElseIsPartOfAnAdminToken() {
        var tokens = configured("foo:0123456789abcdef", "SEND:" + SEND, "admin:send:" + ADMIN, "a:b:c:0123456789abcdef");
        assertThat(tokens.scopeOf("foo:0123456789abcdef")).contains(Scope.ADMIN);
        assertThat(tokens.scopeOf("0123456789abcdef")).isEmpty();
        assertThat(tokens.scopeOf("SEND:" + SEND)).contains(Scope.ADMIN);
        assertThat(tokens.scopeOf(SEND)).isEmpty();
        assertThat(tokens.scopeOf("send:" + ADMIN)).as("one prefix only").contains(Scope.ADMIN);
        assertThat(tokens.scopeOf("a:b:c:0123456789abcdef")).contains(Scope.ADMIN);
    }

    @Test
    void theSameTokenTwiceWithOneScopeIsKeptOnce() {
        var tokens = configured("send:" + SEND, "send:" + SEND, ADMIN, "admin:" + ADMIN);
        tokens.load();
        assertThat(tokens.known).hasSize(2);
        assertThat(tokens.scopeOf(SEND)).contains(Scope.SEND);
        assertThat(tokens.scopeOf(ADMIN)).contains(Scope.ADMIN);
    }

    @Test
    void theSameTokenWithTwoScopesStopsStartUpWithoutNamingIt() {
        assertThatThrownBy(() -> configured("send:" + SEND, SEND).load())
                .hasMessageContaining("both as send and as admin").hasMessageNotContaining(SEND);
    }

    @Test
    void theMinimumLengthAppliesToTheTokenAfterItsPrefix() {
        String fifteen = "0123456789abcde";
        assertThatThrownBy(() -> configured("send:" + fifteen).load())
                .hasMessageContaining("at least 16 characters after its send: or admin: prefix").hasMessageContaining("one has 15")
                .hasMessageNotContaining(fifteen);
        assertThatThrownBy(() -> configured("admin:" + fifteen).load()).hasMessageContaining("one has 15");
        assertThatThrownBy(() -> configured("send:").load()).hasMessageContaining("one has 0");
        assertThat(configured("send:" + fifteen + "f").scopeOf(fifteen + "f")).contains(Scope.SEND);
    }

    @Test
    void theGeneratedTokenIsAdmin() {
        var tokens = new ApiTokens() {
            @Override
            String fromRedis() {
                return "generated-token-0123456789";
            }
        };
        tokens.configured = Optional.empty();
        assertThat(tokens.scopeOf("generated-token-0123456789")).contains(Scope.ADMIN);
    }
}
