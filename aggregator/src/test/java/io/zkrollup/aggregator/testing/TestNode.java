package io.zkrollup.aggregator.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.l1.RollupId;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.node.RollupNode;
import io.zkrollup.aggregator.process.LocalWorkers;
import io.zkrollup.aggregator.runtime.NodeRuntime;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A node for tests: small tree and batches, accounts 1..n funded at genesis (account 0 is the
 * operator), served over a real Netty channel on loopback.
 */
public final class TestNode implements AutoCloseable {

  /** The rollup id of a test node without an L1 (a node on L1 takes its contract's: {@link #onL1}). */
  public static final long ROLLUP = 7;
  public static final Poseidon2 POSEIDON2 = new Poseidon2();
  /** The L1 owner of the genesis accounts (a node without L1 never asks for it). */
  public static final L1Address OWNER = L1Address.fromHex("0x000000000000000000000000000000000000c0de");

  public final Path dataDir;
  public final NodeConfig config;
  public final List<Wallet> wallets;
  private final LocalWorkers.Settings workers;
  public NodeRuntime runtime;
  public RollupNode node;
  public ManagedChannel channel;

  private TestNode(Path dataDir, NodeConfig config, List<Wallet> wallets, LocalWorkers.Settings workers) {
    this.dataDir = dataDir;
    this.config = config;
    this.wallets = wallets;
    this.workers = workers;
  }

  /** Deterministic wallet {@code i} (index i; 0 is the operator), signing for {@link #ROLLUP}. */
  public static Wallet wallet(int i) {
    return wallet(i, ROLLUP);
  }

  /** Deterministic wallet {@code i} (the same key as {@link #wallet(int)}), signing for rollup {@code rollupId}. */
  public static Wallet wallet(int i, long rollupId) {
    return Wallet.fromSeed(seed(i), i, rollupId);
  }

  /** The seed of wallet {@code i}'s key (for key files). */
  public static byte[] seed(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >> 8);
    seed[31] = 0x5a;
    return seed;
  }

  /**
   * {@code config} on the Rollup contract of {@code l1}, with the rollup id read from the contract,
   * as {@code zkrollup node} does: the contract derives it, and the node refuses any other.
   */
  public static NodeConfig onL1(NodeConfig config, L1Endpoint.Ethereum l1) {
    return config.toBuilder().rollupId(RollupId.read(l1.rpc(), l1.contract(), l1.chainId())).l1(l1).build();
  }

  /** Settings to change per test. */
  public record Options(int slots, int depth, long fee, int accounts, BigInteger balance, long sealAfterMillis, int ringSize, int maxList, Optional<ProofSystem> prover, Path keyDir, int localWorkers, JobCoordinator.Settings leases, List<String> workerJvm, Map<String, String> workerEnv) {
    public static Options defaults() {
      // Small test circuits: a small heap keeps several worker JVMs within a 2-core CI machine.
      return new Options(8, 8, 1, 8, BigInteger.valueOf(1_000_000), 200, 1024, 16, Optional.empty(), null, 1, JobCoordinator.Settings.defaults(), List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of());
    }

    public Options withSealAfter(long ms) {
      return new Options(slots, depth, fee, accounts, balance, ms, ringSize, maxList, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    public Options withFee(long f) {
      return new Options(slots, depth, f, accounts, balance, sealAfterMillis, ringSize, maxList, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    public Options withRingSize(int r) {
      return new Options(slots, depth, fee, accounts, balance, sealAfterMillis, r, maxList, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    public Options withDepth(int d) {
      return new Options(slots, d, fee, accounts, balance, sealAfterMillis, ringSize, maxList, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    public Options withMaxList(int n) {
      return new Options(slots, depth, fee, accounts, balance, sealAfterMillis, ringSize, n, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    public Options withAccounts(int n) {
      return new Options(slots, depth, fee, n, balance, sealAfterMillis, ringSize, maxList, prover, keyDir, localWorkers, leases, workerJvm, workerEnv);
    }

    /** {@code local} workers in the node, and these lease settings for the coordinator. */
    public Options withWorkers(int local, JobCoordinator.Settings l) {
      return new Options(slots, depth, fee, accounts, balance, sealAfterMillis, ringSize, maxList, prover, keyDir, local, l, workerJvm, workerEnv);
    }

    /** Adds {@code jvm} options and {@code env} variables to the local worker processes. */
    public Options withWorkerProcess(List<String> jvm, Map<String, String> env) {
      List<String> all = new ArrayList<>(workerJvm);
      all.addAll(jvm);
      return new Options(slots, depth, fee, accounts, balance, sealAfterMillis, ringSize, maxList, prover, keyDir, localWorkers, leases, all, env);
    }

    public Options withProver(ProofSystem s, Path keys, int b, int d) {
      return new Options(b, d, fee, accounts, balance, sealAfterMillis, ringSize, maxList, Optional.of(s), keys, localWorkers, leases, workerJvm, workerEnv);
    }
  }

  public static TestNode start(Path dataDir, Options o) {
    List<Wallet> wallets = new ArrayList<>();
    for (int i = 0; i <= o.accounts(); i++) {
      wallets.add(wallet(i));
    }
    LocalWorkers.Settings workers =
        LocalWorkers.Settings.of(o.prover().isPresent() ? o.localWorkers() : 0, o.keyDir() != null ? o.keyDir() : dataDir)
            .withProcess(o.workerJvm(), o.workerEnv())
            .withRestartDelays(Duration.ofMillis(200), Duration.ofSeconds(2));
    TestNode t = new TestNode(dataDir, configFor(dataDir, o), wallets, workers);
    t.open();
    return t;
  }

  /** Starts a node with {@code config} as it is, no local workers, and wallets 0..{@code accounts} signing for its rollup id. */
  public static TestNode start(NodeConfig config, int accounts) {
    return start(config, accounts, 0);
  }

  /**
   * Starts a node with {@code config} as it is, {@code localWorkers} prover worker processes on its
   * key directory, and wallets 0..{@code accounts}.
   */
  public static TestNode start(NodeConfig config, int accounts, int localWorkers) {
    List<Wallet> wallets = new ArrayList<>();
    for (int i = 0; i <= accounts; i++) {
      wallets.add(wallet(i, config.rollupId()));
    }
    LocalWorkers.Settings workers =
        LocalWorkers.Settings.of(localWorkers, config.proving().map(NodeConfig.Proving::keyDir).orElse(config.dataDir()))
            .withProcess(Options.defaults().workerJvm(), Map.of());
    TestNode t = new TestNode(config.dataDir(), config, wallets, workers);
    t.open();
    return t;
  }

  /** The configuration {@link #start} starts a node with. */
  public static NodeConfig configFor(Path dataDir, Options o) {
    List<Deposit> genesis = new ArrayList<>();
    for (int i = 1; i <= o.accounts(); i++) {
      genesis.add(new Deposit(i, GenesisFile.keyHash(POSEIDON2, wallet(i).publicKey()), OWNER, o.balance()));
    }
    return NodeConfig.builder(dataDir, GenesisFile.keyHash(POSEIDON2, wallet(0).publicKey()))
        .rollupId(ROLLUP)
        .slots(o.slots())
        .depth(o.depth())
        .fee(BigInteger.valueOf(o.fee()))
        .genesis(genesis)
        .sealAfterMillis(o.sealAfterMillis())
        .ringSize(o.ringSize())
        .verifiers(2)
        .maxListSize(o.maxList())
        .sealerQueue(16)
        .proving(o.prover().map(system -> new NodeConfig.Proving(system, o.keyDir(), o.leases())))
        .build();
  }

  /** Starts the node with its server and local workers, and a channel to it (again, after {@link #stop}). */
  public void open() {
    NodeRuntime.Settings settings = NodeRuntime.Settings.of(config, NodeRuntime.Listen.loopback(), "test").withWorkers(workers);
    runtime = NodeRuntime.start(settings, LibZkProver.load().versions());
    node = runtime.node();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", runtime.apiPort()).usePlaintext().build();
  }

  /** Stops channel, server and node; the data directory stays. */
  public void stop() {
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (runtime != null) {
      runtime.close();
    }
    channel = null;
    runtime = null;
    node = null;
  }

  public RollupServiceGrpc.RollupServiceBlockingStub stub() {
    return RollupServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public GetNodeStatusResponse status() {
    return stub().getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
  }

  /** Polls the node status until {@code done} holds. */
  public GetNodeStatusResponse await(Predicate<GetNodeStatusResponse> done, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    GetNodeStatusResponse s = status();
    while (!done.test(s)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting; last status " + s);
      }
      Thread.sleep(20);
      s = status();
    }
    return s;
  }

  @Override
  public void close() {
    stop();
  }
}
