package dev.herald.webhooks.control;

import java.net.URI;
import java.util.List;

/**
 * The webhook settings, checked at start: absolute http or https URLs (trusted operator settings:
 * private addresses and plain http are allowed, since receivers are usually internal), and, when
 * there are any, at least one signing secret of 16 characters or more. A message names a bad
 * setting, never a secret's text.
 */
public record WebhookTargets(List<String> urls, List<String> secrets) {

    static final int SHORTEST_SECRET = 16;

    public static WebhookTargets of(List<String> urls, List<String> secrets) {
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("herald.webhooks.urls: '" + url + "' is not a URL (" + e.getMessage() + ")", e);
            }
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                    || uri.getFragment() != null) {
                throw new IllegalStateException("herald.webhooks.urls: '" + printable(url)
                        + "' must be an absolute http or https URL with a host and no fragment");
            }
        }
        if (!urls.isEmpty() && secrets.isEmpty()) {
            throw new IllegalStateException("herald.webhooks.urls is set but herald.webhooks.secret is not: every webhook is "
                    + "signed; set one secret (several, comma-separated, while rotating), e.g. openssl rand -hex 32");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i).length() < SHORTEST_SECRET) {
                throw new IllegalStateException("herald.webhooks.secret: secret number " + (i + 1) + " has fewer than "
                        + SHORTEST_SECRET + " characters");
            }
        }
        return new WebhookTargets(List.copyOf(urls), List.copyOf(secrets));
    }

    String printable() {
        return urls.stream().map(WebhookTargets::printable).toList().toString();
    }

    /** A URL for the log: scheme, host, port and path; user info and query (which may carry credentials) left out. */
    static String printable(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(a malformed URL)";
        }
    }
}
