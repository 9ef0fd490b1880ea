package io.zkrollup.benchmarks;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import io.zkrollup.statetree.hash.Poseidon2;
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
 * Java Poseidon2 (state-tree) on the same fixed inputs as the Go benchmarks in
 * native/hashing/poseidon2_bench_test.go ({@link BenchInputs}). The limb forms are the hot path
 * (zero allocation); {@code compressValues} shows the cost of the immutable value API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class Poseidon2Benchmark {

  private static final int L = FrMath.LIMBS;
  private static final int OUT = 6 * L;

  private final Poseidon2 poseidon2 = new Poseidon2();
  private long[] state;
  private long[] limbs;
  private Fr left;
  private Fr right;

  @Setup
  public void setUp() {
    state = Poseidon2.newState();
    limbs = new long[L * 7];
    left = Fr.fromHex(BenchInputs.LEFT);
    right = Fr.fromHex(BenchInputs.RIGHT);
    left.writeMontgomery(limbs, 0);
    right.writeMontgomery(limbs, L);
    for (int i = 0; i < BenchInputs.HASH_INPUT.length; i++) {
      Fr.fromHex(BenchInputs.HASH_INPUT[i]).writeMontgomery(limbs, (2 + i) * L);
    }
  }

  /** One 2-to-1 compression (a Merkle node), as gnark-crypto's Permutation.Compress. */
  @Benchmark
  public long compress() {
    poseidon2.compress(limbs, OUT, limbs, 0, limbs, L, state);
    return limbs[OUT];
  }

  /** The width-2 permutation alone, in place. */
  @Benchmark
  public long permute() {
    poseidon2.permute(state);
    return state[0];
  }

  /** Merkle–Damgård hash of four elements (an account leaf). */
  @Benchmark
  public long hash4() {
    poseidon2.hash(limbs, OUT, limbs, 2 * L, BenchInputs.HASH_INPUT.length, state);
    return limbs[OUT];
  }

  /** Compression through the immutable value API (allocates the result and working arrays). */
  @Benchmark
  public Fr compressValues() {
    return poseidon2.compress(left, right);
  }
}
