package dev.herald.notifications.control;

import dev.herald.notifications.entity.PayloadFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * herald.public-url and herald.payload.legacy-fields, read once at deployment: a public URL that
 * is not an absolute http(s) URL stops it, naming the setting.
 */
@ApplicationScoped
public class PayloadSettings {

    @Inject
    @ConfigProperty(name = "herald.public-url")
    Optional<String> publicUrl;

    @Inject
    @ConfigProperty(name = "herald.payload.legacy-fields")
    boolean legacyFields;

    volatile PayloadFormat format;

    public PayloadSettings() {
    }

    /** Outside a container (tests): this format. */
    public PayloadSettings(PayloadFormat format) {
        this.format = format;
    }

    /** Created at deployment (TomEE; DeploymentCreationTest), where a malformed setting stops the deployment. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        format();
    }

    /** Read once: at deployment, or earlier when another bean's start needs it (the doctor's checks). */
    public PayloadFormat format() {
        PayloadFormat known = format;
        if (known == null) {
            known = new PayloadFormat(publicUrl.filter(url -> !url.isBlank()).map(PayloadSettings::parse).orElse(null), legacyFields);
            format = known;
        }
        return known;
    }

    /** Herald's public address as a base: absolute http(s), and ending in '/' so that api/r/… resolves below it. */
    static URI parse(String setting) {
        URI uri;
        try {
            uri = URI.create(setting.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("herald.public-url: '" + setting + "' is not a URL (" + e.getMessage() + ").");
        }
        if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalStateException("herald.public-url: '" + setting + "' must be an absolute http(s) URL without query or "
                    + "fragment, where Herald's page is served, such as https://push.example.com/.");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.resolve(path.endsWith("/") ? path : path + "/");
    }
}
