package dev.herald.portability;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * WildFly with its MicroProfile configuration (MP Config, Health, OpenAPI), every socket
 * shifted by a port offset and bound to 127.0.0.1; the WAR is copied in as ROOT.war and
 * the configuration arrives as environment variables.
 */
class WildFlyServer extends AppServer {

    static final int[] BASE_PORTS = {8080, 8443, 9990, 9993, 8009, 4712, 4713};
    final Path home = home("herald.wildfly.home");
    int offset;

    @Override
    String name() {
        return "wildfly";
    }

    @Override
    Process launch(Map<String, String> config) throws IOException {
        Path standalone = home.resolve("standalone");
        for (String dir : List.of("deployments", "data", "tmp", "log")) {
            if (!dir.equals("deployments")) {
                deleteTree(standalone.resolve(dir));
            }
        }
        try (var old = Files.list(standalone.resolve("deployments"))) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("ROOT.war")).toList()) {
                deleteTree(p);
            }
        }
        Files.copy(WAR, standalone.resolve("deployments/ROOT.war"));
        offset = freeOffset();
        httpPort = 8080 + offset;
        var builder = logged(List.of("bash", "bin/standalone.sh", "-c", "standalone-microprofile.xml",
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + offset), home);
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        config.forEach((key, value) -> builder.environment().put(environmentName(key), value));
        return builder.start();
    }

    @Override
    URI readiness() {
        return URI.create("http://127.0.0.1:" + (9990 + offset) + "/health/ready");
    }

    @Override
    Optional<String> deploymentFailure() {
        Path failed = home.resolve("standalone/deployments/ROOT.war.failed");
        try {
            return Files.exists(failed) ? Optional.of(Files.readString(failed)) : Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.toString());
        }
    }

    /** MicroProfile Config's environment variable form: herald.redis.url -> HERALD_REDIS_URL. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    static int freeOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(10_000, 40_000);
            if (IntStream.of(BASE_PORTS).allMatch(port -> free(port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free WildFly port offset found");
    }
}
