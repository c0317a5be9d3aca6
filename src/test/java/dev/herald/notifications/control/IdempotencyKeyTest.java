package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    static final byte[] BODY = "{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    static final Duration TTL = Duration.ofHours(24);

    static void rejects(List<String> header, String detail) {
        assertThatThrownBy(() -> IdempotencyKey.of(header, "token-of-sixteen-chars", BODY, TTL))
                .isInstanceOf(BadRequestException.class).hasMessageContaining(detail);
    }

    @Test
    void withoutTheHeaderThereIsNoKey() {
        assertThat(IdempotencyKey.of(null, "t", BODY, TTL)).isEmpty();
        assertThat(IdempotencyKey.of(List.of(), "t", BODY, TTL)).isEmpty();
    }

    @Test
    void surroundingQuotesAreStrippedSoTheQuotedAndThePlainKeyAreTheSame() {
        var quoted = IdempotencyKey.of(List.of("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""), "token", BODY, TTL).orElseThrow();
        var plain = IdempotencyKey.of(List.of("8e03978e-40d5-43e8-bc93-6894a57f9324"), "token", BODY, TTL).orElseThrow();

        assertThat(quoted).isEqualTo(plain);
        assertThat(quoted.ttl()).isEqualTo(TTL);
        assertThat(quoted.key()).startsWith("idempotency:").doesNotContain("8e03978e").doesNotContain("token");
    }

    @Test
    void keysCountPerApiTokenAndTheBodyIsItsSha256() {
        var one = IdempotencyKey.of(List.of("k"), "token-one", BODY, TTL).orElseThrow();
        var two = IdempotencyKey.of(List.of("k"), "token-two", BODY, TTL).orElseThrow();
        var otherBody = IdempotencyKey.of(List.of("k"), "token-one", "{}".getBytes(StandardCharsets.UTF_8), TTL).orElseThrow();

        assertThat(one.key()).isNotEqualTo(two.key());
        assertThat(one.body()).isEqualTo(two.body()).hasSize(64);
        assertThat(otherBody.key()).isEqualTo(one.key());
        assertThat(otherBody.body()).isNotEqualTo(one.body());
    }

    @Test
    void aMalformedKeyIs400SayingWhatIsWrong() {
        rejects(List.of(""), "1 to 255 printable ASCII characters");
        rejects(List.of("\"\""), "1 to 255 printable ASCII characters");
        rejects(List.of("x".repeat(256)), "not 256");
        rejects(List.of("caf\u00e9"), "printable ASCII characters only");
        rejects(List.of("tab\there"), "printable ASCII characters only");
        rejects(List.of("a", "b"), "given once, not 2 times");
        assertThat(IdempotencyKey.of(List.of("x".repeat(255)), "t", BODY, TTL)).isPresent();
        assertThat(IdempotencyKey.of(List.of("with space, and: punctuation!"), "t", BODY, TTL)).isPresent();
    }
}
