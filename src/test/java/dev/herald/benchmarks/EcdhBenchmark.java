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

/**
 * P-256 per message: ECDH with the JDK default provider, BouncyCastle and Conscrypt (what Herald uses where it
 * loads, see EphemeralKeys), and Conscrypt's key pair, the part a pool of keys made ahead of need could save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EcdhBenchmark {

    Provider bouncyCastle;
    Provider conscrypt;
    KeyPairGenerator conscryptGenerator;
    KeyPair conscryptSender;
    KeyPair jdkSender;
    KeyPair bcSender;
    KeyPair receiver;

    @Setup
    public void setUp() throws Exception {
        bouncyCastle = new BouncyCastleProvider();
        jdkSender = pair(KeyPairGenerator.getInstance("EC"));
        bcSender = pair(KeyPairGenerator.getInstance("EC", bouncyCastle));
        receiver = pair(KeyPairGenerator.getInstance("EC"));
        conscrypt = org.conscrypt.Conscrypt.newProvider();
        conscryptGenerator = KeyPairGenerator.getInstance("EC", conscrypt);
        conscryptSender = pair(conscryptGenerator);
    }

    static KeyPair pair(KeyPairGenerator generator) throws Exception {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Benchmark
    public byte[] jdkDefault() throws Exception {
        return agree(KeyAgreement.getInstance("ECDH"), jdkSender);
    }

    @Benchmark
    public byte[] bouncyCastle() throws Exception {
        return agree(KeyAgreement.getInstance("ECDH", bouncyCastle), bcSender);
    }

    /** The receiver's key comes from another provider, as a browser's does, so Conscrypt converts it first. */
    @Benchmark
    public byte[] conscrypt() throws Exception {
        return agree(KeyAgreement.getInstance("ECDH", conscrypt), conscryptSender);
    }

    /** One ECDH of sender's private key with the receiver's public key (the key pair is made once, in setUp). */
    byte[] agree(KeyAgreement agreement, KeyPair sender) throws Exception {
        agreement.init(sender.getPrivate());
        agreement.doPhase(receiver.getPublic(), true);
        return agreement.generateSecret();
    }

    @Benchmark
    public KeyPair conscryptKeyPair() {
        return conscryptGenerator.generateKeyPair();
    }
}
