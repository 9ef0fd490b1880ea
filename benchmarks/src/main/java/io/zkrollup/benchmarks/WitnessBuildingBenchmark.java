package io.zkrollup.benchmarks;

import io.zkrollup.benchmarks.fixture.TransferBatchFixture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a batch witness in Java: applying B signed transfers to a depth-32 state tree (in-memory
 * store), collecting every Merkle path, the public data and its SHA-256, and serialising the ZKBW
 * bytes the native prover takes. Signing is done once in setup (wallets sign, not the node); the
 * tree's pending changes are discarded after each batch so every invocation starts from the same
 * state.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WitnessBuildingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WitnessBuildingBenchmark {

  private static final int DEPTH = 32;

  @Param({"16", "128"})
  int slots;

  private TransferBatchFixture fixture;

  @Setup
  public void setUp() {
    fixture = new TransferBatchFixture(slots, DEPTH);
  }

  @Benchmark
  public byte[] buildBatchWitness() {
    return fixture.build().witness().toBytes();
  }
}
