package dev.herald.portability;

import dev.herald.testing.MicroProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * TomEE plus (MicroProfile Config, Health and OpenAPI included), its HTTP connector moved
 * to a free port on 127.0.0.1, the shutdown port and the HTTPS/AJP connectors off, the WAR
 * copied in as webapps/ROOT.war and the configuration passed as system properties.
 */
class TomEEServer extends AppServer {

    final Path home = home("herald.tomee.home");

    @Override
    String name() {
        return "tomee";
    }

    @Override
    Process launch(Map<String, String> config) throws IOException {
        httpPort = MicroProcess.freePort();
        Path serverXml = home.resolve("conf/server.xml");
        Path original = home.resolve("conf/server.xml.herald-stock");
        if (!Files.exists(original)) {
            Files.copy(serverXml, original);
        }
        Files.writeString(serverXml, serverXml(Files.readString(original), httpPort));
        deleteTree(home.resolve("webapps"));
        deleteTree(home.resolve("work"));
        Files.createDirectories(home.resolve("webapps"));
        Files.copy(WAR, home.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        var builder = logged(List.of("bash", "bin/catalina.sh", "run"), home);
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        // tomee.mp.scan=all: without it TomEE 9 does not wire MicroProfile (Config injection, Health) into the app
        builder.environment().put("CATALINA_OPTS", "-Dtomee.mp.scan=all " + config.entrySet().stream()
                .map(e -> "-D" + e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        return builder.start();
    }

    /** The stock server.xml with only one HTTP connector, on 127.0.0.1, and no shutdown port. */
    static String serverXml(String stock, int port) {
        return stock.replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replaceFirst("<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                        "<Connector address=\"127.0.0.1\" port=\"" + port + "\" protocol=\"HTTP/1.1\"");
    }

    @Override
    java.util.Optional<String> deploymentFailure() {
        String log = tail();
        int at = log.indexOf("Error deploying web application archive");
        return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(log.substring(at, Math.min(log.length(), at + 300)));
    }

    /** TomEE mounts MicroProfile Health inside the application's JAX-RS application (path "api"). */
    @Override
    URI readiness() {
        return base().resolve("api/health/ready");
    }
}
