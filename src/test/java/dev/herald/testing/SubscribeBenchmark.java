package dev.herald.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * POST /api/subscribe under load: Payara Micro with the built WAR (rate limit off, two channels
 * declared) on the run's Redis under a prefix of its own, and wrk (Debian package wrk) with 2
 * threads and bench.connections keep-alive connections, every request a new endpoint with a valid
 * key in two channels (src/test/resources/bench/subscribe.lua). A warm-up of bench.warmup seconds
 * (default 10, not counted), then bench.runs runs of bench.seconds each; prints each run and the
 * median. Deletes its prefix at the end.
 *
 *     ./mvnw -q -DskipTests package exec:java@subscribe-bench -Dbench.runs=3
 */
public final class SubscribeBenchmark {

    static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private SubscribeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int connections = Integer.getInteger("bench.connections", 50);
        int warmup = Integer.getInteger("bench.warmup", 10);
        String prefix = "hs" + UUID.randomUUID().toString().substring(0, 4) + ":";
        var settings = new HashMap<String, String>();
        settings.put("herald.redis.url", TestRedis.URL);
        settings.put("herald.redis.prefix", prefix);
        settings.put("herald.push.allow-insecure", "true");
        settings.put("herald.push.allowed-hosts", "127.0.0.1");
        settings.put("herald.api.tokens", Api.TOKEN);
        settings.put("herald.limits.subscribe-per-minute", "0");
        settings.put("herald.limits.max-subscriptions", "100000000");
        settings.put("herald.channels", "news=News,offers=Offers");
        Path script = Files.createTempFile("herald-subscribe-", ".lua");
        try (var in = SubscribeBenchmark.class.getResourceAsStream("/bench/subscribe.lua")) {
            Files.write(script, in.readAllBytes());
        }
        installWrk();
        var keys = TestSubscriber.create();
        // the server's own JIT and collector, not the tests' quick-start options: this measures speed
        try (var micro = MicroProcess.start(settings, MicroProcess.freePort(), Duration.ofMinutes(4), List.of("-Xmx512m"))) {
            String base = micro.uri("/").toString().replaceAll("/$", "");
            System.out.printf("subscribe bench: wrk -t2 -c%d, %d s uncounted, %d s per run, %d runs, a new endpoint per request, 2 channels, prefix %s%n",
                    connections, warmup, seconds, runs, prefix);
            wrk(base, script, keys, connections, warmup);
            var rates = new ArrayList<Double>();
            for (int i = 1; i <= runs; i++) {
                String out = wrk(base, script, keys, connections, seconds);
                var rate = RATE.matcher(out);
                if (!rate.find()) {
                    throw new IllegalStateException("wrk printed no rate:\n" + out);
                }
                rates.add(Double.parseDouble(rate.group(1)));
                String summary = out.lines().filter(line -> line.startsWith("wrk:")).findFirst().orElse("");
                System.out.printf("run %d: %,.0f subscribes/s; %s%n", i, rates.get(rates.size() - 1), summary);
            }
            Collections.sort(rates);
            System.out.printf("median: %,.0f subscribes/s over %d runs%n", rates.get(rates.size() / 2), runs);
        } finally {
            Files.deleteIfExists(script);
            TestRedis.deleteAll(prefix);
        }
        System.exit(0);
    }

    /** The load tool is Debian's wrk: installed here when missing (the machine has Debian's package registry, and the benchmark runs as root). */
    static void installWrk() throws IOException, InterruptedException {
        if (run(List.of("sh", "-c", "command -v wrk")) == 0) {
            return;
        }
        System.out.println("wrk is missing: apt-get install wrk");
        if (run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk")) != 0) {
            throw new IllegalStateException("wrk is not installed and apt-get could not install it: apt-get install wrk (the Debian package)");
        }
    }

    static int run(List<String> command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static String wrk(String base, Path script, TestSubscriber keys, int connections, int seconds) throws IOException, InterruptedException {
        var command = List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), base);
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCH_ENDPOINT", "http://127.0.0.1:9/push/" + UUID.randomUUID());
        builder.environment().put("BENCH_P256DH", keys.p256dh());
        builder.environment().put("BENCH_AUTH", keys.authSecret());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed: apt-get install wrk (the Debian package)", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }
}
