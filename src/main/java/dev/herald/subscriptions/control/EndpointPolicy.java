package dev.herald.subscriptions.control;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.security.control.Addresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which push endpoints Herald accepts and POSTs to (SSRF defence), in one place: subscribe
 * calls check, delivery calls checkForDelivery before every send because the configuration
 * may have tightened since and DNS may have changed. The host is matched on the parsed URL,
 * never with a pattern over the whole string.
 */
@ApplicationScoped
public class EndpointPolicy {

    static final int MAX_LENGTH = 2048;

    /** Exact host names; an entry starting with a dot matches that domain's sub-domains. */
    @Inject
    @ConfigProperty(name = "herald.push.allowed-hosts")
    List<String> allowedHosts;

    /** With it, IP literals listed exactly in allowedHosts may use http, any port and a private address (tests only). */
    @Inject
    @ConfigProperty(name = "herald.push.allow-insecure")
    boolean allowInsecure;

    Resolver resolver = host -> Arrays.asList(InetAddress.getAllByName(host));

    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    /** Thrown at delivery time: the endpoint is not (or no longer) acceptable; nothing was sent. */
    public static class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** Subscribe-time check: the URL itself; answers 400 with what is wrong, pointing at the body's endpoint. */
    public URI check(String endpoint) {
        try {
            return parse(endpoint);
        } catch (Refused e) {
            throw new InvalidField("/endpoint", e.getMessage());
        }
    }

    /**
     * Delivery-time check: the URL again, then every address the host resolves to must be public.
     *
     * @throws Refused when the endpoint is not acceptable (final)
     * @throws java.io.UncheckedIOException when the host does not resolve now (worth a retry)
     */
    public List<InetAddress> checkForDelivery(String endpoint) {
        URI uri = parse(endpoint);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            // not a policy matter and maybe passing: the caller retries like any transport failure
            throw new java.io.UncheckedIOException(e);
        }
        if (!relaxed(host)) {
            for (InetAddress address : addresses) {
                Addresses.nonPublic(address).ifPresent(kind -> {
                    throw new Refused("endpoint host " + host + " resolves to " + address.getHostAddress()
                            + ", a " + kind + " address; only public addresses are reached.");
                });
            }
        }
        return addresses;
    }

    URI parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new Refused("endpoint is required.");
        }
        if (endpoint.length() > MAX_LENGTH) {
            throw new Refused("endpoint is longer than " + MAX_LENGTH + " characters.");
        }
        if (endpoint.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw new Refused("endpoint contains control characters or white space (CR/LF are refused).");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new Refused("endpoint is not a valid URL: " + e.getReason() + ".");
        }
        if (!uri.isAbsolute() || uri.getRawAuthority() == null) {
            throw new Refused("endpoint must be an absolute URL with a host.");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            throw new Refused("endpoint must not contain user info (user@host); its host would not be the one it appears to be.");
        }
        String host = hostOf(uri);
        boolean relaxed = relaxed(host);
        if (Addresses.isIpLiteral(host) && !relaxed) {
            throw new Refused("endpoint host " + host + " is an IP address (in some notation); push services are reached by host name.");
        }
        if (uri.getHost() == null) {
            throw new Refused("endpoint host " + host + " is not a valid host name "
                    + "(ASCII letters, digits, hyphens and dots; internationalised names are refused).");
        }
        if (host.endsWith(".")) {
            throw new Refused("endpoint host " + host + " ends with a dot; give the host name without it.");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !(relaxed && "http".equals(scheme))) {
            throw new Refused("endpoint must use https, not " + scheme + ".");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443 && !relaxed) {
            throw new Refused("endpoint must use the https port 443, not " + uri.getPort() + ".");
        }
        if (!allowed(host)) {
            throw new Refused("endpoint host " + host + " is not a known push service "
                    + "(allowed: " + String.join(", ", allowedHosts) + "; setting herald.push.allowed-hosts).");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("endpoint must not contain a fragment (#...).");
        }
        return uri;
    }

    static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost().toLowerCase(Locale.ROOT);
        }
        String authority = uri.getRawAuthority();
        int colon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        return (colon > 0 ? authority.substring(0, colon) : authority).toLowerCase(Locale.ROOT);
    }

    boolean allowed(String host) {
        return entries().anyMatch(entry ->
                entry.startsWith(".") ? host.endsWith(entry) && host.length() > entry.length() : host.equals(entry));
    }

    /** Only an IP literal listed exactly, and only with allow-insecure: the tests' push-service stub on loopback. */
    boolean relaxed(String host) {
        return allowInsecure && Addresses.isIpLiteral(host) && entries().anyMatch(host::equals);
    }

    /** The allowed push-service hosts, as configured (herald.push.allowed-hosts). */
    public List<String> allowedHosts() {
        return entries().toList();
    }

    /** herald.push.allow-insecure: for tests only. */
    public boolean allowsInsecure() {
        return allowInsecure;
    }

    java.util.stream.Stream<String> entries() {
        return allowedHosts.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT)).filter(entry -> !entry.isEmpty());
    }
}
