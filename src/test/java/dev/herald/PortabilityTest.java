package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** src/main may use Jakarta EE and MicroProfile APIs only: no application server's own classes. */
class PortabilityTest {

    static final Pattern VENDOR = Pattern.compile(
            "\\b(fish\\.payara|com\\.sun\\.enterprise|org\\.glassfish|org\\.jboss|org\\.wildfly|io\\.undertow|org\\.apache\\.tomee"
                    + "|org\\.apache\\.openejb|org\\.apache\\.catalina|org\\.apache\\.cxf|org\\.apache\\.webbeans|io\\.smallrye"
                    + "|org\\.eclipse\\.yasson|org\\.eclipse\\.parsson|org\\.apache\\.johnzon)\\.");

    @Test
    void mainSourcesUseNoServerSpecificClasses() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(PortabilityTest::vendorLines)
                    .toList();
        }
        assertThat(offenders).as("server-specific references in src/main/java").isEmpty();
    }

    @Test
    void theCheckRecognisesAVendorImport() {
        assertThat(VENDOR.matcher("import fish.payara.micro.PayaraMicro;").find()).isTrue();
        assertThat(VENDOR.matcher("import org.jboss.resteasy.spi.HttpRequest;").find()).isTrue();
        assertThat(VENDOR.matcher("import jakarta.ws.rs.GET;").find()).isFalse();
    }

    static Stream<String> vendorLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> VENDOR.matcher(lines.get(i)).find())
                    .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
