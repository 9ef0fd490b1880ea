package io.zkrollup.benchmarks;

import io.zkrollup.prover.nativebridge.LibZkProver;
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
 * Cost of one call across the JNI bridge: the cheapest native call ({@code liveHandles}) and a
 * Poseidon2 compression, whose Go cost alone is measured by {@code go test -bench Compress ./hashing}
 * in native/.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JniRoundTripBenchmark {

  private LibZkProver prover;
  private byte[] left;
  private byte[] right;

  @Setup
  public void setUp() {
    prover = LibZkProver.load();
    left = new byte[32];
    right = new byte[32];
    left[31] = 1;
    right[31] = 2;
  }

  @Benchmark
  public long emptyCall() {
    return prover.liveHandles();
  }

  @Benchmark
  public byte[] poseidon2Compress() {
    return prover.poseidon2Compress(left, right);
  }
}
