package dev.herald.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Why PayloadEncryption does its ECDH on BouncyCastle: P-256 ECDH, JDK default provider versus BouncyCastle. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EcdhBenchmark {

    Provider bouncyCastle;
    KeyPair jdkSender;
    KeyPair bcSender;
    KeyPair receiver;

    @Setup
    public void setUp() throws Exception {
        bouncyCastle = new BouncyCastleProvider();
        jdkSender = pair(KeyPairGenerator.getInstance("EC"));
        bcSender = pair(KeyPairGenerator.getInstance("EC", bouncyCastle));
        receiver = pair(KeyPairGenerator.getInstance("EC"));
    }

    static KeyPair pair(KeyPairGenerator generator) throws Exception {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Benchmark
    public byte[] jdkDefault() throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(jdkSender.getPrivate());
        agreement.doPhase(receiver.getPublic(), true);
        return agreement.generateSecret();
    }

    @Benchmark
    public byte[] bouncyCastle() throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH", bouncyCastle);
        agreement.init(bcSender.getPrivate());
        agreement.doPhase(receiver.getPublic(), true);
        return agreement.generateSecret();
    }
}
