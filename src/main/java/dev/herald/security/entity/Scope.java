package dev.herald.security.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. SEND is what a site's backend needs (notify, read reports, bind and
 * unbind users); ADMIN may do everything, including what later routes add.
 */
public enum Scope {
    SEND, ADMIN;

    /** The prefix that gives an entry of herald.api.tokens this scope: "send:" or "admin:". */
    public String prefix() {
        return name().toLowerCase(Locale.ROOT) + ":";
    }

    public boolean allows(Scope needed) {
        return this == ADMIN || needed == SEND;
    }

    /** The scope an entry names with a leading "send:" or "admin:", if it names one. */
    public static Optional<Scope> prefixOf(String entry) {
        return Arrays.stream(values()).filter(scope -> entry.startsWith(scope.prefix())).findFirst();
    }
}
