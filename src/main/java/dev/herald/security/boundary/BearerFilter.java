package dev.herald.security.boundary;

import dev.herald.security.control.ApiTokens;
import dev.herald.security.control.Routes;
import dev.herald.security.entity.Scope;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * Every API route that Routes does not name as public needs "Authorization: Bearer <token>", and
 * an admin token unless Routes names it as open to send. Pre-matching and path-based, so it also
 * guards routes added later and unknown paths (401 and 403 come before 404: the API does not tell
 * strangers, or send tokens, which routes exist).
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
        Scope scope = tokens.scopeOf(header.substring(7).trim())
                .orElseThrow(() -> refuse("The API token is not valid.", "invalid_token"));
        if (!scope.allows(Routes.requiredScope(request.getMethod(), path))) {
            throw forbid();
        }
    }

    /** RFC 6750 section 3.1: a valid token without the scope is 403 insufficient_scope, naming the scope needed. */
    static ForbiddenException forbid() {
        return new ForbiddenException("This route needs an admin token; a send token may only notify, read reports "
                + "and bind or unbind users (README, Security: token scopes).", Response.status(Response.Status.FORBIDDEN)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"insufficient_scope\", scope=\"admin\"").build());
    }

    static NotAuthorizedException refuse(String detail, String error) {
        // RFC 6750 section 3: the challenge names the realm and, when a token was sent, the error
        return new NotAuthorizedException(detail, error == null ? CHALLENGE : CHALLENGE + ", error=\"" + error + "\"");
    }
}
