package io.zkrollup.benchmarks.ingest;

import io.zkrollup.aggregator.grpc.TransactionDecoder;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The node's per-transfer cryptography, timed on one thread in this JVM before the node starts
 * (nothing else of the benchmark runs meanwhile), with the same code the node runs: {@link
 * TransactionDecoder#decode} on the gRPC thread (parses the message and decodes the signature's R
 * with a subgroup check; the public key comes from the node's key cache once an account has been
 * seen), then in the signature stage the message hash and the verification (the key hash is
 * cached per key too). Their sum bounds what one core can admit, whatever gRPC, the journal and
 * batch building add. The steps a new key costs once are timed as well.
 */
public final class CryptoCalibration {

  /** Microseconds per operation, by name, in the order measured; {@link #NODE_PATH} is the sum the node pays. */
  public record Result(Map<String, Double> microsPerOp) {
    /** The node's per-transfer crypto on one core, µs. */
    public double nodePathMicros() {
      return microsPerOp.get(NODE_PATH);
    }
  }

  /** The name of the whole per-transfer path. */
  public static final String NODE_PATH = "node path per transfer, key known: decode + message hash + verify";

  private CryptoCalibration() {}

  /** Times each step for about {@code seconds} (a third of it warm-up) over {@code txs}. */
  public static Result run(List<SignedTransaction> txs, long rollupId, double seconds, boolean includeNative) {
    Poseidon2 p2 = new Poseidon2();
    int n = txs.size();
    TransactionDecoder decoder = new TransactionDecoder(1 << 16);
    List<SignedOp> ops = new ArrayList<>(n);
    byte[][] keyBytes = new byte[n][];
    byte[][] sigBytes = new byte[n][];
    Fr[] messages = new Fr[n];
    byte[][] messageBytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      SignedOp op = decoder.decode(txs.get(i), 0);
      ops.add(op);
      keyBytes[i] = txs.get(i).getPublicKey().toByteArray();
      sigBytes[i] = txs.get(i).getSignature().toByteArray();
      messages[i] = op.op().message(p2, rollupId);
      messageBytes[i] = messages[i].toBytes();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("TransactionDecoder.decode, key cached (fields, R decoded)", time(seconds, n, i -> decoder.decode(txs.get(i), 0) != null));
    out.put("  R alone: EdDsaSignature.fromBytes (sqrt + subgroup check)", time(seconds, n, i -> EdDsaSignature.fromBytes(sigBytes[i]) != null));
    out.put("transfer message hash (Poseidon2)", time(seconds, n, i -> ops.get(i).op().message(p2, rollupId) != null));
    out.put("EdDsaPublicKey.verify (challenge hash + S·B − h·A)", time(seconds, n, i -> ops.get(i).publicKey().verify(ops.get(i).signature(), messages[i])));
    out.put(
        NODE_PATH,
        time(
            seconds,
            n,
            i -> {
              SignedOp op = decoder.decode(txs.get(i), 0);
              return op.publicKey().verify(op.signature(), op.op().message(p2, rollupId));
            }));
    out.put("once per new key: EdDsaPublicKey.fromBytes (sqrt + subgroup check)", time(seconds, n, i -> EdDsaPublicKey.fromBytes(keyBytes[i]) != null));
    out.put(
        "once per new key: key hash (Poseidon2 of A.x, A.y)",
        time(seconds, n, i -> AccountLeaf.keyHash(p2, ops.get(i).publicKey().point().x(), ops.get(i).publicKey().point().y()) != null));
    if (includeNative) {
      try {
        LibZkProver lib = LibZkProver.load();
        out.put(
            "for comparison: gnark-crypto eddsaVerify over JNI (decodes key and R itself)",
            time(seconds, n, i -> lib.eddsaVerify(keyBytes[i], sigBytes[i], messageBytes[i])));
      } catch (RuntimeException | LinkageError e) {
        // no native library on this platform: leave the comparison out
      }
    }
    return new Result(out);
  }

  /** µs per call of {@code op} cycling through 0..n−1; refuses a false result (a broken input). */
  private static double time(double seconds, int n, IntPredicate op) {
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      check(op.test(i));
      i = (i + 1) % n;
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 2 / 3 * 1e9);
    long count = 0;
    long now;
    do {
      for (int k = 0; k < 16; k++) {
        check(op.test(i));
        i = (i + 1) % n;
      }
      count += 16;
      now = System.nanoTime();
    } while (now < end);
    return (now - start) / 1e3 / count;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("a calibration input does not verify");
    }
  }
}
