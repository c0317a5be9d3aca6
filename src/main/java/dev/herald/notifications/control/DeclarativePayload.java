package dev.herald.notifications.control;

import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.entity.Action;
import dev.herald.notifications.entity.Display;
import dev.herald.notifications.entity.PayloadFormat;
import dev.herald.platform.control.JsonBody;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a notification as a Declarative Web Push message (W3C Push API, "declarative push
 * message"; WebKit's "Meet Declarative Web Push"): {"web_push": 8030, "notification": {...},
 * "app_badge": n, "mutable": true}. Safari shows it without running a service worker; Herald's
 * worker shows the same from it elsewhere. mutable is also inside notification (WebKit bug 296770
 * reads it there), so the worker still gets its push event and can count "shown".
 *
 * A job's message carries EventTokens.MARKER where each push gets its own engagement token (in
 * notification.data and, with a public URL, in the /api/r/ links that count clicks); the marker
 * is exactly as long as a token, so the size checked here is the size sent.
 */
public final class DeclarativePayload {

    /** What the message says, and the real links behind the counted ones: "" for the notification's, else by action id. */
    public record Written(byte[] bytes, Map<String, String> links) {
    }

    /** Without a url, a notification opens Herald's page: herald.public-url, or (relative) the service worker's scope. */
    static final String HOME = "./";

    private DeclarativePayload() {
    }

    /** A job's message: with engagement tokens (jobId names the job they count for). */
    public static Written forJob(Display display, String jobId, PayloadFormat format) {
        return write(display, jobId, jobId, format, true);
    }

    /** A message that belongs to no job (the subscribe page's test): nothing to count, so no token. */
    public static byte[] standalone(Display display, PayloadFormat format) {
        return write(display, null, display.tag(), format, false).bytes();
    }

    static Written write(Display display, String jobId, String defaultTag, PayloadFormat format, boolean counted) {
        var links = new LinkedHashMap<String, String>();
        String link = display.url() != null ? format.absolute(display.url()) : format.publicUrl() != null ? format.publicUrl().toString() : HOME;
        links.put("", link);
        boolean redirect = counted && format.publicUrl() != null;
        String navigate = redirect ? redirect(format, null) : link;

        var notification = JsonBody.object().add("title", display.title()).add("navigate", navigate);
        add(notification, "body", display.body());
        add(notification, "lang", display.lang());
        add(notification, "dir", display.dir());
        add(notification, "tag", display.tag() == null ? defaultTag : display.tag());
        add(notification, "icon", format.absolute(display.icon()));
        add(notification, "badge", format.absolute(display.badge()));
        add(notification, "image", format.absolute(display.image()));
        flag(notification, "silent", display.silent());
        flag(notification, "requireInteraction", display.requireInteraction());
        flag(notification, "renotify", display.renotify());
        var data = JsonBody.object();
        if (counted) {
            data.add("herald", JsonBody.object().add("notification", jobId).add("token", EventTokens.MARKER));
        }
        if (display.data() != null) {
            data.add("app", display.data());
        }
        notification.add("data", data);
        if (!display.actions().isEmpty()) {
            var actions = JsonBody.array();
            for (Action action : display.actions()) {
                String target = action.url() == null ? link : format.absolute(action.url());
                links.put(action.action(), target);
                actions.add(JsonBody.object().add("action", action.action()).add("title", action.title())
                        .add("navigate", redirect ? redirect(format, action.action()) : target));
            }
            notification.add("actions", actions);
        }
        notification.add("mutable", true);

        var message = JsonBody.object().add("web_push", 8030).add("notification", notification);
        if (display.badgeCount() != null) {
            message.add("app_badge", display.badgeCount());
        }
        message.add("mutable", true);
        if (format.legacyFields()) {
            // what a service worker from before this format reads (it ignores the rest; so does the declarative parser)
            message.add("title", display.title());
            add(message, "body", display.body());
            message.add("url", navigate);
        }
        byte[] bytes = message.build().toString().getBytes(StandardCharsets.UTF_8);
        int markers = count(bytes);
        // the data's token, and with the redirect the navigate links' (the legacy url is the notification's navigate)
        int expected = counted ? 1 + (redirect ? 1 + display.actions().size() + (format.legacyFields() ? 1 : 0) : 0) : 0;
        if (markers != expected) {
            throw new BadRequestException("The notification must not contain the text '" + EventTokens.MARKER_START
                    + "': Herald puts each push's engagement token there.");
        }
        return new Written(bytes, Map.copyOf(links));
    }

    /** Where a click is counted before it lands (GET /api/r/{token}); the landing URL is the job's, kept in Redis. */
    static String redirect(PayloadFormat format, String action) {
        // the public URL ends in '/' (PayloadSettings); action ids are [a-z0-9-], nothing to escape
        return format.publicUrl() + "api/r/" + EventTokens.MARKER + (action == null ? "" : "?action=" + action);
    }

    static int count(byte[] bytes) {
        return EventTokens.split(bytes).length - 1;
    }

    static void add(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    static void flag(JsonObjectBuilder json, String name, boolean value) {
        if (value) {
            json.add(name, true);
        }
    }
}
