package dev.herald.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** The TCP sockets a process listens on, read from Linux's /proc (no ss or netstat needed). */
public final class ListeningSockets {

    static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    public static List<InetSocketAddress> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closed) {
                    // the descriptor was closed while listing
                }
            }
        }
        var listening = new ArrayList<InetSocketAddress>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.trim().split("\\s+");
                if (LISTEN.equals(columns[3]) && inodes.contains(columns[9])) {
                    listening.add(address(columns[1]));
                }
            }
        }
        return listening;
    }

    /** "0100007F:1F90" or 32 hex digits + port: the address in 32-bit words of host (little-endian) order. */
    static InetSocketAddress address(String column) throws IOException {
        String[] parts = column.split(":");
        byte[] words = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[words.length];
        for (int word = 0; word < words.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = words[word + 3 - i];
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    }
}
