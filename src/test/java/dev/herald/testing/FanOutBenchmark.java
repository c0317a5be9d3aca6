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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import redis.clients.jedis.params.ScanParams;

/**
 * The fan-out benchmark (docs/benchmarks.md), a command rather than a test:
 * K Payara Micro servers with the built WAR in child JVMs (bench.instances, default 1, all on the
 * same Redis and prefix, named bench-1..K), a fast push-service stub in this JVM, N generated
 * subscriptions written straight to Redis (one key pair for all), then `runs` notifications to
 * everyone, each sent to bench-1 and timed from the job's own created/finished stamps (Redis TIME
 * milliseconds). Reports pushes/s; per instance its share of the pushes (the job's by:<name>
 * counts), its CPU per push it delivered (utime+stime of its process, and split by thread) and its
 * heap from its GC log (highest occupancy before a GC = peak; highest after a GC = live set); the
 * Redis commands per push (INFO commandstats, an upper bound on a shared Redis) and, after the fill,
 * the Redis memory per subscription (INFO memory delta, and MEMORY USAGE of the real keys).
 * Properties: bench.n, bench.latency (ms), bench.runs, bench.warmup (uncounted runs first, default 0),
 * bench.instances (default 1), bench.xmx, bench.opts (extra server JVM options, for every instance),
 * bench.pin (true: once started, instance i and every thread it makes run on CPU i-1 only, as K instances
 * on K machines would; without it the kernel moves the threads of all JVMs across all CPUs),
 * bench.node (true: node web-push 3.6.7 sends to the same subscriptions and stub after each Herald run, NodePeer),
 * bench.h2 (true: the push service speaks HTTP/2 over TLS, with bench.maxStreams streams per connection,
 * default 100; each run also reports the TCP connections it accepted: Http2BenchTarget).
 */
public final class FanOutBenchmark {

    static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    static final long TICKS_PER_SECOND = 100;

    /** One server of the benchmark. */
    record Instance(String name, MicroProcess micro, Path gcLog) {
        long pid() {
            return micro.pid();
        }
    }

    /** What one instance did in one run: the subscriptions it settled (by:name) and what that cost it. */
    record Share(String name, long pushes, double cpuSeconds, long peakHeapMb, long liveHeapMb, long liveAfterFullGcMb, String threads) {
        double cpuMicrosPerPush() {
            return pushes == 0 ? Double.NaN : cpuSeconds * 1e6 / pushes;
        }
    }

    record Run(double seconds, long sent, List<Share> shares, long redisCommands, Map<String, Long> commandsByName) {
        double rate() {
            return sent / seconds;
        }

        long settled() {
            return shares.stream().mapToLong(Share::pushes).sum();
        }

        double cpuSeconds() {
            return shares.stream().mapToDouble(Share::cpuSeconds).sum();
        }

        double commandsPerPush() {
            return redisCommands / (double) sent;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 10_000);
        long latencyMs = Long.getLong("bench.latency", 0);
        int runs = Integer.getInteger("bench.runs", 3);
        int warmup = Integer.getInteger("bench.warmup", 0);
        int instances = Integer.getInteger("bench.instances", 1);
        if (instances < 1 || runs < 1) {
            throw new IllegalArgumentException("bench.instances and bench.runs must be at least 1");
        }
        String xmx = System.getProperty("bench.xmx", "256m");
        String opts = System.getProperty("bench.opts", "").trim();
        var h2 = Http2BenchTarget.fromProperties(latencyMs);
        if (h2 != null) {
            opts = (opts + " " + h2.serverOptions()).trim();
        }
        String prefix = "herald-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        // bench.channel: 3N subscriptions, N of them in the channel "bench", and each run notifies that channel
        boolean channel = Boolean.getBoolean("bench.channel");
        if (h2 != null && Boolean.getBoolean("bench.node")) {
            throw new IllegalArgumentException("bench.node sends over plain HTTP/1.1 to the plain stub: run it without bench.h2");
        }
        if (channel && Boolean.getBoolean("bench.node")) {
            throw new IllegalArgumentException("bench.node sends to every subscription, bench.channel to a third: use one of them");
        }
        System.out.printf("bench: N=%d, stub latency %d ms, %d runs, %d server instance%s -Xmx%s %s, prefix %s%n", n, latencyMs, runs,
                instances, instances == 1 ? "" : "s", xmx, opts, prefix);

        // the JDK HttpServer closes idle connections beyond 200 (read once, when it first starts);
        // each server keeps up to max-in-flight (256) open, and reconnecting would be measured too
        System.setProperty("sun.net.httpserver.maxIdleConnections", String.valueOf(1024 * instances));
        try (h2; var stub = PushServiceStub.startFast(Duration.ofMillis(latencyMs))) {
            var servers = new ArrayList<Instance>();
            NodePeer node = null;
            try {
                long memoryBefore = usedMemory();
                int stored = channel ? 3 * n : n;
                fill(prefix, stored, h2 != null ? h2::endpoint : stub::endpoint, channel);
                printMemory(prefix, stored, usedMemory() - memoryBefore);
                warmStub(stub);
                servers.addAll(startAll(prefix, instances, xmx, opts));
                node = Boolean.getBoolean("bench.node") ? NodePeer.start(prefix, stub) : null;
                Run first = null;
                for (int i = 1; i <= warmup; i++) {
                    var run = run(servers, prefix, n);
                    first = first == null ? run : first;
                    System.out.printf("warm-up %d (not counted): %,.0f pushes/s%s%n", i, run.rate(), instances == 1 ? ""
                            : run.shares().stream().map(s -> String.format("%s %.0f%%", s.name(), share(s, run)))
                                    .collect(Collectors.joining(", ", " (", ")")));
                    if (h2 != null) {
                        System.out.println(h2.sinceLastRun());
                    }
                    if (node != null) {
                        node.round(run, false);
                    }
                }
                var results = new ArrayList<Run>();
                for (int i = 1; i <= runs; i++) {
                    var run = run(servers, prefix, n);
                    results.add(run);
                    printRun(i, run);
                    if (h2 != null) {
                        System.out.println(h2.sinceLastRun());
                    }
                    if (node != null) {
                        node.round(run, true);
                    }
                }
                printMedian(results, servers, n, latencyMs);
                if (first != null) {
                    printFirstBroadcast(first, results, "the " + runs + " counted runs after " + warmup + " uncounted");
                } else if (results.size() >= 2) {
                    printFirstBroadcast(results.get(0), results.subList(1, results.size()), "runs 2.." + runs);
                }
                if (node != null) {
                    node.printMedians();
                }
            } finally {
                if (node != null) {
                    node.close();
                }
                servers.forEach(server -> server.micro().close());
                deletePrefix(prefix);
            }
        }
        System.exit(0);
    }

    /** Starts the K servers at once (they boot in parallel) and returns when every one serves the app. */
    static List<Instance> startAll(String prefix, int count, String xmx, String opts) throws IOException, InterruptedException {
        var started = new ArrayList<Instance>();
        var ports = new HashSet<Integer>();
        try {
            for (int i = 1; i <= count; i++) {
                String name = "bench-" + i;
                int port;
                do {
                    port = MicroProcess.freePort();
                } while (!ports.add(port));
                var properties = new LinkedHashMap<String, String>();
                properties.put("herald.redis.url", TestRedis.URL);
                properties.put("herald.redis.prefix", prefix);
                properties.put("herald.push.allow-insecure", "true");
                properties.put("herald.push.allowed-hosts", "127.0.0.1");
                properties.put("herald.api.tokens", Api.TOKEN);
                properties.put("herald.instance.name", name);
                properties.put("herald.channels", "bench=Bench,other=Other");
                Path gcLog = Files.createTempFile("herald-bench-gc-" + name + "-", ".log");
                var jvmOptions = new ArrayList<String>();
                if (!opts.isEmpty()) {
                    jvmOptions.addAll(Arrays.asList(opts.split("\\s+")));
                }
                jvmOptions.add("-Xlog:gc:file=" + gcLog + ":uptime");
                jvmOptions.add("-Xmx" + xmx);
                Path log = Files.createTempFile("herald-bench-micro-" + name + "-", ".log");
                Process process = new ProcessBuilder(MicroProcess.command(properties, port, List.of(), jvmOptions))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Instance(name, new MicroProcess(process, port, log), gcLog));
            }
            for (var server : started) {
                server.micro().awaitReady(Duration.ofMinutes(4));
                awaitWarmUp(server);
            }
            System.out.println("servers: " + started.stream().map(s -> s.name() + " pid " + s.pid() + " port " + s.micro().port
                    + " log " + s.micro().log).collect(Collectors.joining("; ")));
            if (Boolean.getBoolean("bench.pin")) {
                pin(started);
            }
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            started.forEach(server -> server.micro().close());
            throw e;
        }
    }

    /**
     * A real push service is warm when a fresh Herald starts: so is the stub, before the first broadcast (20,000 requests
     * from this JVM to an endpoint no subscription has), so that run 1 measures a fresh server, not a cold stub.
     */
    static void warmStub(PushServiceStub stub) throws InterruptedException {
        var client = HttpClient.newHttpClient();
        var endpoint = java.net.URI.create(stub.endpoint("bench-stub-warm-up"));
        var body = new byte[300];
        var pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            pool.execute(() -> {
                try {
                    client.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
        System.out.printf("stub warmed: 20,000 requests in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** As a load balancer would: no broadcast before readiness is UP, that is before the deployment's warm-up is over. */
    static void awaitWarmUp(Instance server) throws IOException, InterruptedException {
        var client = HttpClient.newHttpClient();
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(2).toNanos();
        while (true) {
            var response = client.send(HttpRequest.newBuilder(server.micro().uri("/api/health")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 || System.nanoTime() > deadline) {
                var matcher = Pattern.compile("\"name\":\"warm-up\".*?\"phase\":\"(\\w+)\",\"pushes\":(\\d+),\"took_ms\":(\\d+)")
                        .matcher(response.body());
                System.out.printf("%s: readiness %d after %.1f s more; warm-up %s%n", server.name(), response.statusCode(),
                        (System.nanoTime() - start) / 1e9, matcher.find()
                                ? String.format("%s, %s pushes in %s ms", matcher.group(1), matcher.group(2), matcher.group(3)) : response.body());
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Issue 15's first-broadcast target: the first broadcast on fresh servers against the median of the warm ones. */
    static void printFirstBroadcast(Run first, List<Run> warm, String which) {
        var rates = warm.stream().mapToDouble(Run::rate).sorted().toArray();
        double median = rates.length % 2 == 1 ? rates[rates.length / 2] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        System.out.printf("FIRST BROADCAST after start: %,.0f pushes/s, %.0f µs server CPU per push = %.0f%% of the median of %s (%,.0f pushes/s)%n",
                first.rate(), first.cpuSeconds() * 1e6 / first.settled(), 100 * first.rate() / median, which, median);
    }

    /** taskset -a: every thread of instance i (and those it starts later inherit it) on CPU i-1, modulo the CPUs. */
    static void pin(List<Instance> servers) throws IOException, InterruptedException {
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < servers.size(); i++) {
            int cpu = i % cpus;
            var taskset = new ProcessBuilder("taskset", "-acp", String.valueOf(cpu), String.valueOf(servers.get(i).pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin " + servers.get(i).name() + " (bench.pin needs Linux and taskset)");
            }
            System.out.println("pinned " + servers.get(i).name() + " to CPU " + cpu);
        }
    }

    static Run run(List<Instance> servers, String prefix, int n) throws Exception {
        var http = HttpClient.newHttpClient();
        var redis = TestRedis.client();
        var gcOffsets = new long[servers.size()];
        var threadsBefore = new ArrayList<Map<String, long[]>>();
        var cpuBefore = new double[servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            gcOffsets[i] = Files.size(servers.get(i).gcLog());
            threadsBefore.add(threadTicks(servers.get(i).pid()));
            cpuBefore[i] = cpuSeconds(servers.get(i).pid());
        }
        var commandsBefore = commandStats();
        var reply = http.send(Api.authorize(HttpRequest.newBuilder(servers.get(0).micro().uri("/api/notify")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Benchmark\",\"body\":\"" + "b".repeat(200)
                        + "\",\"url\":\"/bench\"" + (Boolean.getBoolean("bench.channel") ? ",\"channels\":[\"bench\"]" : "") + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 202) {
            throw new IllegalStateException("notify answered " + reply.statusCode() + ": " + reply.body());
        }
        String id = reply.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        String key = prefix + "notification:" + id;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!"done".equals(redis.hget(key, "state"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " not done after 15 minutes: " + redis.hgetAll(key));
            }
            Thread.sleep(20);
        }
        var cpu = new double[servers.size()];
        var threadsAfter = new ArrayList<Map<String, long[]>>();
        for (int i = 0; i < servers.size(); i++) {
            cpu[i] = cpuSeconds(servers.get(i).pid()) - cpuBefore[i];
            threadsAfter.add(threadTicks(servers.get(i).pid()));
        }
        var commands = new TreeMap<String, Long>();
        commandStats().forEach((name, calls) -> {
            long delta = calls - commandsBefore.getOrDefault(name, 0L);
            if (delta > 0) {
                commands.put(name, delta);
            }
        });
        var job = redis.hgetAll(key);
        long sent = Long.parseLong(job.get("sent"));
        if (sent != n) {
            System.out.println("WARNING: sent " + sent + " of " + n + ": " + job + " " + redis.hgetAll(key + ":failures"));
        }
        double seconds = (Long.parseLong(job.get("finished")) - Long.parseLong(job.get("created"))) / 1000.0;
        var shares = new ArrayList<Share>();
        for (int i = 0; i < servers.size(); i++) {
            var server = servers.get(i);
            long pushes = Long.parseLong(job.getOrDefault("by:" + server.name(), "0"));
            long peak = 0;
            long live = 0;
            byte[] all = Files.readAllBytes(server.gcLog());
            var matcher = GC.matcher(new String(all, (int) gcOffsets[i], all.length - (int) gcOffsets[i], StandardCharsets.UTF_8));
            while (matcher.find()) {
                peak = Math.max(peak, Long.parseLong(matcher.group(1)));
                live = Math.max(live, Long.parseLong(matcher.group(2)));
            }
            shares.add(new Share(server.name(), pushes, cpu[i], peak, live, liveAfterFullGc(server.pid(), server.gcLog()),
                    threads(server.name(), threadsBefore.get(i), threadsAfter.get(i), pushes)));
        }
        var unknown = job.keySet().stream().filter(field -> field.startsWith("by:"))
                .filter(field -> servers.stream().noneMatch(server -> field.equals("by:" + server.name()))).toList();
        if (!unknown.isEmpty()) {
            System.out.println("WARNING: settled by consumers that are not this benchmark's: " + unknown + " in " + job);
        }
        return new Run(seconds, sent, shares, commands.values().stream().mapToLong(Long::longValue).sum(), commands);
    }

    static double share(Share share, Run run) {
        return run.settled() == 0 ? 0 : share.pushes() * 100.0 / run.settled();
    }

    static String micros(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.0f", value);
    }

    static void printRun(int number, Run run) {
        System.out.printf("run %d: %,d pushes in %.2f s = %,.0f pushes/s; server CPU %.3f s per 1,000 pushes (%.0f µs/push, all instances); "
                        + "Redis %.1f commands per push (upper bound: the Redis is shared)%n", number, run.sent(), run.seconds(), run.rate(),
                run.cpuSeconds() * 1000 / run.sent(), run.cpuSeconds() * 1e6 / run.sent(), run.commandsPerPush());
        for (var share : run.shares()) {
            System.out.printf("  %s: %,d pushes (%.1f%%), server CPU %.2f s = %s µs per push it delivered; "
                            + "heap peak %d MB, after young GCs at most %d MB, live after a full GC %d MB%n", share.name(), share.pushes(),
                    share(share, run), share.cpuSeconds(), micros(share.cpuMicrosPerPush()), share.peakHeapMb(), share.liveHeapMb(),
                    share.liveAfterFullGcMb());
            System.out.println(share.threads());
        }
        var line = new StringBuilder("  Redis commands per push by command:");
        run.commandsByName().entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> line.append(String.format(" %s %.3f;", e.getKey(), e.getValue() / (double) run.sent())));
        System.out.println(line);
    }

    static void printMedian(List<Run> results, List<Instance> servers, int n, long latencyMs) throws IOException {
        var byRate = results.stream().sorted((a, b) -> Double.compare(a.rate(), b.rate())).toList();
        var median = byRate.get(byRate.size() / 2);
        var perInstance = new StringBuilder();
        for (int i = 0; i < servers.size(); i++) {
            int index = i;
            var share = median.shares().get(i);
            perInstance.append(String.format("%s%s %s µs/push (%.0f%% of pushes), heap peak %d / live %d MB (max over runs %d / %d MB), VmHWM %s",
                    i == 0 ? "" : "; ", share.name(), micros(share.cpuMicrosPerPush()), share(share, median), share.peakHeapMb(),
                    share.liveAfterFullGcMb(),
                    results.stream().mapToLong(run -> run.shares().get(index).peakHeapMb()).max().orElse(0),
                    results.stream().mapToLong(run -> run.shares().get(index).liveAfterFullGcMb()).max().orElse(0),
                    vmHwm(servers.get(i).pid())));
        }
        System.out.printf("MEDIAN of %d (N=%d, latency %d ms, %d instance%s): %,.0f pushes/s, %.2f s elapsed, %.0f µs server CPU per push "
                        + "(all instances), Redis %.1f commands per push (upper bound); %s%n",
                results.size(), n, latencyMs, servers.size(), servers.size() == 1 ? "" : "s", median.rate(), median.seconds(),
                median.cpuSeconds() * 1e6 / median.sent(), median.commandsPerPush(), perInstance);
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

    /** Where a server's CPU went during a run, printed under its line, by thread name (the kernel keeps 15 characters of it), per push it delivered. */
    static String threads(String server, Map<String, long[]> before, Map<String, long[]> after, long pushes) {
        var byName = new TreeMap<String, long[]>();
        after.forEach((key, now) -> {
            long[] then = before.getOrDefault(key, new long[2]);
            long[] sum = byName.computeIfAbsent(key.substring(key.indexOf(' ') + 1), name -> new long[2]);
            sum[0] += now[0] - then[0];
            sum[1] += now[1] - then[1];
        });
        if (pushes == 0) {
            var line = new StringBuilder("    " + server + " delivered nothing; its CPU by thread (ms, user+system):");
            byName.entrySet().stream().filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                    .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1])).limit(8)
                    .forEach(e -> line.append(String.format(" %s %d+%d;", e.getKey(), e.getValue()[0] * 1000 / TICKS_PER_SECOND,
                            e.getValue()[1] * 1000 / TICKS_PER_SECOND)));
            return line.toString();
        }
        var line = new StringBuilder("    " + server + " CPU by thread (µs per push it delivered, user+system):");
        byName.entrySet().stream().filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1])).limit(8)
                .forEach(e -> line.append(String.format(" %s %.0f+%.0f;", e.getKey(), e.getValue()[0] * 1e6 / TICKS_PER_SECOND / pushes,
                        e.getValue()[1] * 1e6 / TICKS_PER_SECOND / pushes)));
        return line.toString();
    }

    static String vmHwm(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(line -> line.startsWith("VmHWM"))
                .map(line -> line.replaceAll("\\s+", " ").replace("VmHWM: ", "")).findFirst().orElse("?");
    }

    /** One section of INFO as field -> value. */
    static Map<String, String> info(String section) {
        var fields = new HashMap<String, String>();
        for (String line : TestRedis.client().info(section).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    static long usedMemory() {
        return Long.parseLong(info("memory").get("used_memory"));
    }

    /** Calls per command so far (INFO commandstats: cmdstat_<name>:calls=..., commands run inside scripts included). */
    static Map<String, Long> commandStats() {
        var calls = new HashMap<String, Long>();
        info("commandstats").forEach((field, value) -> {
            if (field.startsWith("cmdstat_")) {
                var matcher = Pattern.compile("(?:^|,)calls=(\\d+)").matcher(value);
                if (matcher.find()) {
                    calls.put(field.substring("cmdstat_".length()), Long.parseLong(matcher.group(1)));
                }
            }
        });
        return calls;
    }

    /** Redis memory per subscription: the INFO delta of the fill, and MEMORY USAGE of records (a sample) and indexes. */
    static void printMemory(String prefix, int n, long infoDelta) {
        var redis = TestRedis.client();
        var sample = redis.zrange(prefix + "subscriptions", 0, 99);
        double record = sample.stream().mapToLong(id -> redis.memoryUsage(prefix + "subscription:" + id)).average().orElse(0);
        // SAMPLES 0: every element, not an estimate from five
        long byEndpoint = redis.memoryUsage(prefix + "subscriptions:by-endpoint", 0);
        long ids = redis.memoryUsage(prefix + "subscriptions", 0);
        System.out.printf("Redis memory per subscription: ~%,.0f bytes (INFO used_memory delta over the fill; the Redis is shared), "
                        + "record %,.0f + indexes %,.0f bytes (MEMORY USAGE: record averaged over %d, by-endpoint %,d + id sorted set %,d bytes / N)%n",
                infoDelta / (double) n, record, (byEndpoint + ids) / (double) n, sample.size(), byEndpoint, ids);
    }

    /**
     * N subscriptions through the real store (SubscriptionStore, its Lua), all to the stub and sharing one key pair; with
     * channel, every third in the channel "bench" and the rest in "other".
     */
    static void fill(String prefix, int n, java.util.function.Function<String, String> endpoint, boolean channel) throws Exception {
        long start = System.nanoTime();
        var keys = TestSubscriber.create("");
        var redis = dev.herald.platform.control.Redises.connect(prefix);
        try {
            var store = dev.herald.subscriptions.control.Stores.on(redis);
            var subscriptionKeys = new dev.herald.subscriptions.entity.Subscription.Keys(keys.p256dh(), keys.authSecret());
            for (int i = 0; i < n; i++) {
                var subscription = new dev.herald.subscriptions.entity.Subscription(endpoint.apply("bench-" + i), null, subscriptionKeys);
                store.upsert(new dev.herald.subscriptions.entity.Subscribing(subscription,
                        channel ? List.of(i % 3 == 0 ? "bench" : "other") : null, null, false, null));
            }
        } finally {
            dev.herald.platform.control.Redises.close(redis);
        }
        System.out.printf("filled %,d subscriptions in %.1f s%s%n", n, (System.nanoTime() - start) / 1e9,
                channel ? ", a third of them in the channel that is notified" : "");
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
