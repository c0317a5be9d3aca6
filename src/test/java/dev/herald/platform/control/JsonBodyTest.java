package dev.herald.platform.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.platform.boundary.PayloadTooLargeException;
import jakarta.ws.rs.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnObject() {
        assertThat(JsonBody.read(body("{\"a\":[1,{\"b\":2}]}"), 100).getJsonArray("a")).hasSize(2);
    }

    @Test
    void refusesABodyOverTheCapWithoutReadingItAll() {
        var endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return ' ';
            }
        };
        assertThatThrownBy(() -> JsonBody.read(endless, 8192)).isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("8192");
        assertThat(endless.served).isLessThanOrEqualTo(8193);
    }

    @Test
    void refusesArraysScalarsEmptyAndMalformedBodies() {
        assertThatThrownBy(() -> JsonBody.read(body("[1]"), 100)).isInstanceOf(BadRequestException.class).hasMessageContaining("an array");
        assertThatThrownBy(() -> JsonBody.read(body("\"x\""), 100)).hasMessageContaining("a string");
        assertThatThrownBy(() -> JsonBody.read(body(""), 100)).hasMessageContaining("empty");
        assertThatThrownBy(() -> JsonBody.read(body("{\"a\":"), 100)).isInstanceOf(BadRequestException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> JsonBody.read(body("{} {}"), 100)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertThatThrownBy(() -> JsonBody.read(body(deep), 1000)).hasMessageContaining("nested deeper than 16");
    }
}
