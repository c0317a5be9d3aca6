package dev.herald.vapid.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VapidSubjectTest {

    @ParameterizedTest
    @ValueSource(strings = {"mailto:push@example.org", "https://example.org/contact"})
    void acceptsMailtoAndHttps(String subject) {
        assertThat(VapidSubject.check(subject)).isEqualTo(subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "push@example.org", "http://example.org", "mailto:", "https://", "ftp://example.org"})
    void refusesAnythingElseNamingTheSetting(String subject) {
        assertThatThrownBy(() -> VapidSubject.check(subject))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("herald.vapid.subject");
    }
}
