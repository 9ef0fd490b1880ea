package io.zkrollup.benchmarks;

import io.zkrollup.aggregator.journal.JournalCodec;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
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
 * The per-transaction work of the ingestion pipeline's stages, one core, without the ring and
 * gRPC around them (IngestionBenchmark measures those end to end against a node process):
 *
 * <ul>
 *   <li>{@code signedMessage}: the Poseidon2 hash of the op that the signature signs;
 *   <li>{@code signatureStage}: that hash, the EdDSA verification and the key hash (a cache hit,
 *       as for a returning sender) — what a signature handler does per op;
 *   <li>{@code journalEncode} / {@code journalDecode}: the journal record written (and read at
 *       replay) per accepted op.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar IngestionStagesBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IngestionStagesBenchmark {

  private static final int N = 64;
  private static final long ROLLUP_ID = 1;

  private final Poseidon2 poseidon2 = new Poseidon2();
  private final SignedOp[] ops = new SignedOp[N];
  private final Fr[] keyHashes = new Fr[N];
  private final JournalEntry[] entries = new JournalEntry[N];
  private final byte[][] records = new byte[N][];
  /** What a signature handler runs; its key-hash cache is warm after the first N calls, as for returning senders. */
  private final SignatureVerifier verifier = new SignatureVerifier(poseidon2, ROLLUP_ID);
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(7);
    for (int i = 0; i < N; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
      ops[i] = new Transfer(i + 1, i + 2, 1_000 + i, 10, i).sign(key, poseidon2, ROLLUP_ID);
      keyHashes[i] = AccountLeaf.keyHash(poseidon2, key.publicKey().point().x(), key.publicKey().point().y());
      entries[i] = new JournalEntry.Tx(VerifiedOp.fromRecord(ops[i], ops[i].op().message(poseidon2, ROLLUP_ID), keyHashes[i]));
      records[i] = JournalCodec.encode(entries[i]);
    }
  }

  private int next() {
    next = (next + 1) & (N - 1);
    return next;
  }

  @Benchmark
  public Fr signedMessage() {
    return ops[next()].op().message(poseidon2, ROLLUP_ID);
  }

  @Benchmark
  public VerifiedOp signatureStage() {
    VerifiedOp verified = verifier.verify(ops[next()]);
    if (verified == null) {
      throw new IllegalStateException("a valid signature does not verify");
    }
    return verified;
  }

  @Benchmark
  public byte[] journalEncode() {
    return JournalCodec.encode(entries[next()]);
  }

  @Benchmark
  public JournalEntry journalDecode() {
    return JournalCodec.decode(records[next()]);
  }
}
