package dev.herald.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    static ClientAddress trusting(String... proxies) {
        var clients = new ClientAddress();
        clients.trusted = proxies.length == 0 ? Optional.empty() : Optional.of(String.join(", ", proxies));
        return clients;
    }

    @Test
    void forwardedForIsIgnoredWithoutTrustedProxies() {
        assertThat(trusting().key("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        assertThat(trusting("10.0.0.1").key("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void trustedProxyNamesTheRightMostUntrustedHop() {
        // the client may put anything on the left; only what our proxies appended counts
        assertThat(trusting("10.0.0.1", "10.0.0.2").key("10.0.0.1", "1.1.1.1, 198.51.100.9, 10.0.0.2")).isEqualTo("198.51.100.9");
    }

    @Test
    void garbageInForwardedForStopsTheWalk() {
        assertThat(trusting("10.0.0.1").key("10.0.0.1", "198.51.100.9, evil.example")).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6ClientsAreGroupedByTheirSlash64() {
        var clients = trusting();
        assertThat(clients.key("2001:db8:1:2:aaaa::1", null)).isEqualTo(clients.key("2001:db8:1:2:ffff:ffff:ffff:ffff", null))
                .isEqualTo("20010db800010002::/64");
        assertThat(clients.key("2001:db8:1:3::1", null)).isNotEqualTo(clients.key("2001:db8:1:2::1", null));
    }

    @Test
    void mappedIpv4CountsAsIpv4() {
        assertThat(trusting().key("::ffff:203.0.113.7", null)).isEqualTo("203.0.113.7");
    }

    @Test
    void hostNamesAreNeverResolved() {
        assertThat(Addresses.parseLiteral("localhost")).isEmpty();
        assertThat(Addresses.parseLiteral("example.com")).isEmpty();
        assertThat(Addresses.parseLiteral("[::1]")).isPresent();
    }
}
