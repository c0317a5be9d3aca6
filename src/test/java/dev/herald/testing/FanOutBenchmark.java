package dev.herald.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import redis.clients.jedis.params.ScanParams;

/**
 * The fan-out benchmark (README "Benchmarks"), a command rather than a test:
 * Payara Micro with the built WAR in a child JVM, a fast push-service stub in this JVM,
 * N generated subscriptions written straight to Redis (one key pair for all), then `runs`
 * notifications to everyone, each timed from the job's own created/finished stamps.
 * Reports pushes/s, the server's CPU per push (utime+stime of its process) and its heap
 * from its GC log (highest occupancy before a GC = peak; highest after a GC = live set).
 * Properties: bench.n, bench.latency (ms), bench.runs, bench.warmup (uncounted runs first, default 0),
 * bench.xmx, bench.opts (extra server JVM options).
 */
public final class FanOutBenchmark {

    static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    static final long TICKS_PER_SECOND = 100;

    record Run(double seconds, long sent, double cpuSeconds, long peakHeapMb, long liveHeapMb, long liveAfterFullGcMb) {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 10_000);
        long latencyMs = Long.getLong("bench.latency", 0);
        int runs = Integer.getInteger("bench.runs", 3);
        int warmup = Integer.getInteger("bench.warmup", 0);
        String xmx = System.getProperty("bench.xmx", "256m");
        String opts = System.getProperty("bench.opts", "").trim();
        String prefix = "herald-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Path gcLog = Files.createTempFile("herald-bench-gc-", ".log");
        System.out.printf("bench: N=%d, stub latency %d ms, %d runs, server -Xmx%s %s, prefix %s%n", n, latencyMs, runs, xmx, opts, prefix);

        // the JDK HttpServer closes idle connections beyond 200 (read once, when it first starts);
        // the server keeps up to max-in-flight (256) open, and reconnecting would be measured too
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
        try (var stub = PushServiceStub.startFast(Duration.ofMillis(latencyMs))) {
            fill(prefix, n, stub);
            var properties = Map.of("herald.redis.url", TestRedis.URL, "herald.redis.prefix", prefix,
                    "herald.push.allow-insecure", "true", "herald.push.allowed-hosts", "127.0.0.1", "herald.api.tokens", Api.TOKEN);
            int port = MicroProcess.freePort();
            var command = new ArrayList<>(MicroProcess.command(properties, port, List.of()));
            command.set(command.indexOf("-Xmx512m"), "-Xmx" + xmx);
            command.add(1, "-Xlog:gc:file=" + gcLog + ":uptime");
            if (!opts.isEmpty()) {
                command.addAll(1, Arrays.asList(opts.split("\\s+")));
            }
            Path log = Files.createTempFile("herald-bench-micro-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (var micro = new MicroProcess(process, port, log)) {
                micro.awaitReady(Duration.ofMinutes(4));
                for (int i = 1; i <= warmup; i++) {
                    var run = run(micro, process.pid(), gcLog, prefix, n);
                    System.out.printf("warm-up %d (not counted): %,.0f pushes/s%n", i, run.sent() / run.seconds());
                }
                var results = new ArrayList<Run>();
                for (int i = 1; i <= runs; i++) {
                    var run = run(micro, process.pid(), gcLog, prefix, n);
                    results.add(run);
                    System.out.printf("run %d: %,d pushes in %.2f s = %,.0f pushes/s; server CPU %.3f s per 1,000 pushes (%.0f µs/push); "
                                    + "heap peak %d MB, after young GCs at most %d MB, live after a full GC %d MB%n", i, run.sent(), run.seconds(),
                            run.sent() / run.seconds(), run.cpuSeconds() * 1000 / run.sent(), run.cpuSeconds() * 1e6 / run.sent(),
                            run.peakHeapMb(), run.liveHeapMb(), run.liveAfterFullGcMb());
                }
                var byRate = results.stream().sorted((a, b) -> Double.compare(a.sent() / a.seconds(), b.sent() / b.seconds())).toList();
                var median = byRate.get(byRate.size() / 2);
                System.out.printf("MEDIAN of %d (N=%d, latency %d ms): %,.0f pushes/s, %.2f s elapsed, %.0f µs server CPU per push, "
                                + "heap peak %d MB / live after full GC %d MB (max over runs: %d / %d MB), server VmHWM %s%n",
                        runs, n, latencyMs, median.sent() / median.seconds(), median.seconds(), median.cpuSeconds() * 1e6 / median.sent(),
                        median.peakHeapMb(), median.liveAfterFullGcMb(),
                        results.stream().mapToLong(Run::peakHeapMb).max().orElse(0),
                        results.stream().mapToLong(Run::liveAfterFullGcMb).max().orElse(0),
                        vmHwm(process.pid()));
            } finally {
                deletePrefix(prefix);
            }
        }
        System.exit(0);
    }

    static Run run(MicroProcess micro, long pid, Path gcLog, String prefix, int n) throws Exception {
        var http = HttpClient.newHttpClient();
        long gcOffset = Files.size(gcLog);
        var threadsBefore = threadTicks(pid);
        double cpuBefore = cpuSeconds(pid);
        var reply = http.send(Api.authorize(HttpRequest.newBuilder(micro.uri("/api/notify"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Benchmark\",\"body\":\"" + "b".repeat(200)
                        + "\",\"url\":\"/bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 202) {
            throw new IllegalStateException("notify answered " + reply.statusCode() + ": " + reply.body());
        }
        String id = reply.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        String key = prefix + "notification:" + id;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!"done".equals(TestRedis.client().hget(key, "state"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " not done after 15 minutes: " + TestRedis.client().hgetAll(key));
            }
            Thread.sleep(20);
        }
        double cpu = cpuSeconds(pid) - cpuBefore;
        printThreads(threadsBefore, threadTicks(pid), n);
        var job = TestRedis.client().hgetAll(key);
        long sent = Long.parseLong(job.get("sent"));
        if (sent != n) {
            System.out.println("WARNING: sent " + sent + " of " + n + ": " + job + " " + TestRedis.client().hgetAll(key + ":failures"));
        }
        double seconds = Duration.between(Instant.parse(job.get("created")), Instant.parse(job.get("finished"))).toNanos() / 1e9;
        long peak = 0;
        long live = 0;
        byte[] all = Files.readAllBytes(gcLog);
        var matcher = GC.matcher(new String(all, (int) gcOffset, all.length - (int) gcOffset, StandardCharsets.UTF_8));
        while (matcher.find()) {
            peak = Math.max(peak, Long.parseLong(matcher.group(1)));
            live = Math.max(live, Long.parseLong(matcher.group(2)));
        }
        return new Run(seconds, sent, cpu, peak, live, liveAfterFullGc(pid, gcLog));
    }

    /** Asks the server for a full GC (jcmd GC.run) and reads the heap it left from the GC log: the live set. */
    static long liveAfterFullGc(long pid, Path gcLog) throws Exception {
        long offset = Files.size(gcLog);
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        for (int i = 0; i < 100; i++) {
            byte[] all = Files.readAllBytes(gcLog);
            var matcher = Pattern.compile("Pause Full.*?(\\d+)M->(\\d+)M").matcher(
                    new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8));
            if (matcher.find()) {
                return Long.parseLong(matcher.group(2));
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** utime + stime of the process, from /proc/<pid>/stat (fields 14 and 15, clock ticks). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
    }

    /** utime and stime ticks per thread (tid -> name, user, system) from /proc/<pid>/task. */
    static Map<String, long[]> threadTicks(long pid) throws IOException {
        var ticks = new LinkedHashMap<String, long[]>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(task.getFileName() + " " + name, new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12])});
                } catch (IOException ended) {
                    // the thread ended between listing and reading
                }
            }
        }
        return ticks;
    }

    /** Where the server's CPU went during a run, by thread name (the kernel keeps 15 characters of it). */
    static void printThreads(Map<String, long[]> before, Map<String, long[]> after, long pushes) {
        var byName = new java.util.TreeMap<String, long[]>();
        after.forEach((key, now) -> {
            long[] then = before.getOrDefault(key, new long[2]);
            long[] sum = byName.computeIfAbsent(key.substring(key.indexOf(' ') + 1), name -> new long[2]);
            sum[0] += now[0] - then[0];
            sum[1] += now[1] - then[1];
        });
        var line = new StringBuilder("  server CPU by thread (µs per push, user+system):");
        byName.entrySet().stream().filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1])).limit(8)
                .forEach(e -> line.append(String.format(" %s %.0f+%.0f;", e.getKey(), e.getValue()[0] * 1e6 / TICKS_PER_SECOND / pushes,
                        e.getValue()[1] * 1e6 / TICKS_PER_SECOND / pushes)));
        System.out.println(line);
    }

    static String vmHwm(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(line -> line.startsWith("VmHWM"))
                .map(line -> line.replaceAll("\\s+", " ").replace("VmHWM: ", "")).findFirst().orElse("?");
    }

    /** N subscriptions in the README's Redis layout, all to the stub and sharing one key pair. */
    static void fill(String prefix, int n, PushServiceStub stub) throws Exception {
        long start = System.nanoTime();
        var keys = TestSubscriber.create("");
        var sha = MessageDigest.getInstance("SHA-256");
        var redis = TestRedis.client();
        for (int from = 0; from < n; from += 5000) {
            try (var pipeline = redis.pipelined()) {
                for (int i = from; i < Math.min(n, from + 5000); i++) {
                    String id = UUID.randomUUID().toString();
                    String endpoint = stub.endpoint("bench-" + i);
                    String hash = HexFormat.of().formatHex(sha.digest(endpoint.getBytes(StandardCharsets.UTF_8)));
                    var record = new LinkedHashMap<String, String>();
                    record.put("subscription", TestSubscriber.json(endpoint, keys.p256dh(), keys.authSecret(), "null"));
                    record.put("endpoint", hash);
                    pipeline.hset(prefix + "subscription:" + id, record);
                    pipeline.hset(prefix + "subscriptions:by-endpoint", hash, id);
                    pipeline.sadd(prefix + "subscriptions", id);
                }
                pipeline.sync();
            }
        }
        System.out.printf("filled %,d subscriptions in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
    }

    static void deletePrefix(String prefix) {
        var redis = TestRedis.client();
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            var page = redis.scan(cursor, new ScanParams().match(TestRedis.glob(prefix) + "*").count(5000));
            if (!page.getResult().isEmpty()) {
                deleted += redis.unlink(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        System.out.printf("deleted %,d keys under %s%n", deleted, prefix);
    }
}
