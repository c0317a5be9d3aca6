package dev.herald.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Payara Micro in a child process running the WAR the build produced, for tests that
 * need their own configuration or a restart, and for the dev launcher.
 */
public final class MicroProcess implements AutoCloseable {

    public static final Path MICRO_JAR = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
    public static final Path PREBOOT = Path.of("server-config/payara-micro-preboot.asadmin").toAbsolutePath();
    public static final Path POSTBOOT = Path.of("server-config/payara-micro-postboot.asadmin").toAbsolutePath();
    public static final Path WAR = Path.of(System.getProperty("herald.war", "target/herald.war"));

    final Process process;
    final int port;
    final Path log;
    /** Where the WAR is served, "/" or e.g. "/herald/". */
    final String root;

    public long pid() {
        return process.pid();
    }

    MicroProcess(Process process, int port, Path log) {
        this(process, port, log, "/");
    }

    MicroProcess(Process process, int port, Path log, String root) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.root = root;
    }

    /** Starts Payara Micro with the given system properties and returns once the app answers, or throws with the log. */
    /** JVM options for a test instance: quick to start on two cores (C1 only, the serial collector); tests measure no speed. */
    // and no deployment warm-up: C1-only code gains little from it, and its pushes took CPU from every test (ReadinessIT
    // turns it on by its settings, which come later on the command line and win)
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dherald.warm-up.pushes=0");

    /** Starts a test instance with QUICK_START; benchmarks give their own JVM options. */
    public static MicroProcess start(Map<String, String> properties, int port, Duration timeout) throws IOException {
        return start(properties, port, timeout, QUICK_START);
    }

    /**
     * Like {@link #start(Map, int, Duration)} with extra JVM options before {@code -jar}, e.g. a smaller heap
     * for tests that run several instances; an {@code -Xmx} among them replaces the default {@code -Xmx512m}.
     */
    public static MicroProcess start(Map<String, String> properties, int port, Duration timeout,
            List<String> jvmOptions) throws IOException {
        return start(properties, port, "/", timeout, jvmOptions);
    }

    /** The same with the WAR served at {@code root} ("/herald/": not the root context) instead of "/". */
    public static MicroProcess start(Map<String, String> properties, int port, String root, Duration timeout,
            List<String> jvmOptions) throws IOException {
        Path log = Files.createTempFile("herald-micro-", ".log");
        Process process = new ProcessBuilder(command(properties, port, root, List.of(), jvmOptions))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var micro = new MicroProcess(process, port, log, root);
        micro.awaitReady(timeout);
        return micro;
    }

    public static List<String> command(Map<String, String> properties, int port, List<String> extraOptions) {
        return command(properties, port, extraOptions, List.of());
    }

    /** {@code extraOptions} go to Payara Micro after its own options, {@code jvmOptions} to the JVM before -jar. */
    public static List<String> command(Map<String, String> properties, int port, List<String> extraOptions,
            List<String> jvmOptions) {
        return command(properties, port, "/", extraOptions, jvmOptions);
    }

    static List<String> command(Map<String, String> properties, int port, String root, List<String> extraOptions,
            List<String> jvmOptions) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions.stream().noneMatch(option -> option.startsWith("-Xmx"))) {
            command.add("-Xmx512m");
        }
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", MICRO_JAR.toString(), "--nocluster", "--nohazelcast",
                "--prebootcommandfile", PREBOOT.toString(), "--postbootcommandfile", POSTBOOT.toString(),
                "--port", String.valueOf(port), "--contextroot", contextRoot(root), "--deploy", WAR.toString()));
        command.addAll(extraOptions);
        return command;
    }

    /** Payara Micro's --contextroot for a root: "/" stays, "/herald/" is "/herald". */
    static String contextRoot(String root) {
        return "/".equals(root) ? root : root.replaceFirst("/$", "");
    }

    void awaitReady(Duration timeout) throws IOException {
        var client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                var response = client.send(HttpRequest.newBuilder(uri(root + "api/subscribe")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Payara Micro did not serve the app within " + timeout + ":\n" + tail());
    }

    /** Waits for the process to end by itself (a deployment that must fail), returning its log. */
    public static String runUntilExitOrReady(Map<String, String> properties, Duration timeout) throws IOException {
        Path log = Files.createTempFile("herald-micro-", ".log");
        int port = freePort();
        Process process = new ProcessBuilder(command(properties, port, List.of(), QUICK_START))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var micro = new MicroProcess(process, port, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String text = micro.tail();
                if (text.contains("Payara Micro URLs:") || text.contains("Deployed 0 archive") || !process.isAlive()) {
                    return text;
                }
                sleep(500);
            }
            return micro.tail();
        } finally {
            micro.close();
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The whole log of this process so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public static int freePort() {
        try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Crash: SIGKILL, so the server gets no chance to shut down; returns once the process is gone. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Clean stop: SIGTERM and up to {@code timeout} for the shutdown hooks, then SIGKILL. */
    public void stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
