package io.zkrollup.benchmarks;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EdDSA (Baby Jubjub, Poseidon2 challenge) signing and verification, single-threaded: the Java
 * implementation in circuits and gnark-crypto through the JNI bridge side by side. The verify
 * benchmarks cycle through 64 different keys, messages and signatures.
 *
 * <ul>
 *   <li>{@code javaVerify}: an already decoded signature and key;
 *   <li>{@code javaDecodeAndVerify}: the ingestion path, signature bytes in (decoding R costs a
 *       square root, an inversion and the subgroup check), key already decoded;
 *   <li>{@code nativeVerify}: bytes across JNI, gnark-crypto decodes and verifies.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EdDsaBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EdDsaBenchmark {

  private static final int N = 64;

  private LibZkProver prover;
  private final byte[][] seeds = new byte[N][];
  private final EdDsaPrivateKey[] keys = new EdDsaPrivateKey[N];
  private final EdDsaPublicKey[] publicKeys = new EdDsaPublicKey[N];
  private final byte[][] publicKeyBytes = new byte[N][];
  private final Fr[] messages = new Fr[N];
  private final byte[][] messageBytes = new byte[N][];
  private final EdDsaSignature[] signatures = new EdDsaSignature[N];
  private final byte[][] signatureBytes = new byte[N][];
  private int next;

  @Setup
  public void setUp() {
    prover = LibZkProver.load();
    Random random = new Random(1);
    for (int i = 0; i < N; i++) {
      seeds[i] = new byte[32];
      random.nextBytes(seeds[i]);
      keys[i] = EdDsaPrivateKey.fromSeed(seeds[i]);
      publicKeys[i] = keys[i].publicKey();
      publicKeyBytes[i] = publicKeys[i].toBytes();
      messages[i] = Fr.reduce(new BigInteger(256, random));
      messageBytes[i] = messages[i].toBytes();
      signatures[i] = keys[i].sign(messages[i]);
      signatureBytes[i] = signatures[i].toBytes();
      if (!prover.eddsaVerify(publicKeyBytes[i], signatureBytes[i], messageBytes[i])) {
        throw new IllegalStateException("native verify refuses a Java signature");
      }
    }
  }

  private int next() {
    next = (next + 1) & (N - 1);
    return next;
  }

  @Benchmark
  public EdDsaSignature javaSign() {
    int i = next();
    return keys[i].sign(messages[i]);
  }

  @Benchmark
  public boolean javaVerify() {
    int i = next();
    return publicKeys[i].verify(signatures[i], messages[i]);
  }

  @Benchmark
  public boolean javaDecodeAndVerify() {
    int i = next();
    return publicKeys[i].verify(EdDsaSignature.fromBytes(signatureBytes[i]), messages[i]);
  }

  @Benchmark
  public EdDsaPublicKey javaDecodePublicKey() {
    return EdDsaPublicKey.fromBytes(publicKeyBytes[next()]);
  }

  @Benchmark
  public byte[] nativeSign() {
    int i = next();
    return prover.eddsaSign(seeds[i], messageBytes[i]);
  }

  @Benchmark
  public boolean nativeVerify() {
    int i = next();
    return prover.eddsaVerify(publicKeyBytes[i], signatureBytes[i], messageBytes[i]);
  }
}
