package io.zkrollup.aggregator.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.l1.L1State;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.DevL1;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.RollupDeployment;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.node.RollupNode;
import io.zkrollup.aggregator.process.KeySetup;
import io.zkrollup.aggregator.process.LocalWorkers;
import io.zkrollup.aggregator.runtime.NodeRuntime;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup quickstart}: the whole system on one machine, on a real L1: a local anvil (the
 * pinned binary in {@code contracts/node_modules}) with Rollup.sol and the verifier exported from
 * the keys. Three users deposit on L1 with transactions, transfer on L2 and leave with one batched
 * withdrawal; a local prover worker proves every batch, the node commits each to the contract, and
 * the users claim with transactions. What it prints about L1 comes from the contract; it checks
 * that the contract and the node agree and that every claim paid what was withdrawn.
 */
@Command(
    name = "quickstart",
    description = {
      "Run the rollup end to end on a local anvil with Rollup.sol: deposits, transfers, a batched withdrawal,",
      "proofs, commits and claims, printing batches, roots, proof times and L1 gas. Keys are set up once and",
      "kept in --dir; the rollup and its chain start fresh every run. Needs Node.js and contracts/node_modules."
    })
final class QuickstartCommand implements Callable<Integer> {

  /** The users' signatures name it: the rollup id Rollup.sol derived (chain id and address), set once it is deployed. */
  private long rollupId;
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  private static final BigInteger FEE = BigInteger.TEN.pow(12);
  private static final BigInteger DEPOSIT = ETH;

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "Keys (kept) and the run's node and L1 data (default: TMPDIR/zkrollup-quickstart).")
  Path dir = Path.of(System.getProperty("java.io.tmpdir"), "zkrollup-quickstart");

  @Option(names = "--slots", defaultValue = "10", paramLabel = "B", description = "Slots per batch, ≥ 5 (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--depth", defaultValue = "8", paramLabel = "D", description = "State tree depth (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--prover", defaultValue = "groth16", description = "groth16 or plonk (Rollup.sol takes PLONK through PlonkVerifierAdapter) (default ${DEFAULT-VALUE}).")
  String prover;

  @Option(names = "--local-workers", defaultValue = "1", description = "Prover worker processes the node starts (default ${DEFAULT-VALUE}).")
  int localWorkers;

  @Option(names = "--timeout-s", defaultValue = "900", description = "Give up if the run is not published by then (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** One L1 user with an L2 account. */
  private record User(String name, Credentials l1Key, Wallet wallet) {
    L1Address l1() {
      return L1Address.of(Numeric.hexStringToByteArray(l1Key.getAddress()));
    }
  }

  /** The contract as the quick start sees it: one binding per signer, and the chain. */
  private record L1(DevL1 dev, Web3j web3, long chainId, String address) {
    Rollup as(Credentials signer) {
      return Rollup.load(address, web3, new RawTransactionManager(web3, signer, chainId, new PollingTransactionReceiptProcessor(web3, 100, 600)), new EstimatingGasProvider(web3, chainId));
    }

    Rollup reader() {
      return Rollup.load(address, web3, new ReadonlyTransactionManager(web3, address), new EstimatingGasProvider(web3, chainId));
    }

    L1State state() throws Exception {
      Rollup r = reader();
      return new L1State(
          Fr.of(r.stateRoot().send()), r.batchCount().send().longValueExact(), r.requestCount().send().longValueExact(), r.requestsConsumed().send().longValueExact(), r.exodus().send());
    }

    BigInteger balance(String address) throws IOException {
      return web3.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }
  }

  /** What the quickstart saw of a batch (written under the map's lock in {@link #record}). */
  private static final class BatchLine {
    StoredBatch batch;
    boolean sealed;
    long proveMillis = -1;
    boolean published;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // The node's INFO log would interleave with the story; warnings and errors still show.
    Logger root = Logger.getLogger("");
    Level level = root.getLevel();
    root.setLevel(Level.WARNING);
    try {
      return run(out);
    } finally {
      root.setLevel(level);
    }
  }

  private int run(PrintWriter out) throws Exception {
    ProofSystem system = ProofSystem.parse(prover);
    ContractsDir contracts = ContractsDir.locate(); // fails first, naming the install command
    Poseidon2 poseidon2 = new Poseidon2();
    LibZkProver lib = LibZkProver.load();
    Path keys = dir.resolve("keys-" + system.label() + "-b" + slots + "-d" + depth);
    Path run = dir.resolve("run");
    deleteTree(run);

    out.printf("zkrollup quickstart: B=%d slots per batch, tree depth %d, %s, %d local prover worker(s)%n", slots, depth, system.label(), localWorkers);
    out.printf("data in %s%n%n", dir.toAbsolutePath());

    out.println("1. Proving keys");
    Optional<String> unusable = Files.exists(keys.resolve("manifest.json")) ? whyNotLoading(lib, keys) : Optional.empty();
    if (unusable.isPresent()) {
      // An older circuit version's keys, or damaged files: the quick start owns this directory.
      out.printf("  the keys in %s do not load (%s); setting them up again%n", keys, unusable.get());
      deleteTree(keys);
    }
    if (Files.exists(keys.resolve("manifest.json"))) {
      out.printf("  using the keys set up before in %s%n", keys);
    } else {
      List<String> report = new ArrayList<>();
      try (Progress p = Progress.start(out, "setting up " + system.label() + " development keys in a child process (once; kept for the next run)")) {
        KeySetup.ensure(keys, system, slots, depth, DataAvailability.ROLLUP, report::add);
      }
      report.stream().filter(l -> l.startsWith("constraints") || l.startsWith("proving.key")).forEach(l -> out.println("  " + l));
    }

    User operator = user("operator", 0);
    Fr operatorKeyHash = GenesisFile.keyHash(poseidon2, operator.wallet().publicKey());
    out.println();
    out.println("2. L1 and node");
    DevL1 dev;
    try (Progress p = Progress.start(out, "starting anvil and deploying the verifier of these keys and Rollup.sol");
        GnarkVerifier loaded = GnarkVerifier.load(lib, keys)) {
      dev = DevL1.start(run.resolve("l1"), contracts, loaded, operatorKeyHash, false);
    }
    try (dev) {
      RollupDeployment d = dev.deployment();
      rollupId = d.rollupId();
      out.printf("  anvil %s (chain %d, a local Ethereum node); verifier %s, Rollup %s (rollup id %s)%n", d.rpc(), d.chainId(), d.verifier(), d.rollup(), Long.toUnsignedString(rollupId));
      L1Endpoint.Ethereum endpoint =
          new L1Endpoint.Ethereum(d.rpc(), d.rollup(), dev.operatorKeyFile(), OptionalLong.of(d.chainId()), 100, 1, OptionalLong.of(d.deploymentBlock()), true);
      NodeConfig config =
          NodeConfig.builder(run.resolve("node"), operatorKeyHash)
              .rollupId(rollupId)
              .slots(slots)
              .depth(depth)
              .fee(FEE)
              .sealAfterMillis(300)
              .ringSize(1024)
              .verifiers(2)
              .maxListSize(64)
              .sealerQueue(16)
              .proving(new NodeConfig.Proving(system, keys, new JobCoordinator.Settings(30_000, 5_000, 3, 20_000)))
              .l1(endpoint)
              .build();
      L1 l1 = new L1(dev, dev.anvil().web3(), d.chainId(), d.rollup());
      return runNode(out, lib, poseidon2, config, l1);
    }
  }

  private int runNode(PrintWriter out, LibZkProver lib, Poseidon2 poseidon2, NodeConfig config, L1 l1) throws Exception {
    Map<Long, BatchLine> batches = new TreeMap<>();
    NodeRuntime runtime;
    Path keys = config.proving().orElseThrow().keyDir();
    try (Progress p = Progress.start(out, "starting the node on the L1, with " + localWorkers + " prover worker process(es)")) {
      runtime =
          NodeRuntime.start(
              NodeRuntime.Settings.of(config, NodeRuntime.Listen.loopback(), ZkRollupCli.version()).withWorkers(LocalWorkers.Settings.of(localWorkers, keys)),
              lib.versions());
    }
    RollupNode node = runtime.node();
    try (runtime;
        AutoCloseable events = node.subscribe(u -> record(out, batches, u))) {
      // Batches built before the subscription (batch 0 is built as the node starts).
      for (long n = 0; n < node.progress().builtBatches(); n++) {
        node.batch(n).ifPresent(b -> record(out, batches, new BatchUpdate(b, BatchUpdate.Stage.SEALED, 0)));
      }
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", runtime.apiPort()).usePlaintext().build();
      try {
        out.printf("  RollupService on 127.0.0.1:%d; the contract's genesis root %s%n", runtime.apiPort(), shortHex(l1.state().stateRoot()));
        return scenario(out, node, RollupServiceGrpc.newBlockingStub(channel), batches, poseidon2, l1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private int scenario(PrintWriter out, RollupNode node, RollupServiceGrpc.RollupServiceBlockingStub rollup, Map<Long, BatchLine> batches, Poseidon2 poseidon2, L1 l1)
      throws Exception {
    List<User> users = List.of(user("alice", 1), user("bob", 2), user("carol", 3));

    out.println();
    out.println("3. Deposits on L1 (anvil sets each user's balance to 2 ETH; each sends deposit() to Rollup.sol)");
    for (User u : users) {
      l1.dev().anvil().setBalance(u.l1Key().getAddress(), ETH.shiftLeft(1));
      // The user's L1 address owns the account: it alone could force a withdrawal from it or exit it.
      TransactionReceipt r = l1.as(u.l1Key()).deposit(GenesisFile.keyHash(poseidon2, u.wallet().publicKey()).toBytes(), u.l1Key().getAddress(), DEPOSIT).send();
      long index = Rollup.getDepositEvents(r).get(0).index.longValueExact();
      out.printf("  %-5s %s deposits %s ETH (L1 queue entry %d, gas %,d)%n", u.name(), u.l1(), eth(DEPOSIT), index, r.getGasUsed());
    }
    awaitOrFail(() -> users.stream().allMatch(u -> node.pendingAccount(u.wallet().account()).isPresent()), "the deposits to reach the node");
    for (User u : users) {
      GetAccountResponse a = rollup.getAccount(GetAccountRequest.newBuilder().setIndex((int) u.wallet().account()).build());
      ByteString expected = ByteString.copyFrom(GenesisFile.keyHash(poseidon2, u.wallet().publicKey()).toBytes());
      if (!a.getPending().getKeyHash().equals(expected)) {
        throw new IllegalStateException(u.name() + "'s deposit landed elsewhere than account " + u.wallet().account());
      }
      out.printf("  %-5s has L2 account %d with %s ETH%n", u.name(), a.getIndex(), eth(new BigInteger(a.getPending().getBalance())));
    }

    out.println();
    out.printf("4. Transfers on L2 (each signed op pays the batch fee of %s ETH to the operator)%n", eth(FEE));
    List<ByteString> txs = new ArrayList<>();
    BigInteger quarter = ETH.divide(BigInteger.valueOf(4));
    BigInteger tenth = ETH.divide(BigInteger.TEN);
    txs.add(transfer(out, rollup, users.get(0), users.get(1), quarter, 0));
    txs.add(transfer(out, rollup, users.get(1), users.get(2), tenth, 0));
    txs.add(transfer(out, rollup, users.get(2), users.get(0), tenth, 0));

    out.println();
    out.println("5. One batched withdrawal: an atomic list of each user's withdrawal to their L1 address");
    List<BigInteger> withdrawn = new ArrayList<>();
    SubmitTransactionsRequest.Builder list = SubmitTransactionsRequest.newBuilder();
    for (User u : users) {
      BigInteger balance = node.pendingAccount(u.wallet().account()).orElseThrow().balance();
      BigInteger amount = balance.subtract(FEE);
      withdrawn.add(amount);
      list.addTransactions(u.wallet().withdrawal(u.l1(), amount, FEE, 1));
      out.printf("  %-5s withdraws %s ETH (all but the fee) to %s%n", u.name(), eth(amount), u.l1());
    }
    rollup.submitTransactions(list.build()).getAcceptedList().forEach(a -> txs.add(a.getTxHash()));

    out.println();
    out.println("6. Proving and publishing (batch lines appear as the node seals, proves and commits to Rollup.sol)");
    try (Progress p =
        Progress.start(
            out,
            "waiting for every transaction to be published on L1",
            () -> {
              var s = rollup.getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
              return s.getProvenBatches() + " of " + s.getSealedBatches() + " batches proven, " + node.publishedBatches() + " committed";
            })) {
      awaitOrFail(
          () ->
              txs.stream()
                  .allMatch(h -> rollup.getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(h).build()).getStage() == TransactionStage.PUBLISHED),
          "every transaction to be published");
    }

    out.println();
    out.println("7. Claims on L1 (each user sends claim() to Rollup.sol)");
    boolean paid = true;
    for (int i = 0; i < users.size(); i++) {
      User u = users.get(i);
      String address = u.l1Key().getAddress();
      BigInteger before = l1.balance(address);
      TransactionReceipt r = l1.as(u.l1Key()).claim(BigInteger.ZERO).send();
      BigInteger amount = Rollup.getClaimedEvents(r).get(0).amount;
      BigInteger gas = r.getGasUsed().multiply(Numeric.toBigInt(r.getEffectiveGasPrice()));
      // Paid exactly what was withdrawn: the event's amount, the balance's change, nothing left pending.
      BigInteger after = l1.balance(address);
      boolean exact = amount.equals(withdrawn.get(i)) && after.equals(before.add(amount).subtract(gas)) && l1.reader().pendingWithdrawal(BigInteger.ZERO, address).send().signum() == 0;
      paid &= exact;
      // What the user paid for gas on L1 (its deposit and its claim): the balance says it exactly.
      BigInteger gasPaid = ETH.shiftLeft(1).subtract(DEPOSIT).add(amount).subtract(after);
      out.printf(
          "  %-5s claims %s ETH (its Claimed event); L1 balance now %s ETH (%s ETH of it went to L1 gas)%s%n",
          u.name(), eth(amount), eth6(after), eth6(gasPaid), exact ? "" : " — NOT WHAT WAS WITHDRAWN (" + eth(withdrawn.get(i)) + ")");
    }
    return summary(out, node, l1, batches) && paid ? 0 : 1;
  }

  private boolean summary(PrintWriter out, RollupNode node, L1 l1, Map<Long, BatchLine> batches) throws Exception {
    out.println();
    out.println("8. Summary");
    out.println("  batch  ops  old root → new root              proof     public data  commitBatch gas");
    Map<Long, BigInteger> gasByBatch = commitGas(l1);
    long proveTotal = 0;
    BigInteger gasTotal = BigInteger.ZERO;
    List<BatchLine> lines;
    synchronized (batches) {
      lines = new ArrayList<>(batches.values());
    }
    for (BatchLine b : lines) {
      if (b.batch == null || !b.published) {
        continue;
      }
      BigInteger gas = gasByBatch.getOrDefault(b.batch.number(), BigInteger.ZERO);
      proveTotal += Math.max(0, b.proveMillis);
      gasTotal = gasTotal.add(gas);
      out.printf(
          Locale.ROOT,
          "  %5d  %3d  %s → %s  %6.2f s  %5d bytes  %,15d%n",
          b.batch.number(), b.batch.ops(), shortHex(b.batch.oldRoot()), shortHex(b.batch.newRoot()), b.proveMillis / 1000.0, b.batch.l1Data().length, gas);
    }
    L1State state = l1.state();
    var progress = node.progress();
    boolean agree = state.stateRoot().equals(progress.stateRoot()) && state.batchCount() == progress.builtBatches();
    out.printf(
        Locale.ROOT,
        "  %d batches proven in %.1f s of proving; Rollup.sol verified each proof in commitBatch, %,d gas in all (receipts on anvil)%n",
        state.batchCount(), proveTotal / 1000.0, gasTotal);
    out.printf(
        "  L1 contract: root %s, %d batches, %d of %d priority requests consumed (read from Rollup.sol)%n", shortHex(state.stateRoot()), state.batchCount(), state.requestsConsumed(),
        state.requestCount());
    out.printf("  node:        root %s, %d batches built — %s%n", shortHex(progress.stateRoot()), progress.builtBatches(), agree ? "L1 and the node agree" : "MISMATCH");
    out.flush();
    return agree;
  }

  /** The gas of each batch's commit: the receipts of the contract's BatchCommitted events. */
  private static Map<Long, BigInteger> commitGas(L1 l1) throws IOException {
    EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, l1.address());
    filter.addSingleTopic(EventEncoder.encode(Rollup.BATCHCOMMITTED_EVENT));
    Map<Long, BigInteger> gas = new TreeMap<>();
    for (EthLog.LogResult<?> r : l1.web3().ethGetLogs(filter).send().getLogs()) {
      Log log = (Log) r.get();
      long n = Rollup.getBatchCommittedEventFromLog(log).batchNumber.longValueExact();
      gas.put(n, l1.web3().ethGetTransactionReceipt(log.getTransactionHash()).send().getTransactionReceipt().orElseThrow().getGasUsed());
    }
    return gas;
  }

  private static ByteString transfer(PrintWriter out, RollupServiceGrpc.RollupServiceBlockingStub rollup, User from, User to, BigInteger amount, long nonce) {
    SignedTransaction tx = from.wallet().transfer(to.wallet().account(), amount, FEE, nonce);
    ByteString hash = rollup.submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build()).getTxHash();
    out.printf("  %-5s → %-5s %s ETH%n", from.name(), to.name(), eth(amount));
    return hash;
  }

  private static void record(PrintWriter out, Map<Long, BatchLine> batches, BatchUpdate u) {
    synchronized (batches) {
      recordLocked(out, batches, u);
    }
  }

  private static void recordLocked(PrintWriter out, Map<Long, BatchLine> batches, BatchUpdate u) {
    StoredBatch b = u.batch();
    BatchLine line = batches.computeIfAbsent(b.number(), n -> new BatchLine());
    line.batch = b;
    switch (u.stage()) {
      case SEALED:
        if (line.sealed) {
          return;
        }
        line.sealed = true;
        out.printf("    batch %d sealed: %d ops, root %s → %s%n", b.number(), b.ops(), shortHex(b.oldRoot()), shortHex(b.newRoot()));
        break;
      case PROVEN:
        line.proveMillis = u.proveMillis();
        out.printf(Locale.ROOT, "    batch %d proven in %.2f s and verified%n", b.number(), u.proveMillis() / 1000.0);
        break;
      case PUBLISHED:
        line.published = true;
        out.printf(Locale.ROOT, "    batch %d published: Rollup.sol on anvil verified its proof and moved to root %s%n", b.number(), shortHex(b.newRoot()));
        break;
      default:
        break;
    }
    out.flush();
  }

  private User user(String name, long account) {
    byte[] seed = sha256("zkrollup quickstart " + name);
    // A deterministic L1 key per user (a development chain's: never fund it on a real one).
    Credentials l1Key = Credentials.create(Numeric.toHexStringNoPrefix(sha256("zkrollup quickstart L1 " + name)));
    return new User(name, l1Key, Wallet.fromSeed(seed, account, rollupId));
  }

  /** Why the key directory does not load (e.g. keys of an older circuit version), if it does not. */
  private static Optional<String> whyNotLoading(LibZkProver lib, Path keys) {
    try (GnarkVerifier ignored = GnarkVerifier.load(lib, keys)) {
      return Optional.empty();
    } catch (NativeProverException e) {
      return Optional.of(e.getMessage());
    }
  }

  private void awaitOrFail(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String eth(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
  }

  /** Wei as ETH rounded to 6 decimals (gas costs make L1 balances long). */
  private static String eth6(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).setScale(6, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static String shortHex(Fr value) {
    String hex = value.toBigInteger().toString(16);
    hex = "0".repeat(64 - hex.length()) + hex;
    return "0x" + hex.substring(0, 6) + "…" + hex.substring(60);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
