package dev.herald.subscriptions.control;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.Text;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
import java.util.regex.Pattern;

/**
 * A user id: the site's own opaque id of a person, 1 to 128 of A-Z a-z 0-9 . _ : @ -, starting with a
 * letter or digit (so never "." or ".."). Herald only groups subscriptions by it.
 */
public final class UserIds {

    static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private UserIds() {
    }

    public static boolean valid(String user) {
        return user != null && USER.matcher(user).matches();
    }

    /** A user id in the path: a problem without a pointer (there is no body member to point at). */
    public static String check(String field, String user) {
        if (!valid(user)) {
            throw new BadRequestException(rule(field, user));
        }
        return user;
    }

    /** A user id in the body, at pointer (/user, /users/3). */
    public static String check(String field, String pointer, JsonValue value) {
        if (!(value instanceof JsonString text)) {
            throw new InvalidField(pointer, field + " must be a string (a user id), not " + value.getValueType().name().toLowerCase() + ".");
        }
        if (!valid(text.getString())) {
            throw new InvalidField(pointer, rule(field, text.getString()));
        }
        return text.getString();
    }

    static String rule(String field, String user) {
        return field + " must be a user id of 1 to 128 of A-Z a-z 0-9 . _ : @ -, starting with a letter "
                + "or digit; '" + Text.abbreviate(String.valueOf(user)) + "' is not one.";
    }
}
