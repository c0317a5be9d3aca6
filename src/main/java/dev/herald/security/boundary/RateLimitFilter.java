package dev.herald.security.boundary;

import dev.herald.security.control.ClientAddress;
import dev.herald.security.control.RateLimits;
import dev.herald.security.control.Routes;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/** Limits the public routes that cost us work or push traffic (Routes.limitBucket), per client address. */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHORIZATION)
public class RateLimitFilter implements ContainerRequestFilter {

    @Inject
    HttpServletRequest servletRequest;

    @Inject
    ClientAddress clients;

    @Inject
    RateLimits limits;

    @Override
    public void filter(ContainerRequestContext request) {
        Routes.limitBucket(request.getMethod(), request.getUriInfo().getPath()).ifPresent(bucket -> {
            String client = clients.key(servletRequest.getRemoteAddr(), request.getHeaderString("X-Forwarded-For"));
            limits.hit(bucket, client).ifPresent(seconds -> {
                throw new TooManyRequestsException("Too many " + bucket + " requests from your address: at most "
                        + limits.limit(bucket) + " a minute (setting herald.limits." + bucket + "-per-minute); retry in "
                        + seconds + " s.", seconds);
            });
        });
    }
}
