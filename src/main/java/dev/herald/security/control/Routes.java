package dev.herald.security.control;

import dev.herald.security.entity.Scope;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one table of which API routes are public, open to a send token, rate limited, and open to
 * CORS; paths are relative to /api. Everything not listed as public needs an API token, and
 * everything not listed for send needs an admin one, so routes added later are protected, and
 * admin-only, without anyone remembering to protect them.
 */
public final class Routes {

    /**
     * An id segment (the resource answers 400 for a malformed one): anything but a plain lower-case word, so that named
     * sub-resources added later (subscriptions/count) stay protected; no matrix parameters, no dot segments.
     */
    static final String ID = "(?!\\.{1,2}(?:/|$))(?![a-z]+(?:/|$))[^/;]+";
    /** Engagement: a push's token is the proof (EventsResource, RedirectResource), like a subscription id is for its routes. */
    static final String EVENTS = "notifications/" + ID + "/events";
    static final String CLICK = "r/[^/;]+";
    /** health: probes carry no token (health/* is MP Health where TomEE mounts it under /api); openapi.yaml: the API description. */
    static final Pattern PUBLIC_GET = Pattern.compile("subscribe|channels|subscriptions/" + ID + "|health(/live|/ready|/started)?|openapi\\.yaml"
            + "|" + CLICK);
    static final Pattern PUBLIC_POST = Pattern.compile("subscribe|unsubscribe|subscriptions/" + ID + "/test|" + EVENTS);
    static final Pattern PUBLIC_DELETE = Pattern.compile("subscriptions/" + ID);
    /** Choosing channels: public like GET of the subscription, the unguessable id is the capability. */
    static final Pattern PUBLIC_PUT = Pattern.compile("subscriptions/" + ID + "/channels");
    /**
     * What a site's backend does: reports and their list, notify (dry runs included), binding and unbinding users; and
     * reading the VAPID keyring (public keys and counts: a backend may watch its visitors move to a new key).
     */
    static final Pattern SEND_GET = Pattern.compile("notifications(/" + ID + ")?|vapid/keys");
    static final Pattern SEND_POST = Pattern.compile("notify");
    static final Pattern SEND_USER = Pattern.compile("subscriptions/" + ID + "/user");
    static final Pattern CORS = Pattern.compile("subscribe|unsubscribe|channels|subscriptions/" + ID + "/channels");
    static final Map<String, Pattern> LIMITED_POSTS = Map.of(
            "subscribe", Pattern.compile("subscribe"),
            "test", Pattern.compile("subscriptions/" + ID + "/test"),
            "events", Pattern.compile(EVENTS));
    static final Pattern LIMITED_GET = Pattern.compile(CLICK);

    private Routes() {
    }

    public static String normalize(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    public static boolean isPublic(String method, String path) {
        String p = normalize(path);
        return switch (method) {
            case "GET", "HEAD" -> PUBLIC_GET.matcher(p).matches();
            case "POST" -> PUBLIC_POST.matcher(p).matches();
            case "DELETE" -> PUBLIC_DELETE.matcher(p).matches();
            case "PUT" -> PUBLIC_PUT.matcher(p).matches();
            case "OPTIONS" -> CORS.matcher(p).matches();
            default -> false;
        };
    }

    /** The scope a protected route needs: SEND for the few a site's backend uses, ADMIN for every other. */
    public static Scope requiredScope(String method, String path) {
        String p = normalize(path);
        boolean send = switch (method) {
            case "GET", "HEAD" -> SEND_GET.matcher(p).matches();
            case "POST" -> SEND_POST.matcher(p).matches();
            case "PUT", "DELETE" -> SEND_USER.matcher(p).matches();
            default -> false;
        };
        return send ? Scope.SEND : Scope.ADMIN;
    }

    /** The rate-limit bucket of a request, if it has one. */
    public static Optional<String> limitBucket(String method, String path) {
        String p = normalize(path);
        if ("GET".equals(method) && LIMITED_GET.matcher(p).matches()) {
            return Optional.of("events");
        }
        if (!"POST".equals(method)) {
            return Optional.empty();
        }
        return LIMITED_POSTS.entrySet().stream().filter(e -> e.getValue().matcher(p).matches()).map(Map.Entry::getKey).findFirst();
    }

    /** Routes that other sites' pages may call when their origin is in herald.cors.origins. */
    public static boolean corsEnabled(String path) {
        return CORS.matcher(normalize(path)).matches();
    }
}
