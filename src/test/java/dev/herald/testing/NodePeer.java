package dev.herald.testing;

import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Keys;
import dev.herald.platform.control.Redises;
import dev.herald.subscriptions.control.Stores;
import dev.herald.subscriptions.entity.Subscription;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * node web-push 3.6.7 as the fan-out benchmark's peer (-Dbench.node=true, docs/benchmarks.md "Against node
 * web-push"). Installs web-push@3.6.7 with npm into target/node-webpush (only there: not for the tests, not in the
 * WAR), starts src/test/node/webpush-peer.mjs once with the very subscriptions Herald delivers to (read from the
 * benchmark's Redis prefix), and after each Herald round runs one node round to the same stub. Both rounds are
 * checked against what the stub received; the figures are printed per round and as medians with the ratio.
 */
final class NodePeer implements AutoCloseable {

    static final String VERSION = "3.6.7";
    static final Path INSTALL = Path.of("target/node-webpush");
    static final Path SCRIPT = Path.of("src/test/node/webpush-peer.mjs");
    /** As the reference figure in issue 15: node web-push with 100 requests in flight. */
    static final int IN_FLIGHT = 100;

    /** One round of one side: pushes/s and process CPU per push. */
    record Figures(double rate, double cpuMicrosPerPush) {
    }

    final PushServiceStub stub;
    final List<String> names;
    final Path work;
    final Process process;
    final BufferedReader out;
    final Writer in;
    final List<Figures> herald = new ArrayList<>();
    final List<Figures> node = new ArrayList<>();
    long stubSeen;
    int round;

    private NodePeer(PushServiceStub stub, List<String> names, Path work, Process process) {
        this.stub = stub;
        this.names = names;
        this.work = work;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stubSeen = received();
    }

    /** Call after the fill and before the first Herald round: from here on the stub's requests are counted. */
    static NodePeer start(String prefix, PushServiceStub stub) throws IOException, InterruptedException {
        install();
        var subscriptions = JsonBody.array();
        var names = new ArrayList<String>();
        var redis = Redises.connect(prefix);
        try {
            var ids = redis.client().zrange(redis.key(Keys.SUBSCRIPTIONS), 0, -1);
            for (List<String> fields : Stores.on(redis).load(ids)) {
                var subscription = Subscription.fromFields(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4));
                subscriptions.add(JsonBody.object().add("endpoint", subscription.endpoint()).add("keys",
                        JsonBody.object().add("p256dh", subscription.keys().p256dh()).add("auth", subscription.keys().auth())));
                names.add(subscription.endpoint().substring(stub.endpoint("").length()));
            }
        } finally {
            Redises.close(redis);
        }
        // the payload Herald's rounds are notified with (FanOutBenchmark.run); Herald sends it as a declarative message
        String payload = "{\"title\":\"Benchmark\",\"body\":\"" + "b".repeat(200) + "\",\"url\":\"/bench\"}";
        Path work = INSTALL.resolve("work-" + prefix.replace(":", "") + ".json");
        Files.writeString(work, JsonBody.object().add("inFlight", IN_FLIGHT).add("payload", payload)
                .add("subscriptions", subscriptions).build().toString());
        var process = new ProcessBuilder("node", SCRIPT.toString(), INSTALL.toString(), work.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var peer = new NodePeer(stub, names, work, process);
        JsonObject ready = peer.reply();
        System.out.printf("node peer: pid %d, node %s, web-push %s, %,d subscriptions (the benchmark's), %d in flight, plain HTTP/1.1 "
                        + "keep-alive to the stub%n", process.pid(), ready.getString("node"), ready.getString("webPush"),
                ready.getInt("subscriptions"), ready.getInt("inFlight"));
        return peer;
    }

    /** npm install web-push@3.6.7 into target/node-webpush, unless that version is already there. */
    static void install() throws IOException, InterruptedException {
        Path installed = INSTALL.resolve("node_modules/web-push/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
            return;
        }
        Files.createDirectories(INSTALL);
        var command = List.of("npm", "install", "--prefix", INSTALL.toString(), "--no-save", "--no-audit", "--no-fund", "web-push@" + VERSION);
        System.out.println("node peer: " + String.join(" ", command));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("npm install web-push@" + VERSION + " failed (exit " + exit + "); bench.node needs node and npm");
        }
    }

    /** After a Herald round: checks what the stub got against it, runs one node round, prints both. */
    void round(FanOutBenchmark.Run run, boolean counted) throws IOException {
        long heraldReceived = seen();
        var heraldFigures = new Figures(run.rate(), run.cpuSeconds() * 1e6 / run.sent());
        in.write("run\n");
        in.flush();
        JsonObject reply = reply();
        long pushes = reply.getJsonNumber("pushes").longValue();
        long failures = reply.getJsonNumber("failures").longValue();
        double seconds = reply.getJsonNumber("seconds").doubleValue();
        double cpu = reply.getJsonNumber("cpuSeconds").doubleValue();
        long nodeReceived = seen();
        var nodeFigures = new Figures(pushes / seconds, pushes == 0 ? Double.NaN : cpu * 1e6 / pushes);
        String label = counted ? "round " + (++round) : "warm-up round (not counted)";
        System.out.printf("%s: Herald %,.0f pushes/s, %.0f µs CPU per push | node web-push %,d pushes in %.2f s = %,.0f pushes/s, "
                        + "%.0f µs CPU per push (user %.2f s + system %.2f s)%s%n", label, heraldFigures.rate(), heraldFigures.cpuMicrosPerPush(),
                pushes, seconds, nodeFigures.rate(), nodeFigures.cpuMicrosPerPush(), reply.getJsonNumber("userSeconds").doubleValue(),
                reply.getJsonNumber("systemSeconds").doubleValue(), failures == 0 ? "" : ", " + failures + " FAILED: " + reply.get("failureReasons"));
        if (heraldReceived != run.sent() || nodeReceived != pushes + failures) {
            System.out.printf("WARNING: the stub received %,d requests in Herald's round (Herald says %,d sent) and %,d in node's (node says %,d "
                    + "pushes + %,d failures)%n", heraldReceived, run.sent(), nodeReceived, pushes, failures);
        }
        if (counted) {
            herald.add(heraldFigures);
            node.add(nodeFigures);
        }
    }

    /** The medians of the counted rounds (each side's median round by pushes/s) and the ratios Herald/node. */
    void printMedians() {
        var heraldMedian = median(herald);
        var nodeMedian = median(node);
        System.out.printf("MEDIAN of %d alternating rounds, Herald against node web-push %s (%d in flight): Herald %,.0f pushes/s, %.0f µs CPU "
                        + "per push; node web-push %,.0f pushes/s, %.0f µs CPU per push; Herald/node %.2f× the pushes/s, %.2f× the CPU per push%n",
                herald.size(), VERSION, IN_FLIGHT, heraldMedian.rate(), heraldMedian.cpuMicrosPerPush(), nodeMedian.rate(),
                nodeMedian.cpuMicrosPerPush(), heraldMedian.rate() / nodeMedian.rate(), heraldMedian.cpuMicrosPerPush() / nodeMedian.cpuMicrosPerPush());
    }

    static Figures median(List<Figures> rounds) {
        var sorted = rounds.stream().sorted(Comparator.comparingDouble(Figures::rate)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Requests the stub got for the benchmark's subscriptions since the last call. */
    long seen() {
        long now = received();
        long delta = now - stubSeen;
        stubSeen = now;
        return delta;
    }

    long received() {
        return names.stream().mapToLong(stub::requestCount).sum();
    }

    JsonObject reply() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the node peer ended (exit " + exitValue() + "); its errors are above");
        }
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(line))) {
            var reply = reader.readObject();
            if (reply.containsKey("error")) {
                throw new IllegalStateException("node peer: " + reply.getString("error"));
            }
            return reply;
        }
    }

    String exitValue() {
        try {
            return String.valueOf(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            in.write("quit\n");
            in.close();
        } catch (IOException ended) {
            // it had ended already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(work);
    }
}
