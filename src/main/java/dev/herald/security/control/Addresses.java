package dev.herald.security.control;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address facts that the endpoint policy and the rate limits share. Nothing here
 * asks DNS: literals are parsed only when they consist of address characters.
 */
public final class Addresses {

    // WHATWG URL host parsing: a host whose last label is a number (decimal, 0x hex, or
    // octal) is an IPv4 address, so 2130706433, 0x7f.1, 017700000001 and 127.1 all are.
    static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    static final Pattern LITERAL_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Addresses() {
    }

    /** True for any spelling of an IP address as a URL host, bracketed IPv6 included. */
    public static boolean isIpLiteral(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") || h.contains(":")) {
            return true;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return NUMERIC_LABEL.matcher(h.substring(h.lastIndexOf('.') + 1)).matches();
    }

    /** Parses an IPv4 dotted quad or an IPv6 literal (brackets optional) without DNS. */
    public static Optional<InetAddress> parseLiteral(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean v4 = t.matches("(\\d{1,3}\\.){3}\\d{1,3}");
        if (!(v4 || t.contains(":")) || !LITERAL_CHARS.matcher(t).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Why an address must not be a push target, or empty when it is a public unicast address. */
    public static Optional<String> nonPublic(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return nonPublicV4(b);
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique local (fc00::/7)");
        }
        // forms that carry an IPv4 address: IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || zeros(b, 0, 12)
                || (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zeros(b, 4, 12))) {
            return embedded(b, 12).map(reason -> "IPv4-embedding form of a " + reason + " address");
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return embedded(b, 2).map(reason -> "6to4 form of a " + reason + " address");
        }
        return Optional.empty();
    }

    static Optional<String> embedded(byte[] b, int from) {
        try {
            return nonPublic(InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<String> nonPublicV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return Optional.of("\"this network\" (0.0.0.0/8)");
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("carrier-grade NAT (100.64.0.0/10)");
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return Optional.of("IETF protocol assignment (192.0.0.0/24)");
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return Optional.of("benchmarking (198.18.0.0/15)");
        }
        if (first >= 240) {
            return Optional.of("reserved or broadcast (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The rate-limit key of a client: its IPv4 address, or its IPv6 /64 (one subscriber's usual allocation). */
    public static String clientKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }
}
