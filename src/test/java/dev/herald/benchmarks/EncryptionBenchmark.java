package dev.herald.benchmarks;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.testing.TestSubscriber;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One push message's RFC 8291 encryption: ephemeral P-256 key pair, ECDH, HKDF, AES-128-GCM; nativeKeys true: the key pair
 * and ECDH by Conscrypt (BoringSSL), as herald.encryption.native=true chooses where it loads; false: BouncyCastle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncryptionBenchmark {

    @Param({"true", "false"})
    boolean nativeKeys;

    PayloadEncryption encryption;
    TestSubscriber subscriber;
    byte[] typical;
    byte[] largest;

    @Setup
    public void setUp() {
        encryption = new PayloadEncryption(nativeKeys);
        if (nativeKeys && !encryption.keys().isNative()) {
            throw new IllegalStateException("Conscrypt did not load here: " + encryption.keys().description());
        }
        subscriber = TestSubscriber.create();
        typical = "{\"title\":\"Build finished\",\"body\":\"herald#42 passed in 3m12s\",\"url\":\"https://ci.example/herald/42\"}"
                .getBytes(StandardCharsets.UTF_8);
        largest = new byte[PayloadEncryption.MAX_PLAINTEXT];
    }

    @Benchmark
    public byte[] encryptTypicalMessage() {
        return encryption.encrypt(typical, subscriber.p256dh(), subscriber.authSecret());
    }

    @Benchmark
    public byte[] encryptLargestMessage() {
        return encryption.encrypt(largest, subscriber.p256dh(), subscriber.authSecret());
    }
}
