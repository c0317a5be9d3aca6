package dev.herald.subscriptions.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;

/**
 * Which push endpoints Herald will accept and POST to. Every path that touches an
 * endpoint (subscribe, delivery) asks this one class.
 */
@ApplicationScoped
public class EndpointPolicy {

    static final int MAX_LENGTH = 2048;

    /** Exact host names; an entry starting with a dot matches that domain's sub-domains. */
    @Inject
    @ConfigProperty(name = "herald.push.allowed-hosts")
    List<String> allowedHosts;

    /** Only for tests and local development against a push-service stub on loopback. */
    @Inject
    @ConfigProperty(name = "herald.push.allow-insecure")
    boolean allowInsecure;

    public URI check(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new BadRequestException("endpoint is required.");
        }
        if (endpoint.length() > MAX_LENGTH) {
            throw new BadRequestException("endpoint is longer than " + MAX_LENGTH + " characters.");
        }
        if (endpoint.chars().anyMatch(c -> c == '\r' || c == '\n' || Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw new BadRequestException("endpoint contains control characters or white space (CR/LF are refused).");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new BadRequestException("endpoint is not a valid URL: " + e.getReason() + ".");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new BadRequestException("endpoint must be an absolute URL with a host.");
        }
        boolean http = allowInsecure && "http".equalsIgnoreCase(uri.getScheme());
        if (!http && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new BadRequestException("endpoint must use https, not " + uri.getScheme() + ".");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowed(host)) {
            throw new BadRequestException("endpoint host " + host + " is not a known push service "
                    + "(allowed: " + String.join(", ", allowedHosts) + "; setting herald.push.allowed-hosts).");
        }
        return uri;
    }

    boolean allowed(String host) {
        return allowedHosts.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT)).anyMatch(entry ->
                entry.startsWith(".") ? host.endsWith(entry) && host.length() > entry.length() : host.equals(entry));
    }
}
