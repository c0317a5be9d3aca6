package dev.herald.benchmarks;

import dev.herald.vapid.control.VapidFixture;
import dev.herald.vapid.control.VapidHeaders;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The VAPID Authorization header: cached per audience (what PushClient uses) versus signed every time. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VapidBenchmark {

    VapidHeaders headers;
    URI endpoint;

    @Setup
    public void setUp() {
        headers = VapidFixture.headers(VapidFixture.keys());
        endpoint = URI.create("https://fcm.googleapis.com/fcm/send/dGVzdC1zdWJzY3JpcHRpb24");
    }

    @Benchmark
    public String cached() {
        return headers.authorization(endpoint);
    }

    @Benchmark
    public String uncached() {
        return headers.create(VapidHeaders.audience(endpoint), Instant.now());
    }
}
