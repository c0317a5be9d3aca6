package dev.herald.notifications.entity;

import java.net.URI;

/**
 * How pushed messages are written: publicUrl (herald.public-url, null when unset) is Herald's public
 * address, against which relative links become absolute and where a click is counted (GET /api/r/…);
 * legacyFields (herald.payload.legacy-fields) repeats title, body and url at the top level for the
 * service workers installed before the declarative format.
 */
public record PayloadFormat(URI publicUrl, boolean legacyFields) {

    public static final PayloadFormat DEFAULT = new PayloadFormat(null, true);

    /** The link as the browser must get it: absolute against the public URL when there is one, else as given. */
    public String absolute(String link) {
        return publicUrl == null || link == null ? link : publicUrl.resolve(link).toString();
    }
}
