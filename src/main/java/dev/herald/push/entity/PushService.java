package dev.herald.push.entity;

import java.util.Locale;

/**
 * The push services Herald knows by their endpoint's host, each with an error vocabulary of its own
 * (push.control.Vocabulary reads it, Outcome's rule table judges it). OTHER is any other host, such as
 * a self-hosted autopush or the tests' stub: only the HTTP status is read there, and the host stands
 * for the service wherever one is counted (the configuration-error breaker).
 */
public enum PushService {
    FCM("fcm"), MOZILLA("mozilla"), APPLE("apple"), WNS("wns"), OTHER("other");

    /** The service's name in reports: "apple: BadJwtToken". */
    public final String label;

    PushService(String label) {
        this.label = label;
    }

    /** FCM fcm.googleapis.com, Mozilla *.push.services.mozilla.com, Apple web.push.apple.com, WNS *.notify.windows.com. */
    public static PushService of(String host) {
        if (host == null) {
            return OTHER;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("fcm.googleapis.com")) {
            return FCM;
        }
        if (name.endsWith(".push.services.mozilla.com")) {
            return MOZILLA;
        }
        if (name.equals("web.push.apple.com")) {
            return APPLE;
        }
        if (name.endsWith(".notify.windows.com")) {
            return WNS;
        }
        return OTHER;
    }

    /**
     * Whom to count and name for this host: the service, or for OTHER the host itself (each unknown host on
     * its own; "unknown host" without one).
     */
    public String who(String host) {
        return this != OTHER ? label : host == null ? "unknown host" : host.toLowerCase(Locale.ROOT);
    }

    /**
     * A failure reason as reports show it: "apple: BadJwtToken", "mozilla: errno 109". OTHER keeps the bare
     * reason ("HTTP 403"), as Herald always reported it: an unknown host has no vocabulary to name.
     */
    public String report(String reason) {
        return this == OTHER ? reason : label + ": " + reason;
    }
}
