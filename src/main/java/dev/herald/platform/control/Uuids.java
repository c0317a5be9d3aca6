package dev.herald.platform.control;

import dev.herald.platform.boundary.InvalidField;
import jakarta.ws.rs.BadRequestException;
import java.util.UUID;
import java.util.regex.Pattern;

/** Herald's ids (subscriptions, notification jobs) are lower-case UUIDs, as UUID.toString() writes them. */
public final class Uuids {

    static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Uuids() {
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }

    public static boolean valid(String id) {
        return id != null && UUID_PATTERN.matcher(id).matches();
    }

    /** The id itself, or 400 saying it is not a "what" id. */
    public static String check(String id, String what) {
        if (!valid(id)) {
            throw new BadRequestException(notOne(id, what));
        }
        return id;
    }

    /** The same for an id in the request body, at pointer: the 400 points at that member. */
    public static String check(String id, String what, String pointer) {
        if (!valid(id)) {
            throw new InvalidField(pointer, notOne(id, what));
        }
        return id;
    }

    static String notOne(String id, String what) {
        return "'" + Text.abbreviate(id) + "' is not " + what + " id (a lower-case UUID).";
    }
}
