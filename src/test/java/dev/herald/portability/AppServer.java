package dev.herald.portability;

import dev.herald.testing.MicroProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One application server in a child process that serves the WAR the build produced at
 * context root "/", bound to 127.0.0.1, configured with the given herald.* settings.
 */
abstract class AppServer implements AutoCloseable {

    static final Path WAR = MicroProcess.WAR.toAbsolutePath();
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    Process process;
    Path log;
    int httpPort;

    abstract String name();

    /** Prepares the installation, deploys the WAR and starts the server; returns without waiting. */
    abstract Process launch(Map<String, String> config) throws IOException;

    /** The MicroProfile Health readiness URL of this server. */
    abstract URI readiness();

    /** A deployment failure the server reported in its own way, if any. */
    Optional<String> deploymentFailure() {
        return Optional.empty();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    AppServer start(Map<String, String> config, Duration timeout) throws IOException {
        log = Files.createTempFile("herald-" + name() + "-", ".log");
        process = launch(config);
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + ":\n" + tail());
            }
            var failure = deploymentFailure();
            if (failure.isPresent()) {
                throw new IllegalStateException(name() + " failed to deploy the WAR: " + failure.get() + "\n" + tail());
            }
            try {
                var response = client.send(HttpRequest.newBuilder(base().resolve("api/subscribe"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            pause(300);
        }
        throw new IllegalStateException(name() + " did not serve the app within " + timeout + ":\n" + tail());
    }

    ProcessBuilder logged(List<String> command, Path directory) {
        return new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
    }

    String tail() {
        try {
            String text = log == null ? "" : Files.readString(log);
            return text.length() > 15_000 ? text.substring(text.length() - 15_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server: first the JVMs the start script forked, then the script itself. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        Stream.concat(children.stream(), Stream.of(process.toHandle())).forEach(handle -> {
            handle.destroy();
            try {
                handle.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        });
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path home(String property) {
        Path home = Path.of(System.getProperty(property, "")).toAbsolutePath();
        if (!Files.isDirectory(home.resolve("bin"))) {
            throw new IllegalStateException("No server installation at " + home + " (system property " + property
                    + "): run the smoke test with ./mvnw -Pservers verify");
        }
        return home;
    }

    static boolean free(int port) {
        try (var socket = new java.net.ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
