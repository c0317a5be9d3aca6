package dev.herald.subscriptions.control;

import jakarta.ws.rs.BadRequestException;
import java.util.regex.Pattern;

/** Subscription ids are lower-case UUIDs, as SubscriptionStore creates them. */
public final class SubscriptionIds {

    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private SubscriptionIds() {
    }

    public static String check(String id) {
        if (id == null || !UUID.matcher(id).matches()) {
            throw new BadRequestException("'" + abbreviate(id) + "' is not a subscription id (a lower-case UUID).");
        }
        return id;
    }

    static String abbreviate(String id) {
        if (id == null) {
            return "null";
        }
        String printable = id.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
