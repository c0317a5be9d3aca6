package dev.herald.platform.boundary;

import jakarta.ws.rs.BadRequestException;

/**
 * A 400 about one member of the request's JSON body. ProblemMapper adds its RFC 6901 JSON Pointer to
 * the problem document as {@code pointer}, so that a form (the console) can show the detail beside
 * its field.
 */
public class InvalidField extends BadRequestException {

    final String pointer;

    public InvalidField(String pointer, String detail) {
        super(detail);
        this.pointer = pointer;
    }

    /** The detail names the field as the messages do ("actions[1].title", "keys.auth"); the pointer follows from it. */
    public static InvalidField named(String field, String detail) {
        return new InvalidField(pointer(field), detail);
    }

    public String pointer() {
        return pointer;
    }

    /** "actions[1].title" as an RFC 6901 pointer: /actions/1/title (each token escaped, ~ as ~0 and / as ~1). */
    public static String pointer(String field) {
        var pointer = new StringBuilder();
        for (String token : field.replace("]", "").split("[.\\[]")) {
            pointer.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}
