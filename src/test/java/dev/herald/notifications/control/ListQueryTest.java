package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.fanout.entity.JobPage;
import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;

class ListQueryTest {

    static final String ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

    @Test
    void absentParametersMeanEveryStateFiftyFromTheNewest() {
        assertThat(ListQuery.of(null, null, null)).isEqualTo(new ListQuery(null, 50, null));
    }

    @Test
    void aCursorTheListGaveIsReadBack() {
        String cursor = new JobPage.Position(1764643200123L, ID).cursor();

        assertThat(ListQuery.of("done", "200", cursor)).isEqualTo(new ListQuery("done", 200, new JobPage.Position(1764643200123L, ID)));
        assertThat(cursor).as("opaque and URL-safe").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        rejects("finished", null, null, "state must be one of scheduled, running, done, cancelled, not 'finished'");
        rejects(null, "0", null, "limit must be a whole number from 1 to 200, not '0'");
        rejects(null, "201", null, "not '201'");
        rejects(null, "ten", null, "not 'ten'");
        rejects(null, null, "%%%", "cursor '%%%' is not one this list gave");
        rejects(null, null, "bm90LWEtY3Vyc29y", "cursor");
        rejects(null, null, new JobPage.Position(1, "not-a-uuid").cursor(), "cursor");
    }

    static void rejects(String state, String limit, String cursor, String detail) {
        assertThatThrownBy(() -> ListQuery.of(state, limit, cursor)).isInstanceOf(BadRequestException.class).hasMessageContaining(detail);
    }
}
