package io.zkrollup.aggregator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.AccountState;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.BatchStage;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crash test: a node in a child JVM (the shaded {@code zkrollup.jar}, {@code --prover none})
 * takes transfers over gRPC from several client threads and is killed with SIGKILL at a random
 * moment, again and again on the same data directory. After every kill, {@link JournalAudit}
 * replays the journal from scratch (from a copy of the node database as the kill left it, while the
 * next child starts) and every acknowledged transaction must be in it exactly once,
 * at the journal index its acknowledgement gave; an atomic list that was in flight is in it whole
 * or not at all. After every restart, the node's recovered batches (public inputs), state root,
 * accounts and transaction statuses must equal the replay's; then the clients send again what was
 * in flight at the kill, and the node must refuse what it had journaled (nonce used) and accept the
 * rest, so a retry never duplicates a transaction. docs/crash-test.md describes the test.
 *
 * <p>{@code -Dcrash.cycles=N} (default 12; ProvingCrashIT adds 20 kills with proving and L1) sets the number of kills, {@code -Dcrash.seed=S} the
 * seed of the kill delays and the load's choices (thread timing is not reproducible). The work
 * directory is {@code target/crash-recovery-it}, with each child's output in {@code node.log}.
 */
class CrashRecoveryIT {

  private static final int CYCLES = Integer.getInteger("crash.cycles", 12);
  private static final long SEED = Long.getLong("crash.seed", 0x5eedc0ffeeL);
  private static final int THREADS = 4;
  private static final int ACCOUNTS_PER_THREAD = 4;
  private static final int ACCOUNTS = THREADS * ACCOUNTS_PER_THREAD; // accounts 1..16; 0 is the operator
  private static final long ROLLUP = TestNode.ROLLUP;
  private static final int SLOTS = 8;
  private static final int DEPTH = 8;
  private static final BigInteger FEE = BigInteger.ONE;
  private static final BigInteger GENESIS_BALANCE = BigInteger.valueOf(1_000_000_000L);
  /** Each start draws one: a short wait seals an open batch by the clock right after recovery, a long one never. */
  private static final long SHORT_SEAL_AFTER_MS = 50;
  private static final long LONG_SEAL_AFTER_MS = 3_600_000;
  /** One cycle in this many kills the node while it starts (JVM boot, RocksDB open, recovery). */
  private static final int EARLY_KILL_EVERY = 8;
  /**
   * A kill under load comes this many milliseconds into the load, drawn uniformly. The node is
   * saturated from the first milliseconds on, so a longer load only adds transactions, and each one
   * costs every later audit its replay (the audit replays from scratch, so its time grows with the
   * journal): the suite's kills spend most of their time there.
   */
  private static final int LOAD_MIN_MS = 100;
  private static final int LOAD_MAX_MS = 800;

  private final Path work = Path.of("target", "crash-recovery-it").toAbsolutePath();
  private final Path dataDir = work.resolve("data");
  /** A copy of the node database as a kill left it, which the audit replays while the next child starts on the original. */
  private final Path auditDir = work.resolve("audit");
  private final Path childTmp = work.resolve("tmp");
  private final Path portFile = work.resolve("port");
  private final Path genesisFile = work.resolve("genesis.txt");
  private final Path log = work.resolve("node.log");
  private final List<Wallet> wallets = new ArrayList<>();
  /** The node's configuration, for the audit: it replays the copy in {@link #auditDir}. */
  private final NodeConfig auditConfig;

  /** Every acknowledged transaction: hash → journal index from its acknowledgement. */
  private final Map<Fr, Long> acknowledged = new ConcurrentHashMap<>();
  /** Acknowledged since the last restart was checked: their status is asked after the next start. */
  private final Map<Fr, Long> unchecked = new ConcurrentHashMap<>();

  /** Submissions in flight at the last kill under load, sent again after the next restart. */
  private final List<InFlight> unanswered = new ArrayList<>();

  private Process child;

  CrashRecoveryIT() {
    List<Deposit> genesis = new ArrayList<>();
    for (int i = 0; i <= ACCOUNTS; i++) {
      wallets.add(TestNode.wallet(i));
      if (i > 0) {
        genesis.add(new Deposit(i, GenesisFile.keyHash(TestNode.POSEIDON2, wallets.get(i).publicKey()), TestNode.OWNER, GENESIS_BALANCE));
      }
    }
    auditConfig =
        NodeConfig.builder(auditDir, GenesisFile.keyHash(TestNode.POSEIDON2, wallets.get(0).publicKey()))
            .rollupId(ROLLUP)
            .slots(SLOTS)
            .depth(DEPTH)
            .fee(FEE)
            .genesis(genesis)
            .sealAfterMillis(SHORT_SEAL_AFTER_MS)
            .ringSize(1024)
            .verifiers(1)
            .build();
  }

  @Test
  void everyAcknowledgedTransactionSurvivesSigkillExactlyOnce() throws Exception {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    prepare();
    System.out.printf("crash test: %d cycles, seed %d (-Dcrash.seed=%d reproduces the kill delays), work dir %s%n", CYCLES, SEED, SEED, work);
    Random random = new Random(SEED);
    long started = System.nanoTime();
    JournalAudit.Result audit = null;
    // The replay after the last kill runs on a copy of the node database while the next child
    // starts on the original (the start takes as long as a replay, and neither needs the other);
    // it is awaited and checked before anything else happens after the restart.
    PendingAudit pending = null;
    ExecutorService auditor = Executors.newSingleThreadExecutor(r -> new Thread(r, "journal-audit"));
    Totals totals = new Totals();
    try {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        long cycleStart = System.nanoTime();
        boolean early = cycle > 0 && random.nextInt(EARLY_KILL_EVERY) == 0;
        long delay = early ? random.nextInt(300, 1600) : random.nextInt(LOAD_MIN_MS, LOAD_MAX_MS);
        boolean shortSeal = random.nextBoolean();
        child = startChild(jar, shortSeal);
        if (early) {
          Thread.sleep(delay);
          kill();
          audit = pending.await();
          pending = startAudit(auditor, cycle, cycleStart, String.format("killed %4d ms after the start (start-up or recovery)     ", delay), null, audit);
        } else {
          try (Node node = connect()) {
            long served = System.nanoTime();
            if (pending != null) {
              audit = pending.await();
            }
            long audited = System.nanoTime();
            if (audit != null) {
              totals.add(checkRecovery(node, audit, shortSeal));
              resubmit(node, audit, totals);
            }
            long checked = System.nanoTime();
            Load load = new Load(node, new Random(random.nextLong()));
            load.start();
            Thread.sleep(delay);
            load.killed = true;
            kill();
            load.join();
            for (InFlight f : load.inFlight) {
              if (f != null) {
                unanswered.add(f);
              }
            }
            String line =
                String.format(
                    "killed %4d ms into the load, %5d acknowledged (%3d lists); start %4d ms, recovery check %4d ms",
                    delay, load.acks.get(), load.lists.get(), (served - cycleStart) / 1_000_000, (checked - audited) / 1_000_000);
            pending = startAudit(auditor, cycle, cycleStart, line, load, null);
          }
        }
        totals.cycles++;
      }
      // The last kill's recovery, with the status of every transaction ever acknowledged, then the
      // operator's audit of the node stopped cleanly.
      unchecked.putAll(acknowledged);
      boolean shortSeal = random.nextBoolean();
      child = startChild(jar, shortSeal);
      long journaled;
      try (Node node = connect()) {
        audit = pending.await();
        journaled = audit.transactions();
        totals.add(checkRecovery(node, audit, shortSeal));
        journaled += resubmit(node, audit, totals);
      }
      child.destroy();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the node stops on SIGTERM").isTrue();
      CliRun cli = runAudit(jar);
      assertThat(cli.status()).as(cli.out()).isZero();
      assertThat(cli.out()).contains("result          CONSISTENT").contains(" entries, " + journaled + " transactions");
    } catch (Throwable t) {
      System.out.println("node.log, last lines:\n" + tail(log, 40));
      throw t;
    } finally {
      auditor.shutdownNow();
      if (child != null && child.isAlive()) {
        child.destroyForcibly().waitFor();
      }
    }
    // RollupNode logs at each start "started: N batches built[ (the state tree was ... and is reverted)], M closed batches to build, ...".
    // The first start is the fresh one (it builds the genesis), not a recovery.
    List<String> recovered = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("started: ")).skip(1).toList();
    System.out.printf(
        "crash test passed: %d kills, %d transactions acknowledged, %d batches sealed, %d recoveries checked (%d with nothing sealed"
            + " after the restart, %d with the open batch sealed by the clock first); of %d starts that got as far as recovery, %d rebuilt"
            + " batches from the journal and %d found the state tree a version ahead of the batch store; of the submissions in flight"
            + " at a kill, %d were journaled and refused when sent again, %d were not and accepted; %.1f s%n",
        totals.cycles, acknowledged.size(), audit.sealedBatches(), totals.recoveries, totals.sameCount, totals.timerSealed, recovered.size(),
        recovered.stream().filter(l -> !l.contains(", 0 closed batches to build")).count(), recovered.stream().filter(l -> l.contains("is reverted")).count(),
        totals.retriesRefused, totals.retriesAccepted, (System.nanoTime() - started) / 1e9);
    assertThat(acknowledged).as("the load got transactions in").isNotEmpty();
  }

  private static final class Totals {
    int cycles;
    int recoveries;
    int sameCount;
    int timerSealed;
    int retriesRefused;
    int retriesAccepted;

    void add(boolean timer) {
      recoveries++;
      if (timer) {
        timerSealed++;
      } else {
        sameCount++;
      }
    }
  }

  // ------------------------------------------------------------------ child process

  private void prepare() throws IOException {
    deleteTree(work);
    Files.createDirectories(childTmp);
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= ACCOUNTS; i++) {
      lines.add(GenesisFile.line(i, wallets.get(i).publicKey(), GENESIS_BALANCE));
    }
    Files.write(genesisFile, lines, StandardCharsets.US_ASCII);
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
  }

  private Process startChild(Path jar, boolean shortSeal) throws IOException {
    Files.deleteIfExists(portFile);
    Files.writeString(log, "---- start\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    List<String> command =
        List.of(
            java(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            // C1 only: a child lives a few seconds, most of them starting, and C2's compiles cost a
            // third of the CPU a start takes on 2 cores; what is tested does not depend on the JIT.
            "-XX:TieredStopAtLevel=1",
            // RocksDB extracts its JNI library there and deletes it only on a clean exit.
            "-Djava.io.tmpdir=" + childTmp,
            "-jar",
            jar.toString(),
            "node",
            "--data-dir", dataDir.toString(),
            "--operator-key", HexFormat.of().formatHex(wallets.get(0).publicKey().toBytes()),
            "--genesis", genesisFile.toString(),
            "--port", "0",
            "--port-file", portFile.toString(),
            "--prover", "none",
            "--rollup-id", Long.toString(ROLLUP),
            "--slots", Integer.toString(SLOTS),
            "--depth", Integer.toString(DEPTH),
            "--fee", FEE.toString(),
            "--seal-after-ms", Long.toString(shortSeal ? SHORT_SEAL_AFTER_MS : LONG_SEAL_AFTER_MS),
            "--verifiers", "1");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** SIGKILL (Process.destroyForcibly on Linux), and proof that the process died of it. */
  private void kill() throws Exception {
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the node dies on SIGKILL").isTrue();
    assertThat(child.exitValue()).as("exit status 128 + SIGKILL").isEqualTo(137);
    assertThat(child.toHandle().isAlive()).isFalse();
    // What RocksDB extracted and could not delete.
    try (Stream<Path> left = Files.list(childTmp)) {
      for (Path p : (Iterable<Path>) left::iterator) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    }
  }

  /** A channel to the child once it serves. */
  private Node connect() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(portFile)) {
      if (!child.isAlive()) {
        fail("the node exited with " + child.exitValue() + " before serving");
      }
      if (System.nanoTime() > deadline) {
        fail("the node did not serve within 60 s");
      }
      Thread.sleep(10);
    }
    int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    return new Node(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  private record Node(ManagedChannel channel) implements AutoCloseable {
    RollupServiceGrpc.RollupServiceBlockingStub stub() {
      return RollupServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    GetNodeStatusResponse status() {
      return stub().getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private record CliRun(int status, String out) {}

  private CliRun runAudit(Path jar) throws Exception {
    Process p =
        new ProcessBuilder(java(), "-Djava.io.tmpdir=" + childTmp, "-jar", jar.toString(), "audit", "--data-dir", dataDir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    System.out.print("zkrollup audit:\n" + out);
    return new CliRun(p.exitValue(), out);
  }

  // ------------------------------------------------------------------ load

  /** What a client thread had sent when the node died: {@code txs} from {@code account}, nonces from {@code nonce}. */
  private record InFlight(int account, long nonce, List<SignedTransaction> txs) {
    int count() {
      return txs.size();
    }
  }

  /** {@link #THREADS} client threads, each owning accounts {@code 1 + t*4 .. 4 + t*4}. */
  private final class Load {
    final Node node;
    final Random random;
    final long[] nonces = new long[ACCOUNTS + 1];
    final List<Thread> threads = new ArrayList<>();
    final InFlight[] inFlight = new InFlight[THREADS];
    final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong lists = new AtomicLong();
    volatile boolean killed;

    Load(Node node, Random random) {
      this.node = node;
      this.random = random;
    }

    void start() {
      // Each account resumes at its pending nonce: the node's view after every journaled transaction.
      for (int a = 1; a <= ACCOUNTS; a++) {
        nonces[a] = node.stub().getAccount(GetAccountRequest.newBuilder().setIndex(a).build()).getPending().getNonce();
      }
      for (int t = 0; t < THREADS; t++) {
        int id = t;
        long seed = random.nextLong();
        Thread thread = new Thread(() -> run(id, new Random(seed)), "load-" + t);
        threads.add(thread);
        thread.start();
      }
    }

    void run(int id, Random r) {
      try {
        while (true) {
          int account = 1 + id * ACCOUNTS_PER_THREAD + r.nextInt(ACCOUNTS_PER_THREAD);
          int count = r.nextInt(8) == 0 ? 2 + r.nextInt(3) : 1;
          List<SignedTransaction> txs = new ArrayList<>(count);
          for (int k = 0; k < count; k++) {
            long nonce = nonces[account] + k;
            if (r.nextInt(10) == 0) {
              // A withdrawal spans 4 of the 8 slots: the sequencer cuts batches that are not full.
              byte[] l1 = new byte[L1Address.BYTES];
              r.nextBytes(l1);
              txs.add(wallets.get(account).withdrawal(L1Address.of(l1), BigInteger.valueOf(1 + r.nextInt(1000)), FEE, nonce));
            } else {
              txs.add(wallets.get(account).transfer(1 + r.nextInt(ACCOUNTS), BigInteger.valueOf(1 + r.nextInt(100)), FEE, nonce));
            }
          }
          inFlight[id] = new InFlight(account, nonces[account], List.copyOf(txs));
          List<SubmitTransactionResponse> accepted = submit(node, txs, () -> killed);
          if (accepted == null) {
            return; // the node is gone; inFlight[id] says what may or may not have got in
          }
          inFlight[id] = null;
          assertThat(accepted).hasSize(count);
          acknowledge(accepted);
          nonces[account] += count;
          acks.addAndGet(count);
          if (count > 1) {
            lists.incrementAndGet();
          }
        }
      } catch (StatusRuntimeException e) {
        errors.add(new AssertionError("the node refused a valid submission: " + e.getStatus(), e));
      } catch (Throwable t) {
        errors.add(t);
      }
    }


    void join() throws InterruptedException {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
      }
      if (!errors.isEmpty()) {
        AssertionError e = new AssertionError("a client thread failed: " + errors.get(0), errors.get(0));
        errors.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
    }
  }

  /**
   * The accepted transactions, or null once {@code gone} says the node was killed; retries while
   * the ring is full.
   *
   * @throws StatusRuntimeException if the node refuses the submission while it runs
   */
  private static List<SubmitTransactionResponse> submit(Node node, List<SignedTransaction> txs, java.util.function.BooleanSupplier gone)
      throws InterruptedException {
    while (true) {
      try {
        if (txs.size() == 1) {
          return List.of(node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(txs.get(0)).build()));
        }
        return node.stub().submitTransactions(SubmitTransactionsRequest.newBuilder().addAllTransactions(txs).build()).getAcceptedList();
      } catch (StatusRuntimeException e) {
        if (gone.getAsBoolean()) {
          return null;
        }
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
          throw e;
        }
        Thread.sleep(1);
      }
    }
  }

  private void acknowledge(List<SubmitTransactionResponse> accepted) {
    for (SubmitTransactionResponse a : accepted) {
      Fr hash = Fr.fromBytes(a.getTxHash().toByteArray());
      assertThat(acknowledged.put(hash, a.getJournalIndex())).as("a hash acknowledged twice").isNull();
      unchecked.put(hash, a.getJournalIndex());
    }
  }

  /**
   * After a restart, a client sends again what it had in flight when the node died, as a client
   * without an answer does: the node must refuse what it journaled (the nonce is used) and accept
   * what it did not, so a retry never makes a duplicate.
   *
   * @return how many transactions it accepted
   */
  private int resubmit(Node node, JournalAudit.Result audit, Totals totals) throws InterruptedException {
    int accepted = 0;
    for (InFlight f : unanswered) {
      long journaled = audit.ledger().get((long) f.account()).nonce();
      if (journaled == f.nonce() + f.count()) {
        try {
          submit(node, f.txs(), () -> false);
          fail("the node accepted again %s, which it had journaled", f);
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).as("resubmitting journaled %s", f).isEqualTo(Status.Code.ALREADY_EXISTS);
          totals.retriesRefused++;
        }
      } else {
        assertThat(journaled).isEqualTo(f.nonce());
        acknowledge(submit(node, f.txs(), () -> false));
        totals.retriesAccepted++;
        accepted += f.count();
      }
    }
    unanswered.clear();
    return accepted;
  }

  // ------------------------------------------------------------------ checks

  /**
   * Right after a kill: copies the node database as the kill left it (the node is dead, so its files
   * are still) and starts the replay from scratch of the copy.
   *
   * @param load the load the node was killed under, or null after a kill during start-up
   * @param before after a kill during start-up, the replay after the kill before it
   */
  private PendingAudit startAudit(ExecutorService auditor, int cycle, long cycleStart, String line, Load load, JournalAudit.Result before)
      throws IOException {
    deleteTree(auditDir);
    Files.createDirectories(auditDir);
    Path from = dataDir.resolve("node");
    Path to = auditDir.resolve("node");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    Future<Replayed> replay =
        auditor.submit(
            () -> {
              long start = System.nanoTime();
              JournalAudit.Result audit = JournalAudit.run(auditConfig);
              return new Replayed(audit, System.nanoTime() - start);
            });
    return new PendingAudit(cycle, cycleStart, line, load, before, replay);
  }

  private record Replayed(JournalAudit.Result audit, long nanos) {}

  /** A replay after a kill, running, and what to check it against once it is done. */
  private final class PendingAudit {
    final int cycle;
    final long cycleStart;
    final String line;
    final Load load;
    final JournalAudit.Result before;
    final Future<Replayed> replay;

    PendingAudit(int cycle, long cycleStart, String line, Load load, JournalAudit.Result before, Future<Replayed> replay) {
      this.cycle = cycle;
      this.cycleStart = cycleStart;
      this.line = line;
      this.load = load;
      this.before = before;
      this.replay = replay;
    }

    /** The replay, once done and checked; prints the cycle's line. */
    JournalAudit.Result await() throws Exception {
      long waitStart = System.nanoTime();
      Replayed replayed;
      try {
        replayed = replay.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      long waited = System.nanoTime() - waitStart;
      JournalAudit.Result audit = replayed.audit();
      checkAudit(audit, load);
      if (before != null) {
        // Without load, a start may at most seal the open batch by the clock.
        assertThat(audit.transactions()).isEqualTo(before.transactions());
        assertThat(audit.journalEntries() - before.journalEntries()).isEqualTo(audit.sealedBatches() - before.sealedBatches()).isBetween(0L, 1L);
      }
      System.out.printf(
          "cycle %3d: %s; audit %4d ms (%4d ms of it waited for); journal %7d entries, %5d batches sealed, %d ops open; %6d acknowledged in all;"
              + " %5d ms to the next start%n",
          cycle, line, replayed.nanos() / 1_000_000, waited / 1_000_000, audit.journalEntries(), audit.sealedBatches(), audit.openOps().size(), acknowledged.size(),
          (System.nanoTime() - cycleStart) / 1_000_000);
      return audit;
    }
  }

  /**
   * After a kill: the replay from scratch holds every acknowledged transaction exactly once at its
   * acknowledged index; each account's nonce is what its client had acknowledged, or that plus a
   * whole in-flight submission (never part of a list).
   */
  private void checkAudit(JournalAudit.Result audit, Load load) {
    for (Map.Entry<Fr, Long> a : acknowledged.entrySet()) {
      List<Long> at = audit.txIndices().get(a.getKey());
      assertThat(at).as("journal indices of acknowledged transaction %s", a.getKey()).isNotNull().containsExactly(a.getValue());
    }
    long nonceSum = 0;
    for (int account = 1; account <= ACCOUNTS; account++) {
      nonceSum += audit.ledger().get((long) account).nonce();
    }
    assertThat(audit.transactions()).as("every journaled transaction is one nonce step of its account").isEqualTo(nonceSum);
    if (load != null) {
      checkInFlight(load, audit);
    }
    assertThat(audit.ledger()).hasSize(ACCOUNTS + 1);
    assertThat(audit.txIndices().values()).allMatch(at -> at.size() == 1);
  }

  private void checkInFlight(Load load, JournalAudit.Result audit) {
    for (int t = 0; t < THREADS; t++) {
      for (int k = 0; k < ACCOUNTS_PER_THREAD; k++) {
        int account = 1 + t * ACCOUNTS_PER_THREAD + k;
        long journaled = audit.ledger().get((long) account).nonce();
        InFlight f = load.inFlight[t];
        if (f != null && f.account() == account) {
          assertThat(journaled).as("account %d with %s in flight: all or nothing", account, f).isIn(f.nonce(), f.nonce() + f.count());
        } else {
          assertThat(journaled).as("account %d: its acknowledged nonce", account).isEqualTo(load.nonces[account]);
        }
      }
    }
  }

  /**
   * After a restart: once the node has rebuilt every sealed batch, its batches, root, accounts and
   * transaction statuses equal the replay's.
   *
   * <p>With the long seal wait the node seals nothing before the load resumes, and its state root
   * is compared with the replay's root directly. With the short one, the clock seals the batch the
   * crash left open (if it has ops) right after recovery: the node then holds one batch more than
   * the replay. That batch is checked to start from the replay's root and hold exactly the open ops,
   * and its new root is compared with a replay at the next kill (every batch the node ever built is).
   *
   * @return whether the clock sealed the open batch
   */
  private boolean checkRecovery(Node node, JournalAudit.Result audit, boolean shortSeal) throws InterruptedException {
    long extra = shortSeal && !audit.openOps().isEmpty() ? 1 : 0;
    long want = audit.sealedBatches() + extra;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    GetNodeStatusResponse s = node.status();
    while (s.getBuiltBatches() != want || s.getSealedBatches() != want) {
      assertThat(s.getSealedBatches()).as("sealed batches after the restart, without load").isLessThanOrEqualTo(want);
      assertThat(s.getBuiltBatches()).as("built batches").isLessThanOrEqualTo(s.getSealedBatches());
      assertThat(System.nanoTime()).as("recovery rebuilds every sealed batch; last status %s", s).isLessThan(deadline);
      Thread.sleep(10);
      s = node.status();
    }
    assertThat(s.getJournalEntries()).isEqualTo(audit.journalEntries() + extra);

    // Every batch as the node stored or rebuilt it, against the replay.
    List<BatchEvent> events = batchEvents(node, s.getBuiltBatches());
    for (int n = 0; n < audit.sealedBatches(); n++) {
      JournalAudit.AuditedBatch b = audit.batches().get(n);
      BatchEvent e = events.get(n);
      assertThat(e.getBatchNumber()).isEqualTo(n);
      assertThat(Fr.fromBytes(e.getOldRoot().toByteArray())).as("old root of batch %d", n).isEqualTo(b.publicInputs().oldRoot());
      assertThat(Fr.fromBytes(e.getNewRoot().toByteArray())).as("new root of batch %d", n).isEqualTo(b.newRoot());
      assertThat(Fr.fromBytes(e.getPubdataHash().toByteArray())).as("pubdata hash of batch %d", n).isEqualTo(b.publicInputs().pubdataHash());
      assertThat(e.getTransactions()).as("ops of batch %d", n).isEqualTo(b.ops());
    }
    Fr nodeRoot = Fr.fromBytes(s.getStateRoot().toByteArray());
    long openSigned = audit.openOps().stream().filter(op -> op instanceof SignedOp).count();
    if (extra == 0) {
      assertThat(nodeRoot).as("state root after %d batches", audit.sealedBatches()).isEqualTo(audit.root());
    } else {
      BatchEvent timer = events.get((int) audit.sealedBatches());
      assertThat(timer.getTransactions()).as("the batch sealed by the clock holds the open ops").isEqualTo(audit.openOps().size());
      assertThat(Fr.fromBytes(timer.getOldRoot().toByteArray())).isEqualTo(audit.root());
      assertThat(nodeRoot).isEqualTo(Fr.fromBytes(timer.getNewRoot().toByteArray()));
    }

    // Accounts: pending equals the replay's ledger; sealed equals the replay's sealed accounts, or,
    // after the clock sealed the rest, the ledger.
    for (int a = 0; a <= ACCOUNTS; a++) {
      GetAccountResponse r = node.stub().getAccount(GetAccountRequest.newBuilder().setIndex(a).build());
      AccountLeaf pending = audit.ledger().get((long) a);
      AccountLeaf sealed = audit.sealedAccounts().get((long) a);
      if (extra == 1) {
        if (a == 0) {
          // The operator is credited with a batch's fees when it is sealed.
          pending = pending.withBalance(pending.balance().add(FEE.multiply(BigInteger.valueOf(openSigned))));
        }
        sealed = pending;
      }
      assertThat(state(r.getPending())).as("pending account %d", a).isEqualTo(pending);
      assertThat(r.hasSealed() ? state(r.getSealed()) : null).as("sealed account %d", a).isEqualTo(sealed);
      assertThat(r.getSealedBatches()).isEqualTo(want);
    }

    // Transactions acknowledged before the kill: found where the replay put them.
    long lastSeal = audit.sealedBatches() == 0 ? -1 : audit.batches().get((int) audit.sealedBatches() - 1).sealIndex();
    for (Map.Entry<Fr, Long> a : unchecked.entrySet()) {
      GetTransactionStatusResponse st =
          node.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(com.google.protobuf.ByteString.copyFrom(a.getKey().toBytes())).build());
      long index = a.getValue();
      assertThat(st.getJournalIndex()).isEqualTo(index);
      if (index < lastSeal) {
        assertThat(st.getStage()).isEqualTo(TransactionStage.SEALED);
        assertThat(st.getBatchNumber()).as("batch of journal index %d", index).isEqualTo(batchOf(audit, index));
      } else if (extra == 1) {
        assertThat(st.getStage()).isEqualTo(TransactionStage.SEALED);
        assertThat(st.getBatchNumber()).isEqualTo(audit.sealedBatches());
      } else {
        assertThat(st.getStage()).isEqualTo(TransactionStage.PENDING);
      }
    }
    unchecked.clear();
    return extra == 1;
  }

  private static AccountLeaf state(AccountState a) {
    return new AccountLeaf(
        Fr.fromBytes(a.getKeyHash().toByteArray()), Owner.of(a.getOwner().toByteArray()), Integer.toUnsignedLong(a.getToken()), new BigInteger(a.getBalance()), a.getNonce());
  }

  /** The batch whose seal is the first one after journal index {@code index}. */
  private static long batchOf(JournalAudit.Result audit, long index) {
    List<JournalAudit.AuditedBatch> batches = audit.batches();
    int lo = 0;
    int hi = batches.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (batches.get(mid).sealIndex() > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The first {@code count} SEALED events of the node's batch history. */
  private static List<BatchEvent> batchEvents(Node node, long count) {
    List<BatchEvent> out = new ArrayList<>();
    Context.CancellableContext ctx = Context.current().withCancellation();
    try {
      ctx.run(
          () -> {
            Iterator<BatchEvent> it =
                RollupServiceGrpc.newBlockingStub(node.channel())
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(0).build());
            while (out.size() < count && it.hasNext()) {
              BatchEvent e = it.next();
              if (e.getStage() == BatchStage.BATCH_SEALED) {
                out.add(e);
              }
            }
          });
    } finally {
      ctx.cancel(null);
    }
    assertThat(out).hasSize((int) count);
    return out;
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
