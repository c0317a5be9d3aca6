package dev.herald.security.boundary;

import dev.herald.security.control.Routes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Headers on every response, static files included (a JAX-RS filter would miss those).
 * JSON never needs to load anything, so the API gets the strictest policy; the page may
 * load only its own scripts, styles and images. The operator console (/admin/) may also show
 * https images, so that its preview shows the remote icons and images a notification names.
 * Nobody may frame any of them. Answers of token-protected routes (Routes: everything not public)
 * are never stored by a browser or proxy: they are the operator's data.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    static final String PAGE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    static final String CONSOLE_POLICY = "default-src 'self'; img-src 'self' https:; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean api = path.startsWith("/api/") || path.equals("/api");
        response.setHeader("Content-Security-Policy", api ? API_POLICY : path.startsWith("/admin/") ? CONSOLE_POLICY : PAGE_POLICY);
        if (api && !Routes.isPublic(request.getMethod(), path.substring(4))) {
            response.setHeader("Cache-Control", "no-store");
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }
}
