package io.zkrollup.benchmarks;

import io.zkrollup.benchmarks.fixture.TransferBatchFixture;
import io.zkrollup.circuits.batch.BatchBuilder;
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
 * <p>{@code signatures}: {@code VERIFY_ALL} checks every signature and key hash while building (as
 * the node's sealer did until it trusted the pipeline, and as {@code zkrollup audit} does);
 * {@code TRUST_VERIFIED} builds from ops verified once in setup, as the node's sealer does now.
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

  @Param({"VERIFY_ALL", "TRUST_VERIFIED"})
  BatchBuilder.Signatures signatures;

  private TransferBatchFixture fixture;

  @Setup
  public void setUp() {
    fixture = new TransferBatchFixture(slots, DEPTH, signatures);
  }

  @Benchmark
  public byte[] buildBatchWitness() {
    return fixture.build().witness().toBytes();
  }
}
