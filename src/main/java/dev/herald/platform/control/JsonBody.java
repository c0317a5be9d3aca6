package dev.herald.platform.control;

import dev.herald.platform.boundary.PayloadTooLargeException;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body as one JSON object, stopping as soon as it exceeds the cap so a
 * huge body is never buffered whole, and refusing deep nesting before building a tree.
 */
public final class JsonBody {

    static final int MAX_DEPTH = 16;
    /**
     * One provider for the whole application: JsonBody.object() and friends look the provider up
     * through the class loader on every call, which showed up as a hot spot under load.
     */
    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private JsonBody() {
    }

    public static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    public static JsonArrayBuilder array() {
        return PROVIDER.createArrayBuilder();
    }

    /** A request body as read: its raw bytes (for digests) and the JSON object they hold. */
    public record Read(byte[] bytes, JsonObject json) {
    }

    /** Like read(in, maxBytes), but refuses a declared Content-Length over the cap before reading anything (-1: none declared). */
    public static JsonObject read(InputStream in, int maxBytes, long declaredLength) {
        return readWithBytes(in, maxBytes, declaredLength).json();
    }

    /** The body's bytes and its JSON object, with the same rules as read. */
    public static Read readWithBytes(InputStream in, int maxBytes, long declaredLength) {
        if (declaredLength > maxBytes) {
            throw new PayloadTooLargeException("The request body is larger than " + maxBytes + " bytes (Content-Length: "
                    + declaredLength + ").");
        }
        byte[] bytes = readCapped(in, maxBytes);
        return new Read(bytes, parse(bytes));
    }

    public static JsonObject read(InputStream in, int maxBytes) {
        return parse(readCapped(in, maxBytes));
    }

    static JsonObject parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new BadRequestException("The request body is empty; a JSON object was expected.");
        }
        checkShape(bytes);
        try (var reader = JsonBody.PROVIDER.createReader(new ByteArrayInputStream(bytes))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new BadRequestException("The request body is not valid JSON: " + e.getMessage());
        }
    }

    static byte[] readCapped(InputStream in, int maxBytes) {
        try {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new PayloadTooLargeException("The request body is larger than " + maxBytes + " bytes.");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void checkShape(byte[] bytes) {
        try (JsonParser parser = JsonBody.PROVIDER.createParser(new ByteArrayInputStream(bytes))) {
            int depth = 0;
            boolean first = true;
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (first && event != JsonParser.Event.START_OBJECT) {
                    throw new BadRequestException("The request body must be a JSON object, not " + describe(event) + ".");
                }
                first = false;
                if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                    if (++depth > MAX_DEPTH) {
                        throw new BadRequestException("The JSON is nested deeper than " + MAX_DEPTH + " levels.");
                    }
                } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                    depth--;
                }
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new BadRequestException("The request body is not valid JSON: " + e.getMessage());
        }
    }

    static String describe(JsonParser.Event event) {
        return switch (event) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_NULL -> "null";
            default -> "a " + event.name().toLowerCase().replace("value_", "");
        };
    }

    public static boolean isNull(JsonObject object, String name) {
        return !object.containsKey(name) || object.get(name).getValueType() == JsonValue.ValueType.NULL;
    }
}
