package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process handling of MicroProcess, on a stand-in shell process (a real Payara Micro needs the WAR). */
class MicroProcessTest {

    @TempDir
    Path dir;

    @Test
    void commandKeepsTheDefaultHeapWithoutJvmOptions() {
        var command = MicroProcess.command(Map.of("a", "b"), 8080, List.of("--x"));

        assertThat(command).contains("-Xmx512m", "-Da=b").endsWith("--x");
        assertThat(command.indexOf("-Xmx512m")).isLessThan(command.indexOf("-jar"));
    }

    @Test
    void jvmOptionsGoBeforeTheJarAndAnXmxReplacesTheDefault() {
        var command = MicroProcess.command(Map.of(), 8080, List.of(), List.of("-Xmx256m", "-XX:+UseSerialGC"));

        assertThat(command).doesNotContain("-Xmx512m").containsSubsequence("-Xmx256m", "-XX:+UseSerialGC", "-jar");
    }

    @Test
    void killEndsTheProcessAtOnce() throws IOException {
        var micro = standIn("exec sleep 60");
        assertThat(micro.alive()).isTrue();

        micro.kill();

        assertThat(micro.alive()).isFalse();
        assertThat(micro.process.exitValue()).isEqualTo(128 + 9);
    }

    @Test
    void stopSendsSigtermAndReturnsOnceTheProcessHasExited() throws IOException {
        var micro = standIn("exec sleep 60");

        micro.stop(Duration.ofSeconds(10));

        assertThat(micro.alive()).isFalse();
        assertThat(micro.process.exitValue()).isEqualTo(128 + 15);
    }

    @Test
    void stopKillsAProcessThatIgnoresSigtermAfterTheTimeout() throws IOException {
        // "trap '' TERM" makes the shell ignore SIGTERM, like a JVM stuck in a shutdown hook.
        var micro = standIn("trap '' TERM; echo trapped; while true; do sleep 0.1; done");
        awaitLog(micro, "trapped"); // the signal must not arrive before the trap is in place

        micro.stop(Duration.ofMillis(300));

        assertThat(micro.alive()).isFalse();
        assertThat(micro.process.exitValue()).isEqualTo(128 + 9);
    }

    private static void awaitLog(MicroProcess micro, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!micro.log().contains(text) && System.nanoTime() < deadline) {
            MicroProcess.sleep(10);
        }
        assertThat(micro.log()).contains(text);
    }

    private MicroProcess standIn(String script) throws IOException {
        Path log = dir.resolve("stand-in.log");
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new MicroProcess(process, MicroProcess.freePort(), log);
    }
}
