package dev.herald.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * bench.h2=true: the fan-out benchmark's push service is an Http2PushServiceStub (HTTP/2 over TLS,
 * bench.maxStreams concurrent streams per connection, default 100) instead of the plain HTTP/1.1 stub.
 * The servers trust its certificate through a PKCS12 trust store written into target/, and reach
 * https://127.0.0.1:port by the allow-list the benchmark already gives them (127.0.0.1 with
 * herald.push.allow-insecure). After each run it says what the push service saw.
 */
final class Http2BenchTarget implements AutoCloseable {

    final Http2PushServiceStub stub;
    final Path trustStore;
    int connectionsBefore;
    long requestsBefore;
    int resetsBefore;

    private Http2BenchTarget(Http2PushServiceStub stub, Path trustStore) {
        this.stub = stub;
        this.trustStore = trustStore;
    }

    /** The h2 push service when bench.h2 is true, else null. */
    static Http2BenchTarget fromProperties(long latencyMs) throws IOException {
        if (!Boolean.getBoolean("bench.h2")) {
            return null;
        }
        int maxStreams = Integer.getInteger("bench.maxStreams", 100);
        var stub = Http2PushServiceStub.start(maxStreams, Duration.ofMillis(latencyMs));
        Path trustStore = stub.certificate().writeTrustStore(Path.of("target", "h2-bench-truststore.p12").toAbsolutePath());
        System.out.printf("push service: HTTP/2 over TLS at %s, SETTINGS_MAX_CONCURRENT_STREAMS %d, its certificate in %s%n",
                stub.origin(), maxStreams, trustStore);
        return new Http2BenchTarget(stub, trustStore);
    }

    String endpoint(String name) {
        return stub.endpoint(name);
    }

    /** JVM options for every server: trust the stub's certificate (and only it). */
    String serverOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + TestCertificate.PASSWORD
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    /** What the push service saw since the last call: requests, TCP connections accepted, RST_STREAMs, most streams open at once. */
    String sinceLastRun() {
        long requests = stub.requests() - requestsBefore;
        int connections = stub.connections() - connectionsBefore;
        int resets = stub.resets() - resetsBefore;
        requestsBefore += requests;
        connectionsBefore += connections;
        resetsBefore += resets;
        return String.format("  h2 push service: %,d requests, %d TCP connection%s accepted, %d streams reset, at most %d streams open at once (since start)",
                requests, connections, connections == 1 ? "" : "s", resets, stub.maxConcurrentStreams());
    }

    @Override
    public void close() {
        stub.close();
    }
}
