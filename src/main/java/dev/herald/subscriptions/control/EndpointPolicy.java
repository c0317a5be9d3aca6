package dev.herald.subscriptions.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Which push endpoints Herald will accept and POST to. Every path that touches an
 * endpoint (subscribe, delivery) asks this one class.
 */
@ApplicationScoped
public class EndpointPolicy {

    static final int MAX_LENGTH = 2048;

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
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new BadRequestException("endpoint must use https, not " + uri.getScheme() + ".");
        }
        return uri;
    }
}
