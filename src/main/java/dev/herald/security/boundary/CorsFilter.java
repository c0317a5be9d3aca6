package dev.herald.security.boundary;

import dev.herald.platform.boundary.ProblemMapper;
import dev.herald.security.control.Routes;
import dev.herald.platform.control.CommaList;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * CORS, off by default: only the subscribe/unsubscribe routes (Routes.corsEnabled), only for
 * the origins in herald.cors.origins, never with credentials. Notify and job reads never get
 * CORS headers, so a browser page can never use the API token.
 */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 100)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "herald.cors.origins")
    Optional<String> origins;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!"OPTIONS".equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null
                || !Routes.corsEnabled(request.getUriInfo().getPath())) {
            return;
        }
        if (!allowed(origin)) {
            request.abortWith(ProblemMapper.problem(403, "Cross-origin calls from this origin are not allowed "
                    + "(setting herald.cors.origins lists the origins that may call subscribe/unsubscribe).")
                    .header("Vary", "Origin").build());
            return;
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", "GET, POST, PUT")
                .header("Access-Control-Allow-Headers", "Content-Type")
                .header("Access-Control-Max-Age", 600)
                .header("Vary", "Origin").build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!Routes.corsEnabled(request.getUriInfo().getPath())) {
            return;
        }
        response.getHeaders().add("Vary", "Origin");
        String origin = request.getHeaderString("Origin");
        if (origin != null && allowed(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        }
    }

    boolean allowed(String origin) {
        return CommaList.of(origins).contains(origin);
    }
}
