package dev.herald.vapid.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The VAPID "sub" claim (RFC 8292 section 2.1). Apple's push service rejects anything but a
 * mailto: or https: URI, so a bad value stops start-up rather than every push to Safari.
 */
@ApplicationScoped
public class VapidSubject {

    @Inject
    @ConfigProperty(name = "herald.vapid.subject")
    String subject;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public String value() {
        return check(subject);
    }

    static String check(String subject) {
        String value = subject == null ? "" : subject.trim();
        try {
            URI uri = new URI(value);
            if ("mailto".equalsIgnoreCase(uri.getScheme()) && uri.getSchemeSpecificPart().contains("@")) {
                return value;
            }
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalStateException("herald.vapid.subject must be a mailto: address or an https: URL "
                + "(push services, Apple's in particular, reject anything else), got '" + value + "'.");
    }
}
