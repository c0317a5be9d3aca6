package dev.herald.security.boundary;

import dev.herald.security.control.ApiTokens;
import dev.herald.security.control.Routes;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * Every API route that Routes does not name as public needs "Authorization: Bearer <token>".
 * Pre-matching and path-based, so it also guards routes added later and unknown paths
 * (401 comes before 404: the API does not tell strangers which routes exist).
 */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION)
public class BearerFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Bearer realm=\"herald\"";

    @Inject
    ApiTokens tokens;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (Routes.isPublic(request.getMethod(), path)) {
            return;
        }
        var query = request.getUriInfo().getQueryParameters();
        if (query.keySet().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .anyMatch(name -> name.equals("token") || name.equals("access_token"))) {
            throw refuse("An API token in the query string is never accepted (URLs end up in logs and histories); "
                    + "send it in the header Authorization: Bearer <token>, and consider rotating a token that was sent this way.",
                    "invalid_request");
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw refuse("This endpoint needs the API token: send Authorization: Bearer <token> "
                    + "(README, Security: where to find or how to set it).", null);
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw refuse("The Authorization header must use the Bearer scheme: Authorization: Bearer <token>.", "invalid_request");
        }
        if (!tokens.accepts(header.substring(7).trim())) {
            throw refuse("The API token is not valid.", "invalid_token");
        }
    }

    static NotAuthorizedException refuse(String detail, String error) {
        // RFC 6750 section 3: the challenge names the realm and, when a token was sent, the error
        return new NotAuthorizedException(detail, error == null ? CHALLENGE : CHALLENGE + ", error=\"" + error + "\"");
    }
}
