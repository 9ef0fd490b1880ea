package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The crash test with proving and a real L1 on: a node ({@code zkrollup.jar node}, Groth16 keys,
 * on anvil with Rollup.sol and the real verifier) and a prover worker ({@code zkrollup.jar
 * worker}), each in its own JVM, are killed with SIGKILL again and again while clients submit
 * transfers and users deposit on L1. Kills land at random moments and, through {@code node
 * --crash-at} ({@link CrashPoint}), exactly between a deposit being fed and journaled, a proof
 * being stored and announced, and a commit being mined on L1 and the node being told; the worker is
 * killed while proving and again while it starts.
 *
 * <p>The oracle is the clients' own record, not the node's replay: every acknowledged transfer
 * (hash, journal index, amounts) and every deposit receipt from L1. After each restart every
 * transaction acknowledged so far must be known to the node at its journal index, and L1's root
 * after its last batch must be the node's root after the same batch. At the end, once L1 has every
 * batch: each acknowledged transfer is PUBLISHED in exactly one batch; L1 holds one {@code
 * BatchCommitted} per batch number; and the state rebuilt from L1's calldata alone ({@link
 * StateFromL1}) has, for every account, the nonce and balance the clients' record gives.
 *
 * <p>{@code -Dcrash.l1.cycles=N} (default 11, which with the worker kills makes 20 SIGKILLs;
 * 55 make 101), {@code -Dcrash.seed=S}. The work directory is {@code target/proving-crash-it},
 * with the node's and the worker's output in {@code node.log} and {@code worker.log}.
 * docs/crash-test.md, "Crashes with proving and L1", reports the 100-kill run.
 */
class ProvingCrashIT {

  private static final int CYCLES = Integer.getInteger("crash.l1.cycles", 11);
  private static final long SEED = Long.getLong("crash.seed", 0x5eedc0ffeeL);
  private static final int SLOTS = ClusterTestKeys.SLOTS;
  private static final int DEPTH = ClusterTestKeys.DEPTH;
  private static final int USERS = 4; // accounts 1..4, made by their first deposits; 0 is the operator
  private static final BigInteger FEE = BigInteger.ONE;
  private static final BigInteger FIRST_DEPOSIT = BigInteger.TEN.pow(15);
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  /** What ends a cycle: always a SIGKILL of the node, after one of these. */
  private enum Kill {
    /** At a random moment of the load, the worker with it (the machine went down). */
    RANDOM,
    /** Exactly between a deposit fed and journaled. */
    DEPOSIT_FED,
    /** Exactly between a proof stored and PROVEN announced. */
    PROOF_STORED,
    /** Exactly between a commit mined on L1 and the node told. */
    COMMIT_MINED,
    /** The worker is killed while proving, started again, killed again while it starts, started again; then the node at random. */
    WORKER
  }

  /** The first cycle's node is the one the set-up started, unarmed: it ends at random. */
  private static final Kill[] ROTATION = {Kill.RANDOM, Kill.COMMIT_MINED, Kill.PROOF_STORED, Kill.WORKER, Kill.DEPOSIT_FED, Kill.RANDOM, Kill.WORKER};
  /** Each client waits this long between its transfers, drawn uniformly. */
  private static final int PAUSE_MIN_MS = 1_000;
  private static final int PAUSE_MAX_MS = 3_000;
  /**
   * Clients hold back while this many sealed batches wait for a proof: one worker proves a B=5
   * batch in about 3 s on 2 cores and loses time at every kill, so an unbounded load would leave a
   * backlog that the end of the test spends a minute draining. A backlog is all the kills need.
   */
  private static final long MAX_UNPROVEN = 5;

  private final Path work = Path.of("target", "proving-crash-it").toAbsolutePath();
  private final Path dataDir = work.resolve("data");
  private final Path nodeLog = work.resolve("node.log");
  private final Path workerLog = work.resolve("worker.log");
  private final Path portFile = work.resolve("port");
  private final Path childTmp = work.resolve("tmp");
  private final Random random = new Random(SEED);

  private L1Chain chain;
  private String rollup;
  private long rollupId;
  private Path operatorKeyFile;
  private int coordinatorPort;
  private Process node;
  /** Where the running node's output begins in {@link #nodeLog}. */
  private long nodeLogStart;
  private Process worker;
  private final List<Credentials> depositors = new ArrayList<>();
  private final List<Wallet> wallets = new ArrayList<>();

  // ---- The clients' record: the oracle.
  /** Every acknowledged transfer by hash. */
  private final Map<Fr, Transfer> acknowledged = new ConcurrentHashMap<>();
  /** What each user deposited on L1 (receipts in hand), by account. */
  private final long[] depositCount = new long[USERS + 1];
  private final BigInteger[] deposited = new BigInteger[USERS + 1];
  /** The next nonce of each account: transfers applied (acknowledged, or journaled before a kill). */
  private final long[] nextNonce = new long[USERS + 1];
  /** The transfer each client had in flight at the last kill, or null. */
  private final Transfer[] inFlight = new Transfer[USERS + 1];

  private record Transfer(Fr hash, int from, int to, BigInteger amount, long nonce, long journalIndex) {}

  private final Map<Kill, Integer> kills = new EnumMap<>(Kill.class);
  // The final audit's tallies, printed with the result (each is asserted to be 0).
  private long lost;
  private long duplicated;
  private long committedTwice;
  private long batchesOnL1;
  private int workerKills;
  private int inFlightJournaled;
  private int inFlightLost;

  @Test
  void acknowledgedTransfersAndDepositsSurviveSigkillsOfNodeAndWorkerWithProvingAndL1() throws Exception {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    long started = System.nanoTime();
    deleteTree(work);
    Files.createDirectories(childTmp);
    try {
      setUpL1();
      node = startNode(jar, CrashPoint.NONE);
      worker = startWorker(jar);
      try (Client c = new Client(port())) {
        for (int u = 1; u <= USERS; u++) {
          deposit(u, FIRST_DEPOSIT);
        }
        final int last = USERS;
        await(() -> c.pendingNonce(last).isPresent(), "the users' first deposits to make their accounts");
      }
      System.out.printf("proving crash test: %d cycles, seed %d, work dir %s; set-up %.1f s%n", CYCLES, SEED, work, (System.nanoTime() - started) / 1e9);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Kill kill = ROTATION[cycle % ROTATION.length];
        if (cycle > 0) {
          node = startNode(jar, switch (kill) {
            case DEPOSIT_FED -> CrashPoint.DEPOSIT_FED;
            case PROOF_STORED -> CrashPoint.PROOF_STORED;
            case COMMIT_MINED -> CrashPoint.COMMIT_MINED;
            default -> CrashPoint.NONE;
          });
        }
        if (!worker.isAlive()) {
          worker = startWorker(jar);
        }
        long cycleStart = System.nanoTime();
        String done;
        try (Client c = new Client(port())) {
          checkRecovery(c);
          resolveInFlight(c);
          Load load = new Load(c);
          load.start();
          done = killAfter(kill, jar);
          load.stop();
        }
        kills.merge(kill, 1, Integer::sum);
        System.out.printf("cycle %2d: %-12s %s; %d acknowledged so far; %.1f s%n", cycle, kill, done, acknowledged.size(), (System.nanoTime() - cycleStart) / 1e9);
      }
      // Recovery from the last kill, then everything onto L1 and the final audit.
      node = startNode(jar, CrashPoint.NONE);
      if (!worker.isAlive()) {
        worker = startWorker(jar);
      }
      long drain = System.nanoTime();
      try (Client c = new Client(port())) {
        checkRecovery(c);
        resolveInFlight(c);
        finalAudit(c);
      }
      System.out.printf("final recovery, drain to L1 and audit: %.1f s%n", (System.nanoTime() - drain) / 1e9);
    } catch (Throwable t) {
      System.out.println("node.log, last lines:\n" + tail(nodeLog, 40) + "\nworker.log, last lines:\n" + tail(workerLog, 20));
      throw t;
    } finally {
      for (Process p : new Process[] {node, worker}) {
        if (p != null && p.isAlive()) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      if (chain != null) {
        chain.close();
      }
    }
    int nodeKills = kills.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "proving crash test passed: %d SIGKILLs (node %d: %s; worker %d), %d transfers acknowledged, %d deposits, %d batches on L1; lost %d,"
            + " duplicated %d, committed twice %d; of the transfers in flight at a kill, %d had been journaled and %d had not; %.1f s%n",
        nodeKills + workerKills, nodeKills, kills, workerKills, acknowledged.size(), java.util.Arrays.stream(depositCount).sum(), batchesOnL1, lost,
        duplicated, committedTwice, inFlightJournaled, inFlightLost, (System.nanoTime() - started) / 1e9);
    assertThat(nodeKills + workerKills).as("SIGKILLs").isGreaterThanOrEqualTo(Math.min(20, CYCLES));
  }

  // ------------------------------------------------------------------ L1 and the processes

  private void setUpL1() throws Exception {
    chain = L1Chain.start(work.resolve("l1"));
    Path keys = ClusterTestKeys.dir();
    rollup = chain.deployRollup(chain.deployVerifier(keys), SLOTS, DEPTH, L1Chain.emptyRoot(DEPTH), keyHash(TestNode.wallet(0)));
    rollupId = chain.rollupId(rollup);
    Credentials operator = L1Chain.key(0x0b);
    chain.setBalance(operator.getAddress(), BigInteger.TEN.pow(20));
    operatorKeyFile = ExitTool.keyFile(work, operator);
    wallets.add(TestNode.wallet(0, rollupId));
    depositors.add(null);
    for (int u = 1; u <= USERS; u++) {
      wallets.add(TestNode.wallet(u, rollupId)); // account u: the users deposit in this order
      Credentials d = L1Chain.key(0x30 + u);
      chain.setBalance(d.getAddress(), BigInteger.TEN.pow(20));
      depositors.add(d);
      deposited[u] = BigInteger.ZERO;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      coordinatorPort = s.getLocalPort(); // fixed across restarts: the worker keeps its address
    }
  }

  private static Fr keyHash(Wallet w) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, w.publicKey());
  }

  /** Deposits on L1 into account {@code user} (its depositor, its key, ETH: the same account every time). */
  private void deposit(int user, BigInteger wei) throws Exception {
    assertThat(chain.deposit(depositors.get(user), rollup, keyHash(wallets.get(user)), wei).isStatusOK()).isTrue();
    deposited[user] = deposited[user].add(wei);
    depositCount[user]++;
  }

  private Process startNode(Path jar, CrashPoint crashAt) throws IOException {
    Files.deleteIfExists(portFile);
    Files.writeString(nodeLog, "---- start, --crash-at " + crashAt + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    nodeLogStart = Files.size(nodeLog);
    List<String> command =
        List.of(
            java(), "-Xmx384m", "-XX:+UseSerialGC",
            // C1 only: a child lives seconds, mostly starting; the proofs are Go's.
            "-XX:TieredStopAtLevel=1",
            "-Djava.io.tmpdir=" + childTmp,
            "-jar", jar.toString(),
            "node",
            "--data-dir", dataDir.toString(),
            "--operator-key", HexFormat.of().formatHex(wallets.get(0).publicKey().toBytes()),
            "--port", "0",
            "--port-file", portFile.toString(),
            "--prover", "groth16",
            "--keys", ClusterTestKeys.dir().toString(),
            "--local-workers", "0",
            "--coordinator-port", Integer.toString(coordinatorPort),
            "--lease-ttl-ms", "3000",
            "--heartbeat-ms", "500",
            "--slots", Integer.toString(SLOTS),
            "--depth", Integer.toString(DEPTH),
            "--fee", FEE.toString(),
            "--seal-after-ms", "3000",
            "--verifiers", "1",
            "--l1-rpc", chain.url(),
            "--l1-contract", rollup,
            "--l1-key-file", operatorKeyFile.toString(),
            "--l1-chain-id", Long.toString(chain.anvil.chainId()),
            "--l1-poll-ms", "100",
            "--insecure-development-keys",
            "--crash-at", crashAt.name());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(nodeLog.toFile())).start();
  }

  private Process startWorker(Path jar) throws IOException {
    Files.writeString(workerLog, "---- start\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    List<String> command =
        List.of(
            java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + childTmp,
            "-jar", jar.toString(),
            "worker", "--coordinator", "localhost:" + coordinatorPort, "--keys", ClusterTestKeys.dir().toString(), "--worker-id", "crash-worker",
            "--lease-wait-ms", "1000", "--drain-timeout-s", "1");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(workerLog.toFile())).start();
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
  }

  private int port() throws Exception {
    await(() -> Files.exists(portFile) || !node.isAlive(), "the node to serve");
    assertThat(node.isAlive()).as("the node started").isTrue();
    return Integer.parseInt(Files.readString(portFile).trim());
  }

  /** SIGKILL, and proof that the process died of it. */
  private static void sigkill(Process p, String what) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s dies on SIGKILL", what).isTrue();
    assertThat(p.exitValue()).as("%s: exit status 128 + SIGKILL", what).isEqualTo(137);
  }

  /** Ends the cycle as {@code kill} says; what happened, for the cycle's line. */
  private String killAfter(Kill kill, Path jar) throws Exception {
    switch (kill) {
      case RANDOM -> {
        int ms = random.nextInt(200, 3000);
        Thread.sleep(ms);
        sigkill(node, "the node");
        sigkill(worker, "the worker");
        workerKills++;
        return "node and worker killed " + ms + " ms into the load";
      }
      case DEPOSIT_FED -> {
        int user = 1 + random.nextInt(USERS);
        deposit(user, BigInteger.valueOf(1_000 + random.nextInt(1_000)));
        awaitCrashPoint(CrashPoint.DEPOSIT_FED);
        sigkill(node, "the node");
        return "killed with user " + user + "'s deposit fed, not journaled";
      }
      case PROOF_STORED, COMMIT_MINED -> {
        awaitCrashPoint(kill == Kill.PROOF_STORED ? CrashPoint.PROOF_STORED : CrashPoint.COMMIT_MINED);
        sigkill(node, "the node");
        return kill == Kill.PROOF_STORED ? "killed with a proof stored, not announced" : "killed with a commit mined, not seen";
      }
      case WORKER -> {
        int proving = random.nextInt(500, 3000);
        Thread.sleep(proving);
        sigkill(worker, "the worker");
        worker = startWorker(jar);
        int starting = random.nextInt(100, 1500);
        Thread.sleep(starting);
        sigkill(worker, "the worker (starting)");
        worker = startWorker(jar);
        workerKills += 2;
        int ms = random.nextInt(200, 2000);
        Thread.sleep(ms);
        sigkill(node, "the node");
        return "worker killed " + proving + " ms in and again " + starting + " ms into its start; node " + ms + " ms later";
      }
      default -> throw new IllegalStateException(kill.name());
    }
  }

  /** Waits for the running node to report that a thread stopped at {@code point} (it may have before the load began). */
  private void awaitCrashPoint(CrashPoint point) throws Exception {
    long from = nodeLogStart;
    String line = CrashPoint.REACHED + point.name();
    await(
        () -> {
          try {
            byte[] all = Files.readAllBytes(nodeLog);
            return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8).contains(line);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        "the node to reach " + point);
  }

  // ------------------------------------------------------------------ the clients

  /** One gRPC channel to the node's public API. */
  private static final class Client implements AutoCloseable {
    final ManagedChannel channel;
    final RollupServiceGrpc.RollupServiceBlockingStub stub;

    Client(int port) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      stub = RollupServiceGrpc.newBlockingStub(channel);
    }

    RollupServiceGrpc.RollupServiceBlockingStub stub() {
      return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    Optional<Long> pendingNonce(int account) {
      try {
        return Optional.of(stub().getAccount(GetAccountRequest.newBuilder().setIndex(account).build()).getPending().getNonce());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
    }

    GetNodeStatusResponse status() {
      return stub().getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * One client thread per user, each sending transfers from its own account one at a time (so its
   * nonces are sequential and at most one is in flight at a kill) to the other users.
   */
  private final class Load {
    private final Client client;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Load(Client client) {
      this.client = client;
    }

    void start() {
      for (int u = 1; u <= USERS; u++) {
        final int from = u;
        final Random r = new Random(random.nextLong());
        Thread t = new Thread(() -> send(from, r), "client-" + u);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void send(int from, Random r) {
      while (!stopping) {
        try {
          GetNodeStatusResponse s = client.status();
          if (s.getSealedBatches() - s.getProvenBatches() >= MAX_UNPROVEN) {
            Thread.sleep(200);
            continue;
          }
        } catch (StatusRuntimeException e) {
          return; // the node is gone
        } catch (InterruptedException e) {
          return;
        }
        int to = 1 + r.nextInt(USERS - 1);
        if (to >= from) {
          to++;
        }
        BigInteger amount = BigInteger.valueOf(1 + r.nextInt(1_000));
        long nonce = nextNonce[from];
        SignedTransaction tx = wallets.get(from).transfer(to, amount, FEE, nonce);
        Fr hash = wallets.get(from).txHash(tx);
        inFlight[from] = new Transfer(hash, from, to, amount, nonce, -1);
        try {
          SubmitTransactionResponse ack = client.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build());
          Transfer t = new Transfer(hash, from, to, amount, nonce, ack.getJournalIndex());
          acknowledged.put(hash, t);
          nextNonce[from] = nonce + 1;
          inFlight[from] = null;
          Thread.sleep(r.nextInt(PAUSE_MIN_MS, PAUSE_MAX_MS));
        } catch (StatusRuntimeException e) {
          Status.Code code = e.getStatus().getCode();
          if (code == Status.Code.RESOURCE_EXHAUSTED) {
            inFlight[from] = null; // refused before it was sequenced: try again
            continue;
          }
          if (stopping || code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED || code == Status.Code.DEADLINE_EXCEEDED) {
            return; // the node was killed with it in flight: resolved after the restart
          }
          throw new AssertionError("transfer " + from + " → " + to + " nonce " + nonce + " refused: " + e.getStatus(), e);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Called after the kill: the threads end at their next answer (an error). */
    void stop() throws InterruptedException {
      stopping = true;
      for (Thread t : threads) {
        t.interrupt(); // out of its pause; a call in flight already failed with the node
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as("%s ends once the node is gone", t.getName()).isFalse();
      }
    }
  }

  /**
   * A transfer in flight at the kill was journaled if and only if its sender's nonce moved past it;
   * then it counts as applied (its journal index from the node), else it is forgotten and its nonce
   * used again.
   */
  private void resolveInFlight(Client c) {
    for (int u = 1; u <= USERS; u++) {
      Transfer t = inFlight[u];
      if (t == null) {
        continue;
      }
      long pending = c.pendingNonce(u).orElseThrow();
      assertThat(pending).as("account %d's nonce: what its client had acknowledged, or that plus the one in flight", u).isBetween(t.nonce(), t.nonce() + 1);
      if (pending == t.nonce() + 1) {
        GetTransactionStatusResponse s = txStatus(c, t.hash());
        acknowledged.put(t.hash(), new Transfer(t.hash(), t.from(), t.to(), t.amount(), t.nonce(), s.getJournalIndex()));
        nextNonce[u] = t.nonce() + 1;
        inFlightJournaled++;
      } else {
        inFlightLost++;
      }
      inFlight[u] = null;
    }
  }

  private static GetTransactionStatusResponse txStatus(Client c, Fr hash) {
    return c.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(com.google.protobuf.ByteString.copyFrom(hash.toBytes())).build());
  }

  // ------------------------------------------------------------------ checks

  /**
   * After a restart: every transfer acknowledged so far is known at its journal index, each
   * client's nonce is where its record says (the in-flight one aside), and L1's root after its last
   * batch is the node's root after the same batch.
   */
  private void checkRecovery(Client c) throws Exception {
    for (Transfer t : acknowledged.values()) {
      GetTransactionStatusResponse s = txStatus(c, t.hash());
      assertThat(s.getJournalIndex()).as("journal index of acknowledged transfer %d → %d nonce %d", t.from(), t.to(), t.nonce()).isEqualTo(t.journalIndex());
    }
    for (int u = 1; u <= USERS; u++) {
      long pending = c.pendingNonce(u).orElseThrow();
      assertThat(pending - nextNonce[u]).as("account %d's nonce after the restart, against its client's record", u).isBetween(0L, inFlight[u] != null ? 1L : 0L);
    }
    Rollup reader = chain.reader(rollup);
    long onL1 = reader.batchCount().send().longValueExact();
    BigInteger l1Root = reader.stateRoot().send();
    if (onL1 > 0) {
      BatchEvent b = batch(c, onL1 - 1);
      assertThat(Numeric.toBigInt(b.getNewRoot().toByteArray())).as("the node's root after batch %d, L1's last", onL1 - 1).isEqualTo(l1Root);
    }
  }

  /** The node's batch {@code n} as it streams it (its first event). */
  private static BatchEvent batch(Client c, long n) {
    Iterator<BatchEvent> events = c.stub().streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(n).build());
    BatchEvent e = events.next();
    assertThat(e.getBatchNumber()).isEqualTo(n);
    return e;
  }

  private void finalAudit(Client c) throws Exception {
    Rollup reader = chain.reader(rollup);
    // The open batch seals by the clock; wait for L1 to have every batch and every transfer in one.
    await(
        () -> {
          GetNodeStatusResponse s = c.status();
          return s.getSealedBatches() == s.getBuiltBatches()
              && readCount(reader) == s.getSealedBatches()
              && acknowledged.values().stream().allMatch(t -> txStatus(c, t.hash()).getStage() == TransactionStage.PUBLISHED);
        },
        "L1 to have every batch the node sealed, with every acknowledged transfer");
    GetNodeStatusResponse s = c.status();
    long batches = s.getSealedBatches();

    // L1: one BatchCommitted per batch number, and the node's root.
    List<Long> committed = new ArrayList<>();
    for (Log log : chain.logs(rollup, Rollup.BATCHCOMMITTED_EVENT)) {
      committed.add(Numeric.toBigInt(log.getData().substring(2, 66)).longValueExact());
    }
    committedTwice = committed.size() - committed.stream().distinct().count();
    batchesOnL1 = batches;
    assertThat(committed).as("BatchCommitted events: each batch once, in order").containsExactlyElementsOf(java.util.stream.LongStream.range(0, batches).boxed().toList());
    assertThat(Numeric.toBigInt(s.getStateRoot().toByteArray())).as("the node's root is L1's").isEqualTo(reader.stateRoot().send());

    // Every acknowledged transfer published, in one batch.
    lost = acknowledged.values().stream().filter(t -> txStatus(c, t.hash()).getStage() != TransactionStage.PUBLISHED).count();
    for (Transfer t : acknowledged.values()) {
      GetTransactionStatusResponse st = txStatus(c, t.hash());
      assertThat(st.getStage()).as("transfer %d nonce %d", t.from(), t.nonce()).isEqualTo(TransactionStage.PUBLISHED);
      assertThat(st.getJournalIndex()).isEqualTo(t.journalIndex());
      assertThat(st.getBatchNumber()).isLessThan(batches);
    }

    // L1's calldata alone, against the clients' record.
    StateFromL1.Rebuilt l1 = StateFromL1.read(URI.create(chain.url()), rollup, Optional.empty());
    assertThat(l1.state().batchCount()).isEqualTo(batches);
    Map<Integer, BigInteger> expected = new HashMap<>();
    Map<Integer, Long> nonces = new HashMap<>();
    for (int u = 0; u <= USERS; u++) {
      expected.put(u, u == 0 ? BigInteger.ZERO : deposited[u]);
      nonces.put(u, 0L);
    }
    for (Transfer t : acknowledged.values()) {
      expected.merge(t.from(), t.amount().add(FEE).negate(), BigInteger::add);
      expected.merge(t.to(), t.amount(), BigInteger::add);
      expected.merge(0, FEE, BigInteger::add);
      nonces.merge(t.from(), 1L, Long::sum);
    }
    for (int u = 0; u <= USERS; u++) {
      AccountLeaf a = l1.accounts().get((long) u);
      assertThat(a).as("account %d on L1", u).isNotNull();
      duplicated += Math.max(0, a.nonce() - nonces.get(u));
      assertThat(a.nonce()).as("account %d's nonce on L1: its acknowledged transfers, each once", u).isEqualTo(nonces.get(u));
      assertThat(a.balance()).as("account %d's balance on L1: deposits once each, acknowledged transfers once each", u).isEqualTo(expected.get(u));
    }
    assertThat(l1.accounts()).as("no account made by a deposit fed twice").hasSize(USERS + 1);
    assertThat(l1.unconsumedDeposits()).as("every deposit in a committed batch").isEmpty();
  }

  private static long readCount(Rollup reader) {
    try {
      return reader.batchCount().send().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
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
}
