package io.zkrollup.benchmarks;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private static final long ROLLUP_ID = 1;
  private static final long OPERATOR = 0;

  @Param({"16", "128"})
  int slots;

  private final Poseidon2 poseidon2 = new Poseidon2();
  private final Map<Long, AccountLeaf> accounts = new HashMap<>();
  private StateTree tree;
  private BatchBuilder builder;
  private List<SignedOp> ops;

  @Setup
  public void setUp() {
    tree = new StateTree(new InMemoryTreeStore(DEPTH), poseidon2, 0);
    builder = new BatchBuilder(poseidon2);
    ops = new ArrayList<>();
    EdDsaPrivateKey operatorKey = key(0);
    put(OPERATOR, operatorKey);
    // Accounts spread over the index space so paths share few nodes.
    for (int i = 0; i < slots; i++) {
      EdDsaPrivateKey k = key(i + 1);
      long from = 1L + i * 7_919L * 4_096L;
      put(from, k);
      long to = i == 0 ? OPERATOR : 1L + (i - 1) * 7_919L * 4_096L;
      ops.add(new Transfer(from, to, 1_000, 10, 0).sign(k, poseidon2, ROLLUP_ID));
    }
    tree.commit();
  }

  private static EdDsaPrivateKey key(int n) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) n);
    seed[0] = (byte) (n >>> 8);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private void put(long index, EdDsaPrivateKey k) {
    AccountLeaf leaf =
        new AccountLeaf(
            AccountLeaf.keyHash(poseidon2, k.publicKey().point().x(), k.publicKey().point().y()),
            BigInteger.valueOf(1_000_000),
            0);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(poseidon2));
  }

  @Benchmark
  public byte[] buildBatchWitness() {
    Batch batch =
        builder.build(
            tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP_ID, 1, OPERATOR, 5), slots, ops);
    byte[] witness = batch.witness().toBytes();
    tree.discard();
    return witness;
  }
}
