package dev.herald.platform.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisRequirementsTest {

    @Test
    void aRedisOlderThan62StopsTheDeploymentAndNewerOnesPass() {
        assertThatThrownBy(() -> RedisRequirements.check("6.0.16")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Redis 6.0.16 is too old").hasMessageContaining("6.2");
        assertThatThrownBy(() -> RedisRequirements.check("5.0.14")).isInstanceOf(IllegalStateException.class);
        RedisRequirements.check("6.2.6");
        RedisRequirements.check("7.0.15");
        RedisRequirements.check("10.0.0");
    }

    @Test
    void theVersionIsReadFromInfoServer() {
        assertThat(RedisRequirements.version("# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n")).isEqualTo("7.0.15");
        assertThat(RedisRequirements.version("# Server\r\n")).isEqualTo("0");
    }

    @Test
    void eachUnsafeSettingGetsOneWarningAndSafeOnesNone() {
        assertThat(RedisRequirements.warnings(Map.of("appendonly", "yes", "appendfsync", "everysec", "maxmemory-policy", "noeviction")))
                .isEmpty();
        assertThat(RedisRequirements.warnings(Map.of("appendonly", "yes", "appendfsync", "always", "maxmemory-policy", "noeviction")))
                .isEmpty();
        var warnings = RedisRequirements.warnings(Map.of("appendonly", "no", "appendfsync", "no", "maxmemory-policy", "allkeys-lru"));
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("appendonly no").contains("Set appendonly yes");
        assertThat(warnings.get(1)).contains("appendfsync no").contains("appendfsync everysec");
        assertThat(warnings.get(2)).contains("allkeys-lru").contains("noeviction");
    }
}
