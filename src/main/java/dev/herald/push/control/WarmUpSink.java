package dev.herald.push.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A push service of Herald's own on loopback, for the warm-up at deployment only: it answers every
 * request with 201 Created over HTTP/1.1 keep-alive and reads nothing but the request's length.
 * While the warm-up runs, PushClient admits its endpoints past the SSRF rules (PushClient.admit):
 * safe because they are 127.0.0.1, the port this sink holds, and a random path only this object
 * knows, never an address a request could name. Plain java.net: WildFly hides the JDK's
 * com.sun.net.httpserver from deployments.
 */
public final class WarmUpSink implements AutoCloseable {

    static final byte[] CREATED = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_LINE = 8192;
    /** Connections waiting to be accepted: the Dispatcher opens up to herald.delivery.max-in-flight at once. */
    static final int BACKLOG = 1024;

    final ServerSocket socket;
    final ThreadFactory threads;
    /** A random path of this sink's own: only endpoints under it are the sink's (owns), whatever else listens on its port later. */
    final String path;
    final AtomicLong answered = new AtomicLong();
    final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private WarmUpSink(ServerSocket socket, ThreadFactory threads) {
        this.socket = socket;
        this.threads = threads;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.path = "/warm-up/" + HexFormat.of().formatHex(random) + "/";
    }

    /** Listens on a free loopback port; each connection is served on a thread of its own from threads. */
    public static WarmUpSink start(ThreadFactory threads) throws IOException {
        var sink = new WarmUpSink(new ServerSocket(0, BACKLOG, InetAddress.getByAddress(new byte[]{127, 0, 0, 1})), threads);
        threads.newThread(sink::accept).start();
        return sink;
    }

    /** Where a warm-up push goes: a new path each time, as every subscription has its own. */
    public URI endpoint(long push) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path + push);
    }

    /** Whether the endpoint is one of this sink's, while it is open: http, 127.0.0.1, its port and its random path. */
    public boolean owns(URI endpoint) {
        String rawPath = endpoint.getRawPath();
        return !socket.isClosed() && "http".equalsIgnoreCase(endpoint.getScheme()) && "127.0.0.1".equals(endpoint.getHost())
                && endpoint.getPort() == socket.getLocalPort() && rawPath != null && rawPath.startsWith(path)
                && endpoint.getRawQuery() == null;
    }

    /** Requests answered so far. */
    public long answered() {
        return answered.get();
    }

    /**
     * Accepts until closed. A failed accept (say, out of file descriptors) or a thread the container refuses costs that
     * one connection, never the acceptor: the client sees it closed and settles that push, and the rest go on.
     */
    void accept() {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed() && !pause()) {
                    return;
                }
                continue; // closed (the loop ends), or this one connection failed
            }
            connections.add(connection);
            try {
                if (socket.isClosed()) {
                    throw new IOException("closed"); // close() ran meanwhile and may have missed it
                }
                threads.newThread(() -> serve(connection)).start();
            } catch (IOException | RuntimeException e) {
                drop(connection);
            }
        }
    }

    /** A moment before the next accept after one failed (so that a lasting cause does not spin); false when interrupted. */
    static boolean pause() {
        try {
            Thread.sleep(10);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void drop(Socket connection) {
        connections.remove(connection);
        try {
            connection.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            long length;
            while ((length = contentLength(in)) >= 0) {
                in.skipNBytes(length);
                // counted before the answer goes out, so that whoever has the answer sees the count
                answered.incrementAndGet();
                out.write(CREATED);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, close() ended the connection, or a request head made no sense (a bad length)
        } finally {
            connections.remove(connection);
        }
    }

    /** Reads one request's head: its Content-Length (0 when it gives none), or -1 at the end of the connection. */
    static long contentLength(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            return -1;
        }
        long length = 0;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return line == null ? -1 : length;
    }

    static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (bytes.size() == MAX_LINE) {
                throw new IOException("request line too long");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return b == -1 && bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close(); // ends its thread; the client drops the connection from its pool at its next use
        }
    }
}
