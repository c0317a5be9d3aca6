package dev.herald.platform.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    @Test
    void everyProblemIsTitledWithItsStatussReasonPhraseAlso422WhichJaxRsLacks() {
        assertThat(ProblemMapper.title(404)).isEqualTo("Not Found");
        assertThat(ProblemMapper.title(429)).isEqualTo("Too Many Requests");
        assertThat(ProblemMapper.title(503)).isEqualTo("Service Unavailable");
        assertThat(ProblemMapper.title(422)).isEqualTo("Unprocessable Content");
        assertThat(ProblemMapper.title(599)).isEqualTo("HTTP 599");
    }
}
