package io.zkrollup.benchmarks;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
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
 * BN254 scalar-field operations on limb arrays (the allocation-free hot-path form). Each
 * operation feeds its result back as an operand, so the JIT can neither hoist nor fold it and the
 * figure is latency, not throughput of independent operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class FieldBenchmark {

  private long[] limbs;

  @Setup
  public void setUp() {
    limbs = new long[2 * FrMath.LIMBS];
    Fr.fromHex(BenchInputs.LEFT).writeMontgomery(limbs, 0);
    Fr.fromHex(BenchInputs.RIGHT).writeMontgomery(limbs, FrMath.LIMBS);
  }

  @Benchmark
  public long mul() {
    FrMath.mul(limbs, 0, limbs, 0, limbs, FrMath.LIMBS);
    return limbs[0];
  }

  @Benchmark
  public long square() {
    FrMath.square(limbs, 0, limbs, 0);
    return limbs[0];
  }

  @Benchmark
  public long add() {
    FrMath.add(limbs, 0, limbs, 0, limbs, FrMath.LIMBS);
    return limbs[0];
  }

  /** Multiplication through the immutable value API (allocates). */
  @Benchmark
  public Fr mulValues() {
    Fr a = Fr.fromMontgomery(limbs, 0);
    Fr b = Fr.fromMontgomery(limbs, FrMath.LIMBS);
    return a.multiply(b);
  }
}
