package dev.herald.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void randomIdsAreDistinctVersionFourUuidsInTheFormIdsAreCheckedAgainst() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            String id = Uuids.random();
            var uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).as("RFC 9562 variant").isEqualTo(2);
            assertThat(Uuids.valid(id)).as(id).isTrue();
            assertThat(seen.add(id)).as("repeated " + id).isTrue();
        }
    }
}
