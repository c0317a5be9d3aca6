package dev.herald.portability;

import dev.herald.testing.MicroProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Payara Micro (the build's target/payara-micro.jar) without clustering, its HTTP listener
 * bound to 127.0.0.1 by a post-boot command, configuration passed as system properties.
 */
class PayaraMicroServer extends AppServer {

    @Override
    String name() {
        return "payara-micro";
    }

    @Override
    Process launch(Map<String, String> config) throws IOException {
        httpPort = MicroProcess.freePort();
        Path postBoot = Files.createTempFile("herald-postboot-", ".asadmin");
        Files.writeString(postBoot, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n");
        postBoot.toFile().deleteOnExit();
        return logged(MicroProcess.command(config, httpPort, List.of("--postbootcommandfile", postBoot.toString())),
                Path.of(".")).start();
    }

    @Override
    URI readiness() {
        return base().resolve("health/ready");
    }
}
