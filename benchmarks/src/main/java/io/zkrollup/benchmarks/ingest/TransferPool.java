package io.zkrollup.benchmarks.ingest;

import io.zkrollup.sdk.Wallet;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The benchmark's accounts and its pre-signed transfers.
 *
 * <p>Accounts 1..N get deterministic keys; account 0 is the operator. Transfer {@code j} goes from
 * account {@code 1 + j mod N} to the next account, with nonce {@code j / N}: consecutive transfers
 * come from different accounts, so two transfers of one account are N submissions apart and, as
 * long as fewer than N are in flight, reach the node in nonce order however the calls are
 * interleaved. Every balance stays put (each account receives as much as it sends) apart from the
 * fee.
 *
 * <p>Signing costs ~150 µs per transfer, so the transfers are signed in parallel before anything
 * is timed and cached in a file named after the parameters; a rerun reads the file (and signs only
 * what it lacks).
 */
public final class TransferPool {

  /** The parameters the signatures depend on. */
  public record Params(long rollupId, int accounts, long amount, long maxFee) {
    String key() {
      return "v1-rollup" + rollupId + "-accounts" + accounts + "-amount" + amount + "-maxfee" + maxFee;
    }
  }

  private static final String MAGIC = "zkrollup-ingest-bench-transfers";

  private final Params params;
  private final Poseidon2 poseidon2 = new Poseidon2();
  private final List<Wallet> wallets;

  private TransferPool(Params params, List<Wallet> wallets) {
    this.params = params;
    this.wallets = wallets;
  }

  /** Derives the N + 1 wallets (in parallel: each key costs a fixed-base multiplication). */
  public static TransferPool create(Params params, int threads) {
    Wallet[] w = new Wallet[params.accounts() + 1];
    parallel(w.length, threads, i -> w[i] = Wallet.fromSeed(seed(i), i, params.rollupId()));
    return new TransferPool(params, List.of(w));
  }

  /** The seed of account {@code i}'s key: SHA-256 of a fixed label and the index. */
  static byte[] seed(int i) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(("zkrollup-ingest-bench/account/" + i).getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The parameters. */
  public Params params() {
    return params;
  }

  /** The operator's public key, hex (the node's {@code --operator-key}). */
  public String operatorKeyHex() {
    return HexFormat.of().formatHex(wallets.get(0).publicKey().toBytes());
  }

  /** Writes the genesis file: accounts 1..N, each with {@code balance}. */
  public void writeGenesis(Path file, BigInteger balance) throws IOException {
    StringBuilder sb = new StringBuilder(params.accounts() * 90);
    sb.append("# IngestionBenchmark: ").append(params.accounts()).append(" accounts\n");
    for (int i = 1; i <= params.accounts(); i++) {
      sb.append(GenesisFile.line(i, wallets.get(i).publicKey(), balance)).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.US_ASCII);
  }

  /** Transfer {@code j} (see the class comment), signed. */
  public SignedTransaction sign(long j) {
    int n = params.accounts();
    int from = (int) (1 + j % n);
    int to = (int) (1 + (j + 1) % n);
    return wallets.get(from).transfer(to, BigInteger.valueOf(params.amount()), BigInteger.valueOf(params.maxFee()), j / n);
  }

  /**
   * Transfers 0..count−1, read from the cache in {@code cacheDir} where it has them, the rest
   * signed on {@code threads} threads and the cache rewritten.
   */
  public SignedTransaction[] transfers(int count, Path cacheDir, int threads, IntConsumer progress) throws IOException {
    SignedTransaction[] out = new SignedTransaction[count];
    Path file = cacheDir == null ? null : cacheDir.resolve("transfers-" + params.key() + ".bin");
    int have = 0;
    if (file != null && Files.exists(file)) {
      have = read(file, out);
    }
    if (have < count) {
      int from = have;
      AtomicInteger done = new AtomicInteger();
      parallel(
          count - from,
          threads,
          k -> {
            out[from + k] = sign(from + k);
            int d = done.incrementAndGet();
            if (d % 20_000 == 0) {
              progress.accept(from + d);
            }
          });
      if (file != null) {
        write(file, out);
      }
    }
    return out;
  }

  /** Reads up to {@code out.length} transfers; returns how many. */
  private int read(Path file, SignedTransaction[] out) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (!MAGIC.equals(in.readUTF()) || !params.key().equals(in.readUTF())) {
        return 0;
      }
      int stored = in.readInt();
      int n = Math.min(stored, out.length);
      byte[] buf = new byte[1024];
      for (int i = 0; i < n; i++) {
        int len = in.readUnsignedShort();
        if (len > buf.length) {
          buf = new byte[len];
        }
        in.readFully(buf, 0, len);
        out[i] = SignedTransaction.parseFrom(new java.io.ByteArrayInputStream(buf, 0, len));
      }
      return n;
    } catch (java.io.EOFException e) {
      return 0; // a truncated cache: sign again
    }
  }

  private void write(Path file, SignedTransaction[] txs) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
      out.writeUTF(MAGIC);
      out.writeUTF(params.key());
      out.writeInt(txs.length);
      for (SignedTransaction tx : txs) {
        byte[] b = tx.toByteArray();
        out.writeShort(b.length);
        out.write(b);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Runs {@code body(0..n−1)} on {@code threads} threads, in chunks. */
  static void parallel(int n, int threads, IntConsumer body) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      AtomicInteger next = new AtomicInteger();
      int chunk = 256;
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < Math.max(1, threads); t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int start = next.getAndAdd(chunk); start < n; start = next.getAndAdd(chunk)) {
                    for (int i = start; i < Math.min(n, start + chunk); i++) {
                      body.accept(i);
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
