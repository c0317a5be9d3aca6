package dev.herald.subscriptions.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Through parse(): check() only wraps the same refusal in a 400 (JAX-RS runtime needed; see BadInputIT). */
class EndpointPolicyTest {

    /** The policy exactly as the shipped META-INF/microprofile-config.properties configures it. */
    static EndpointPolicy defaults() {
        var properties = new Properties();
        try (InputStream in = EndpointPolicy.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var policy = new EndpointPolicy();
        policy.allowedHosts = Arrays.asList(properties.getProperty("herald.push.allowed-hosts").split(","));
        policy.allowInsecure = Boolean.parseBoolean(properties.getProperty("herald.push.allow-insecure"));
        return policy;
    }

    /** The policy as the pom's Arquillian configuration sets it up (herald.it.push). */
    static EndpointPolicy testConfig() {
        var policy = new EndpointPolicy();
        policy.allowedHosts = List.of("127.0.0.1", "fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com", ".notify.windows.com");
        policy.allowInsecure = true;
        return policy;
    }

    static EndpointPolicy resolving(EndpointPolicy policy, Map<String, String> dns) {
        policy.resolver = host -> {
            String address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        };
        return policy;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://FCM.GoogleAPIs.com/fcm/send/abc",
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://android.googleapis.com/gcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGx4kE",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB%2bTgPX",
    })
    void defaultsAcceptRealPushServices(String endpoint) {
        assertThat(defaults().parse(endpoint)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://fcm.googleapis.com/fcm/send/abc | must use https, not http",
        "http://127.0.0.1:9999/push/abc | is an IP address",
        "https://127.0.0.1/push | is an IP address",
        "https://localhost/push | localhost is not a known push service",
        "https://169.254.169.254/latest/meta-data/ | is an IP address",
        "https://169.254.169.254/.apple.com/ | is an IP address",
        "https://[::1]/push | is an IP address",
        "https://[::ffff:127.0.0.1]/push | is an IP address",
        "https://[::ffff:a9fe:a9fe]/push | is an IP address",
        "https://2130706433/push | is an IP address",
        "https://0x7f000001/push | is an IP address",
        "https://0x7f.1/push | is an IP address",
        "https://017700000001/push | is an IP address",
        "https://127.1/push | is an IP address",
        "https://fcm.googleapis.com.evil.tld/fcm/send/abc | fcm.googleapis.com.evil.tld is not a known push service",
        "https://evil.tld/.fcm.googleapis.com | evil.tld is not a known push service",
        "https://fcm.googleapis.com@evil.tld/fcm/send/abc | must not contain user info",
        "https://user:pw@fcm.googleapis.com/fcm/send/abc | must not contain user info",
        "https://fcm.googleapis.com:8443/fcm/send/abc | port 443, not 8443",
        "https://fcm.googleapis.com./fcm/send/abc | ends with a dot",
        "https://xn--fcm-googleapis-9ib.com/fcm/send/abc | is not a known push service",
        "https://notify.windows.com/w/ | notify.windows.com is not a known push service",
        "https://evilnotify.windows.com/w/ | is not a known push service",
        "https://a_b.notify.windows.com/w/ | is not a valid host name",
        "https://fcm.googleapis.com/fcm/send/abc#frag | fragment",
        "ftp://fcm.googleapis.com/x | must use https, not ftp",
        "//fcm.googleapis.com/x | absolute URL",
        "fcm.googleapis.com/x | absolute URL",
        "https:///x | absolute URL",
    })
    void defaultsRefuse(String endpoint, String reason) {
        assertThatThrownBy(() -> defaults().parse(endpoint)).isInstanceOf(EndpointPolicy.Refused.class).hasMessageContaining(reason);
    }

    @Test
    void defaultsRefuseInternationalisedLookAlike() {
        // Cyrillic "с" in fсm
        assertThatThrownBy(() -> defaults().parse("https://f\u0441m.googleapis.com/fcm/send/abc"))
                .hasMessageContaining("not a valid host name");
    }

    @Test
    void defaultsRefuseControlCharacters() {
        assertThatThrownBy(() -> defaults().parse("https://fcm.googleapis.com/fcm/send/abc\r\nHost: evil"))
                .hasMessageContaining("CR/LF");
    }

    @Test
    void defaultsContainNoLoopbackAndNoInsecure() {
        var policy = defaults();
        assertThat(policy.allowInsecure).isFalse();
        assertThat(policy.allowedHosts).noneMatch(host -> host.contains("127.") || host.contains("localhost") || host.contains(":"));
    }

    @Test
    void testConfigAcceptsLoopbackStubOnlyAsListed() {
        var policy = testConfig();
        assertThat(policy.parse("http://127.0.0.1:41234/push/abc")).isNotNull();
        assertThatThrownBy(() -> policy.parse("https://127.0.0.2/push")).hasMessageContaining("is an IP address");
        assertThatThrownBy(() -> policy.parse("https://localhost/push")).hasMessageContaining("not a known push service");
        assertThatThrownBy(() -> policy.parse("http://fcm.googleapis.com/fcm/send/x")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> policy.parse("https://fcm.googleapis.com:8443/fcm/send/x")).hasMessageContaining("not 8443");
        assertThatThrownBy(() -> policy.parse("http://2130706433:41234/push")).hasMessageContaining("is an IP address");
    }

    @Test
    void deliveryReturnsThePublicAddresses() {
        var policy = resolving(defaults(), Map.of("fcm.googleapis.com", "142.250.185.106"));
        assertThat(policy.checkForDelivery("https://fcm.googleapis.com/fcm/send/abc"))
                .extracting(InetAddress::getHostAddress).containsExactly("142.250.185.106");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | loopback",
        "10.1.2.3 | private",
        "172.20.0.1 | private",
        "192.168.1.1 | private",
        "169.254.169.254 | link-local",
        "100.64.0.1 | carrier-grade NAT",
        "0.0.0.0 | unspecified",
        "0.1.2.3 | this network",
        "255.255.255.255 | broadcast",
        "224.0.0.1 | multicast",
        "::1 | loopback",
        "fe80::1 | link-local",
        "fd00::1 | unique local",
        "::ffff:169.254.169.254 | link-local",
        "::ffff:10.0.0.1 | private",
        "::a9fe:a9fe | link-local",
        "64:ff9b::a9fe:a9fe | link-local",
        "2002:a9fe:a9fe::1 | link-local",
    })
    void deliveryRefusesNonPublicAddresses(String address, String kind) {
        var policy = resolving(defaults(), Map.of("fcm.googleapis.com", address));
        assertThatThrownBy(() -> policy.checkForDelivery("https://fcm.googleapis.com/fcm/send/abc"))
                .isInstanceOf(EndpointPolicy.Refused.class).hasMessageContaining(kind);
    }

    @Test
    void deliveryRechecksTheUrlWithTheCurrentConfiguration() {
        var policy = resolving(defaults(), Map.of("fcm.googleapis.com", "142.250.185.106"));
        policy.allowedHosts = List.of("web.push.apple.com");
        assertThatThrownBy(() -> policy.checkForDelivery("https://fcm.googleapis.com/fcm/send/abc"))
                .isInstanceOf(EndpointPolicy.Refused.class).hasMessageContaining("not a known push service");
    }

    @Test
    void unresolvableHostAtDeliveryIsATransportProblemNotARefusal() {
        var policy = resolving(defaults(), Map.of());
        assertThatThrownBy(() -> policy.checkForDelivery("https://fcm.googleapis.com/fcm/send/abc"))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void deliveryToListedLoopbackStubOnlyWithTestConfig() {
        assertThat(resolving(testConfig(), Map.of("127.0.0.1", "127.0.0.1")).checkForDelivery("http://127.0.0.1:41234/push/x"))
                .extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        var insecureOff = resolving(testConfig(), Map.of("127.0.0.1", "127.0.0.1"));
        insecureOff.allowInsecure = false;
        assertThatThrownBy(() -> insecureOff.checkForDelivery("http://127.0.0.1:41234/push/x")).isInstanceOf(EndpointPolicy.Refused.class);
        // a listed host name resolving to loopback is still refused: only literally listed addresses are relaxed
        var rebinding = resolving(testConfig(), Map.of("fcm.googleapis.com", "127.0.0.1"));
        assertThatThrownBy(() -> rebinding.checkForDelivery("https://fcm.googleapis.com/fcm/send/x")).hasMessageContaining("loopback");
    }
}
