package dev.herald.platform.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class InvalidFieldTest {

    @Test
    void fieldNamesAsTheDetailsSpellThemBecomeRfc6901Pointers() {
        assertThat(InvalidField.pointer("url")).isEqualTo("/url");
        assertThat(InvalidField.pointer("actions[1].title")).isEqualTo("/actions/1/title");
        assertThat(InvalidField.pointer("keys.auth")).isEqualTo("/keys/auth");
        assertThat(InvalidField.pointer("a~b/c")).as("RFC 6901 section 3 escapes").isEqualTo("/a~0b~1c");
        assertThat(InvalidField.named("actions[0].url", "bad").pointer()).isEqualTo("/actions/0/url");
    }

    @Test
    void theProblemCarriesThePointerBesideTheUnchangedDetailAndOtherProblemsNone() {
        var field = new ProblemMapper().toResponse(new InvalidField("/actions/1/title", "actions[1].title is required."));
        var plain = new ProblemMapper().toResponse(new jakarta.ws.rs.BadRequestException("limit must be a whole number."));

        var problem = Json.createReader(new StringReader((String) field.getEntity())).readObject();
        assertThat(field.getStatus()).isEqualTo(400);
        assertThat(problem.getString("pointer")).isEqualTo("/actions/1/title");
        assertThat(problem.getString("detail")).isEqualTo("actions[1].title is required.");
        assertThat(Json.createReader(new StringReader((String) plain.getEntity())).readObject()).doesNotContainKey("pointer");
    }
}
