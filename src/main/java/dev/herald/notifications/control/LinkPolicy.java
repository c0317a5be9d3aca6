package dev.herald.notifications.control;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.Text;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Links a notification may carry (url, icon, badge, image): an absolute https URL, or a
 * path on Herald's own origin starting with exactly one '/'. Anything else (javascript:,
 * data:, http:, protocol-relative //host, backslash tricks) could run script or leave the
 * site when the service worker opens it, so it is refused here, in one place.
 */
public final class LinkPolicy {

    static final int MAX_LENGTH = 2048;

    private LinkPolicy() {
    }

    /** field as the detail names it ("url", "actions[0].url"); the problem's pointer follows from it. */
    public static String check(String field, String link) {
        if (link.isEmpty() || link.length() > MAX_LENGTH) {
            throw InvalidField.named(field, field + " must be 1 to " + MAX_LENGTH + " characters long.");
        }
        if (link.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) || c == '\\')) {
            throw InvalidField.named(field, field + " contains white space, control characters or a backslash.");
        }
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            throw InvalidField.named(field, field + " is not a valid URL: " + e.getReason() + ".");
        }
        if (uri.getScheme() == null) {
            if (link.startsWith("/") && !link.startsWith("//")) {
                return link;
            }
            throw InvalidField.named(field, field + " must be an https URL or a path starting with a single '/', not '"
                    + Text.abbreviate(link) + "'.");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw InvalidField.named(field, field + " must be an https URL with a host or a path starting with '/'; "
                    + uri.getScheme() + ": is not allowed.");
        }
        return link;
    }
}
