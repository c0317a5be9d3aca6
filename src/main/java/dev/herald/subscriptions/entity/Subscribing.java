package dev.herald.subscriptions.entity;

import java.util.List;

/**
 * One subscribe request as the store carries it out: the browser's subscription and the
 * attributes the request names. channels and user are null when not named (an existing
 * subscription keeps its own); timezoneNamed false keeps the stored zone. replaces: the id of the
 * subscription this one replaces (the browser renewed it), whose attributes move over (its user only
 * when authorized: the request carried the API token); or null.
 */
public record Subscribing(Subscription subscription, List<String> channels, String user, boolean timezoneNamed, String replaces,
                          boolean authorized) {

    public Subscribing {
        channels = channels == null ? null : List.copyOf(channels);
    }

    /** Without the API token (the browser's own request). */
    public Subscribing(Subscription subscription, List<String> channels, String user, boolean timezoneNamed, String replaces) {
        this(subscription, channels, user, timezoneNamed, replaces, user != null);
    }

    /** A plain subscribe: names the zone it carries, keeps everything else. */
    public static Subscribing of(Subscription subscription) {
        return new Subscribing(subscription, null, null, subscription.timezone() != null, null);
    }
}
