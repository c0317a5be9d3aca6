package dev.herald.security.control;

import dev.herald.platform.control.CommaList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which client a request counts against. The socket's remote address, unless that is a
 * proxy listed in herald.proxy.trusted: then the right-most X-Forwarded-For entry that is
 * not itself a trusted proxy (left-most entries are whatever the client chose to send).
 */
@ApplicationScoped
public class ClientAddress {

    @Inject
    @ConfigProperty(name = "herald.proxy.trusted")
    Optional<String> trusted;

    /** Created at deployment, not on first use off a request thread (TomEE; DeploymentCreationTest). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing to do: being created on the deploying thread is the point
    }

    public String key(String remoteAddress, String forwardedFor) {
        InetAddress remote = Addresses.parseLiteral(remoteAddress).orElse(null);
        if (remote == null) {
            return "unknown";
        }
        InetAddress client = remote;
        if (isTrusted(remote) && forwardedFor != null) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = Addresses.parseLiteral(hops[i]);
                if (hop.isEmpty()) {
                    break;
                }
                client = hop.get();
                if (!isTrusted(client)) {
                    break;
                }
            }
        }
        return Addresses.clientKey(client);
    }

    boolean isTrusted(InetAddress address) {
        return CommaList.of(trusted).stream()
                .map(Addresses::parseLiteral).flatMap(Optional::stream).anyMatch(address::equals);
    }
}
