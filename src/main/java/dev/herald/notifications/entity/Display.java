package dev.herald.notifications.entity;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * What the browser shows, as POST /api/notify asks for it: the texts, links and images, up to two
 * action buttons, how it behaves (requireInteraction, silent, renotify), its language and direction,
 * the app badge (null: leave it) and the site's own data (null: none), which the service worker
 * hands to the page it opens. Links are as given: DeclarativePayload makes them absolute.
 */
public record Display(String title, String body, String url, String icon, String badge, String image, String tag,
                      List<Action> actions, boolean requireInteraction, boolean silent, boolean renotify, String lang,
                      String dir, Integer badgeCount, JsonObject data) {

    public Display {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** Only the basics, as Herald's own fixed messages use them. */
    public static Display of(String title, String body, String url, String tag) {
        return new Display(title, body, url, null, null, null, tag, List.of(), false, false, false, null, null, null, null);
    }
}
