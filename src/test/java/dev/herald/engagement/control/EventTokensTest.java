package dev.herald.engagement.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.platform.control.Redis;
import dev.herald.platform.control.Redises;
import dev.herald.testing.TestRedis;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTokensTest {

    final String prefix = TestRedis.PREFIX + "tokens-" + UUID.randomUUID() + ":";
    final Redis redis = Redises.connect(prefix);
    final EventTokens tokens = EventTokens.on(redis);
    final String job = UUID.randomUUID().toString();
    final String subscription = UUID.randomUUID().toString();

    @AfterEach
    void clean() {
        TestRedis.deleteAll(prefix);
        Redises.close(redis);
    }

    String token(String job, String subscription) {
        return new String(tokens.token(job, subscription), StandardCharsets.US_ASCII);
    }

    @Test
    void aTokenNamesItsJobAndSubscriptionOnlyToTheServerThatMadeIt() {
        String token = token(job, subscription);
        assertThat(token).hasSize(64).matches("[A-Za-z0-9_-]{64}");
        assertThat(token).doesNotContain(subscription.replace("-", "")).as("opaque");
        var verified = tokens.verify(token);
        assertThat(verified.jobId()).isEqualTo(job);
        assertThat(verified.subscriptionId()).isEqualTo(subscription);
        assertThat(verified.push()).hasSize(22);
        assertThat(EventTokens.on(redis).verify(token)).as("another instance, same secret from Redis").isEqualTo(verified);
    }

    @Test
    void theSameSubscriptionLooksDifferentInEveryJob() {
        String other = UUID.randomUUID().toString();
        assertThat(token(job, subscription).substring(22, 43)).isNotEqualTo(token(other, subscription).substring(22, 43));
        assertThat(tokens.verify(token(job, subscription)).push()).isNotEqualTo(tokens.verify(token(other, subscription)).push());
    }

    @Test
    void aChangedOrForeignTokenIsForbiddenAndAMalformedOneIsABadRequest() {
        char[] changed = token(job, subscription).toCharArray();
        changed[40] = changed[40] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> tokens.verify(new String(changed))).isInstanceOf(ForbiddenException.class);

        String otherPrefix = TestRedis.PREFIX + "tokens-" + UUID.randomUUID() + ":";
        Redis otherRedis = Redises.connect(otherPrefix);
        try {
            String foreign = new String(EventTokens.on(otherRedis).token(job, subscription), StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> tokens.verify(foreign)).as("another Herald's secret").isInstanceOf(ForbiddenException.class);
        } finally {
            TestRedis.deleteAll(otherPrefix);
            Redises.close(otherRedis);
        }
        for (String malformed : new String[] {null, "", "short", "!".repeat(64), "A".repeat(63), "A".repeat(65)}) {
            assertThatThrownBy(() -> tokens.verify(malformed)).as(String.valueOf(malformed)).isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void splitAndFillPutOneTokenAtEveryMarker() {
        byte[] payload = ("{\"a\":\"" + EventTokens.MARKER + "\",\"b\":\"x" + EventTokens.MARKER + "y\"}").getBytes(StandardCharsets.UTF_8);
        var parts = EventTokens.split(payload);
        assertThat(parts.length).isEqualTo(3);
        byte[] token = "T".repeat(64).getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(EventTokens.fill(parts, token), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"" + "T".repeat(64) + "\",\"b\":\"x" + "T".repeat(64) + "y\"}");
        assertThat(EventTokens.split("{\"plain\":1}".getBytes(StandardCharsets.UTF_8)).length).isEqualTo(1);
    }
}
