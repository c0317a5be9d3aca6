package dev.herald.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds a {@code redis-server} executable for {@link RedisProcess}: the one on the PATH (Debian's 7.0
 * here), or else the Linux amd64 binary that the embedded-redis test dependency ships, so that
 * {@code ./mvnw verify} also works on a machine that has nothing but a JDK.
 */
final class RedisBinary {

    /** The class-path resource at the root of com.github.codemonstur:embedded-redis:1.4.4 (it reports 6.2.x). */
    static final String EMBEDDED_RESOURCE = "redis-server-6.2.6-v5-linux-amd64";
    /** Extracted once and reused by later runs; under target/ so {@code mvn clean} removes it. */
    static final Path EMBEDDED_DIR = Path.of("target", "redis-bin").toAbsolutePath();

    private static final Logger LOG = Logger.getLogger(RedisBinary.class.getName());

    private RedisBinary() {
    }

    /** The PATH's redis-server if there is one, otherwise the embedded binary. */
    static Path resolve() throws IOException {
        Optional<Path> installed = onPath();
        return installed.isPresent() ? installed.get() : embedded();
    }

    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The embedded binary, extracted into target/redis-bin/ on first use. */
    static synchronized Path embedded() throws IOException {
        requireLinuxAmd64();
        Path target = EMBEDDED_DIR.resolve(EMBEDDED_RESOURCE);
        if (Files.isRegularFile(target) && Files.isExecutable(target)) {
            return target;
        }
        Files.createDirectories(EMBEDDED_DIR);
        // Copy to a temporary name and rename: another surefire fork may extract at the same time,
        // and neither may ever execute a half-written file.
        Path partial = Files.createTempFile(EMBEDDED_DIR, EMBEDDED_RESOURCE, ".part");
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IOException(EMBEDDED_RESOURCE + " is not on the class path"
                        + " (test dependency com.github.codemonstur:embedded-redis:1.4.4 missing?)");
            }
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (!partial.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + partial + " executable");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        LOG.fine(() -> "extracted embedded redis-server to " + target);
        return target;
    }

    private static void requireLinuxAmd64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("no redis-server on the PATH, and the embedded binary only runs on"
                    + " Linux amd64 (this is " + os + "/" + arch + "); install redis-server");
        }
    }
}
