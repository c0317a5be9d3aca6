package dev.herald.testing;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A {@code redis-server} child process that one test owns, on a free loopback port (never the shared
 * 6379), so the test may stop, kill and restart it. It persists with an append-only file only
 * (fsync every second, the production setting) in the given directory; {@link #restart()} reuses the
 * port and the directory, so the server replays its AOF as a real Redis restart would.
 */
public final class RedisProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** freePort() closes its socket before redis binds, so another process may take the port in between. */
    private static final int PORT_ATTEMPTS = 3;
    private static final int SHARED_PORT = 6379;

    private static final Logger LOG = Logger.getLogger(RedisProcess.class.getName());
    /** Children still running when the test JVM exits (a failed or aborted run) must not outlive it. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-process-reaper"));
    }

    private final Path executable;
    private final Path dir;
    private final int port;
    private final boolean ownsDir;
    private Process process;

    private RedisProcess(Path executable, Path dir, int port, boolean ownsDir) {
        this.executable = executable;
        this.dir = dir;
        this.port = port;
        this.ownsDir = ownsDir;
    }

    /** Starts redis-server with its data in {@code dir} (normally a JUnit @TempDir), returning once it answers PING. */
    public static RedisProcess start(Path dir) throws IOException {
        return start(dir, RedisBinary.resolve());
    }

    /** Like {@link #start(Path)} in a temporary directory of its own, which {@link #close()} deletes. */
    public static RedisProcess start() throws IOException {
        Path dir = Files.createTempDirectory("herald-redis-");
        try {
            return start(dir, RedisBinary.resolve(), true);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** Starts the given executable, e.g. {@link RedisBinary#embedded()} to test the JDK-only fallback. */
    static RedisProcess start(Path dir, Path executable) throws IOException {
        return start(dir, executable, false);
    }

    private static RedisProcess start(Path dir, Path executable, boolean ownsDir) throws IOException {
        Files.createDirectories(dir);
        Path absolute = dir.toAbsolutePath();
        for (int attempt = 1; ; attempt++) {
            int port = MicroProcess.freePort();
            if (port == SHARED_PORT) {
                continue;
            }
            var redis = new RedisProcess(executable, absolute, port, ownsDir);
            try {
                redis.launch();
                return redis;
            } catch (IllegalStateException e) {
                if (attempt >= PORT_ATTEMPTS || !redis.log().contains("Address already in use")) {
                    throw e;
                }
                LOG.fine(() -> "port " + port + " was taken before redis-server bound it; trying another");
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The PID of the current server process; a restart gives a new one. */
    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Clean stop: SIGTERM, on which Redis fsyncs the AOF and exits; SIGKILL if it has not exited after 10 s. */
    public void stop() {
        if (!alive()) {
            return;
        }
        // SIGTERM rather than a SHUTDOWN command: it needs no connection and works while the server is
        // busy (a long script, loading); Redis handles it exactly like SHUTDOWN.
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            LOG.warning(() -> "redis-server " + process.pid() + " on port " + port + " ignored SIGTERM for "
                    + STOP_TIMEOUT + "; killing it");
            kill();
        }
    }

    /** Crash: SIGKILL, so Redis gets no chance to flush; returns once the process is gone. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!awaitExit(STOP_TIMEOUT)) {
            throw new IllegalStateException("redis-server " + process.pid() + " survived SIGKILL");
        }
    }

    /**
     * Starts the server again on the same port and directory, after {@link #stop()} or {@link #kill()}
     * (a running server is stopped cleanly first), and returns once the AOF is loaded and it answers.
     */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** Stops the server; deletes files only if this helper created the directory itself ({@link #start()}). */
    @Override
    public void close() {
        stop();
        if (ownsDir) {
            deleteTree(dir);
        }
    }

    /** The server's log file and its captured stdout/stderr (start-up errors before the log file opens). */
    public String log() {
        return read(logFile()) + read(outputFile());
    }

    @Override
    public String toString() {
        return "redis-server " + url() + (alive() ? " pid " + process.pid() : " (not running)") + " in " + dir;
    }

    List<String> command() {
        // One argument per token; "--save" "" reaches redis as an empty string and turns RDB snapshots off.
        return List.of(executable.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--dir", dir.toString(),
                "--logfile", logFile().toString());
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(outputFile().toFile())).start();
        RUNNING.add(process);
        process.onExit().thenAccept(RUNNING::remove);
        awaitReady();
        LOG.fine(() -> "started " + this);
    }

    /** PING answers once the AOF is loaded (it says -LOADING before); INFO then confirms loading:0. */
    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + ":\n" + tail());
            }
            try {
                if ("PONG".equals(RespWire.call(port, "PING"))
                        && RespWire.call(port, "INFO", "persistence").contains("loading:0")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet, or still loading the AOF
            }
            MicroProcess.sleep(20);
        }
        kill();
        throw new IllegalStateException("redis-server on port " + port + " did not answer within "
                + START_TIMEOUT + ":\n" + tail());
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private Path logFile() {
        return dir.resolve("redis-" + port + ".log");
    }

    private Path outputFile() {
        return dir.resolve("redis-" + port + ".out");
    }

    private String tail() {
        String text = log();
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not delete " + root, e);
        }
    }
}
