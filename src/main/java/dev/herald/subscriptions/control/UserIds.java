package dev.herald.subscriptions.control;

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

    public static String check(String field, String user) {
        if (!valid(user)) {
            throw new BadRequestException(field + " must be a user id of 1 to 128 of A-Z a-z 0-9 . _ : @ -, starting with a letter "
                    + "or digit; '" + Text.abbreviate(String.valueOf(user)) + "' is not one.");
        }
        return user;
    }

    public static String check(String field, JsonValue value) {
        if (!(value instanceof JsonString text)) {
            throw new BadRequestException(field + " must be a string (a user id), not " + value.getValueType().name().toLowerCase() + ".");
        }
        return check(field, text.getString());
    }
}
