package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.grpc.CoordinatorServer;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The "done when": a node on Rollup.sol on anvil ({@link L1Endpoint.Ethereum}), no local
 * workers, two {@code zkrollup.jar worker} processes proving real Groth16 proofs (B=5, D=4). L1
 * users deposit through the contract, their accounts appear on the node, wallets transfer over
 * gRPC, an exchange submits several withdrawals to different L1 addresses as one atomic list, the
 * workers prove, the node's publisher commits every batch on L1, and each owner claims on L1. The
 * node restarts once after some batches are published: no batch is published twice. A withdrawal
 * to a contract whose receive() re-enters {@code claim()} ({@code contracts/test/ReentrantClaimer.sol})
 * is paid once. The node's RPC goes away for a few seconds on the way: the node rides it out.
 */
class AnvilEndToEndIT {

  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final BigInteger DEPOSIT = new BigInteger("500000000000000000"); // 0.5 ETH
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  /** Withdrawals of wallets 1..3 (exact integers, wei). */
  private static final List<BigInteger> WITHDRAWN = List.of(new BigInteger("123456789012345"), new BigInteger("200000000000000001"), BigInteger.valueOf(7));

  private static final BigInteger ATTACKER_WITHDRAWN = BigInteger.valueOf(1_000_000_007);
  /** Deposited to wallet 2 after the node's restart. */
  private static final BigInteger LATE_DEPOSIT = BigInteger.valueOf(5);

  @TempDir Path dir;
  private final List<Process> workers = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<Long> published = new CopyOnWriteArrayList<>();
  private L1Chain chain;
  private TestNode node;
  private CoordinatorServer server;
  private RpcProxy proxy;

  @AfterEach
  void stop() throws Exception {
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    Await.until(PATIENCE, done, what);
  }

  private static Fr keyHash(TestNode t, int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, t.wallets.get(wallet).publicKey());
  }

  private static L1Address l1(Credentials c) {
    return L1Address.of(Numeric.hexStringToByteArray(c.getAddress()));
  }

  /** Follows PUBLISHED updates and serves the coordinator on {@code coordinatorPort}. */
  private void serve(int coordinatorPort) {
    node.node.subscribe(u -> {
      if (u.stage() == BatchUpdate.Stage.PUBLISHED) {
        published.add(u.batch().number());
      }
    });
    server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", coordinatorPort, Optional.empty());
  }

  private void startWorker(String id) throws IOException {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    Path tmp = Files.createDirectories(dir.resolve("tmp-" + id));
    Path log = dir.resolve(id + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString(),
            "worker", "--coordinator", "localhost:" + server.port(), "--keys", ClusterTestKeys.dir().toString(), "--worker-id", id, "--lease-wait-ms", "1000",
            "--drain-timeout-s", "5");
    workers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    logs.add(log);
  }

  private void printLogs() throws IOException {
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      System.out.println("---- " + log.getFileName() + " (last lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
    }
  }

  @Test
  void depositsTransfersABatchedWithdrawalAndClaimsThroughRollupSolWithARestart() throws Exception {
    Path keys = ClusterTestKeys.dir();
    chain = L1Chain.start(dir.resolve("l1"));
    Fr operatorKeyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(0).publicKey());
    String verifier = chain.deployVerifier(keys);
    String rollup = chain.deployRollup(verifier, ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, L1Chain.emptyRoot(ClusterTestKeys.DEPTH), operatorKeyHash);

    // The node's own L1 account signs the commits; its key only in a file.
    Credentials operator = L1Chain.key(0x0b);
    chain.setBalance(operator.getAddress(), ETH.multiply(BigInteger.TEN));
    Path keyFile = dir.resolve("operator.key");
    Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64) + "\n");
    List<Credentials> users = List.of(L1Chain.key(0x11), L1Chain.key(0x12), L1Chain.key(0x13));
    List<Credentials> owners = List.of(L1Chain.key(0x21), L1Chain.key(0x22), L1Chain.key(0x23));
    for (Credentials c : users) {
      chain.setBalance(c.getAddress(), ETH.multiply(BigInteger.TWO));
    }
    for (Credentials c : owners) {
      chain.setBalance(c.getAddress(), ETH);
    }

    int coordinatorPort;
    try (ServerSocket s = new ServerSocket(0)) {
      coordinatorPort = s.getLocalPort();
    }
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, keys, ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(0)
            .withWorkers(0, new JobCoordinator.Settings(5_000, 500, 3, 2_000));
    NodeConfig c = TestNode.configFor(dir.resolve("node"), o);
    // The node reaches anvil through a proxy that the test takes down for a while.
    proxy = new RpcProxy(URI.create(chain.url()).getPort());
    L1Endpoint.Ethereum l1 = new L1Endpoint.Ethereum(URI.create(proxy.url()), rollup, keyFile, OptionalLong.of(chain.anvil.chainId()), 100, 1).acceptingDevelopmentKeys();
    NodeConfig config = TestNode.onL1(c, l1);
    node = TestNode.start(config, 3);
    serve(coordinatorPort);
    startWorker("w1");
    startWorker("w2");
    try {
      // L1 users deposit to the wallets' key hashes; the node places them at indices 1, 2, 3.
      for (int i = 0; i < 3; i++) {
        chain.deposit(users.get(i), rollup, keyHash(node, i + 1), DEPOSIT);
      }
      await(() -> node.node.pendingAccount(3).isPresent(), "the third deposit to reach the node");
      for (int a = 1; a <= 3; a++) {
        assertThat(node.node.pendingAccount(a).orElseThrow().keyHash()).isEqualTo(keyHash(node, a));
        assertThat(node.node.pendingAccount(a).orElseThrow().balance()).isEqualTo(DEPOSIT);
      }
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(2, BigInteger.valueOf(3_000), BigInteger.ONE, 0)).build());
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(2).transfer(3, BigInteger.valueOf(2_000), BigInteger.ONE, 0)).build());

      // Restart once L1 has some batches (the transfers' batch may still be unproven).
      await(() -> node.node.publishedBatches() >= 3, "three batches on L1");
      long before = chain.reader(rollup).batchCount().send().longValueExact();
      server.close();
      node.stop();
      assertThat(chain.reader(rollup).batchCount().send().longValueExact()).as("nothing is committed while the node is down").isGreaterThanOrEqualTo(before);
      node.open();
      serve(coordinatorPort);

      // A deposit after the restart is fed once, and none from before is fed again.
      chain.deposit(users.get(1), rollup, keyHash(node, 2), LATE_DEPOSIT);
      await(() -> node.node.pendingAccount(2).orElseThrow().balance().equals(DEPOSIT.subtract(BigInteger.valueOf(2_001)).add(BigInteger.valueOf(3_000)).add(LATE_DEPOSIT)), "the deposit after the restart to reach account 2");
      assertThat(node.node.pendingAccount(1).orElseThrow().balance()).as("no deposit fed twice").isEqualTo(DEPOSIT.subtract(BigInteger.valueOf(3_001)));
      assertThat(node.node.pendingAccount(4)).as("no account made by a deposit fed twice").isEmpty();

      // An exchange's batched withdrawal: one atomic list, three owners on L1.
      SubmitTransactionsRequest.Builder list = SubmitTransactionsRequest.newBuilder();
      long[] nonces = {1, 1, 0}; // wallets 1 and 2 made a transfer
      for (int i = 0; i < 3; i++) {
        list.addTransactions(node.wallets.get(i + 1).withdrawal(l1(owners.get(i)), WITHDRAWN.get(i), BigInteger.ONE, nonces[i]));
      }
      SubmitTransactionsResponse accepted = node.stub().submitTransactions(list.build());
      assertThat(accepted.getAcceptedCount()).isEqualTo(3);
      // L1 goes away for a few seconds while the withdrawals are proven: the node's L1 calls
      // retry, status queries do not touch L1, and publishing goes on once it is back.
      proxy.down();
      long t0 = System.nanoTime();
      for (var a : accepted.getAcceptedList()) {
        assertThat(node.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(a.getTxHash()).build()).getStage()).isNotEqualTo(TransactionStage.PUBLISHED);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("transaction status answers without asking L1").isLessThan(Duration.ofSeconds(1));
      Thread.sleep(3_000);
      proxy.up();

      // And one to a contract whose receive() re-enters claim().
      String attacker = chain.deploy(chain.contracts.dir().resolve("test/ReentrantClaimer.sol"), "ReentrantClaimer", new Address(rollup));
      node.stub().submitTransaction(
          SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).withdrawal(L1Address.of(Numeric.hexStringToByteArray(attacker)), ATTACKER_WITHDRAWN, BigInteger.ONE, 2)).build());

      await(
          () -> {
            GetNodeStatusResponse s = node.status();
            return s.getSealedBatches() >= 9 && s.getBuiltBatches() == s.getSealedBatches() && node.node.publishedBatches() == s.getSealedBatches();
          },
          "every batch to be committed on L1");
      GetNodeStatusResponse status = node.status();
      long batches = status.getSealedBatches();

      // L1 follows the node.
      assertThat(chain.reader(rollup).batchCount().send().longValueExact()).isEqualTo(batches).isEqualTo(node.node.publishedBatches());
      assertThat(Numeric.toBytesPadded(chain.reader(rollup).stateRoot().send(), 32)).as("L1's root is the node's after the same batches").isEqualTo(status.getStateRoot().toByteArray());
      assertThat(chain.reader(rollup).stateRoot().send()).isEqualTo(node.node.batch(batches - 1).orElseThrow().newRoot().toBigInteger());
      assertThat(chain.reader(rollup).requestsConsumed().send()).isEqualTo(chain.reader(rollup).requestCount().send()).isEqualTo(BigInteger.valueOf(5));
      assertThat(node.node.publishFailure()).isEmpty();
      for (var a : accepted.getAcceptedList()) {
        assertThat(node.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(a.getTxHash()).build()).getStage()).isEqualTo(TransactionStage.PUBLISHED);
      }

      // Nothing published twice: one BatchCommitted per batch, in order, one transaction each.
      List<Long> committed = new ArrayList<>();
      for (Log log : chain.logs(rollup, Rollup.BATCHCOMMITTED_EVENT)) {
        committed.add(Rollup.getBatchCommittedEventFromLog(log).batchNumber.longValueExact());
        TransactionReceipt r = chain.receipt(log.getTransactionHash());
        assertThat(r.getFrom()).isEqualToIgnoringCase(operator.getAddress());
      }
      assertThat(committed).containsExactlyElementsOf(LongStream.range(0, batches).boxed().toList());
      assertThat(chain.nonce(operator.getAddress())).as("the operator sent one transaction per batch, none reverted or repeated").isEqualTo(batches);
      assertThat(published).as("announced PUBLISHED once per batch across the restart").containsExactlyElementsOf(LongStream.range(0, batches).boxed().toList());

      // Each owner claims exactly its withdrawal (less the claim's gas); a second claim reverts.
      String claimCall = chain.reader(rollup).claim(BigInteger.ZERO).encodeFunctionCall();
      BigInteger held = chain.balance(rollup);
      assertThat(held).isEqualTo(DEPOSIT.multiply(BigInteger.valueOf(3)).add(LATE_DEPOSIT));
      for (int i = 0; i < 3; i++) {
        String owner = owners.get(i).getAddress();
        assertThat(chain.reader(rollup).pendingWithdrawal(BigInteger.ZERO, owner).send()).isEqualTo(WITHDRAWN.get(i));
        BigInteger was = chain.balance(owner);
        TransactionReceipt claim = chain.claim(owners.get(i), rollup);
        assertThat(claim.isStatusOK()).as("claim %s", claim).isTrue();
        assertThat(chain.balance(owner)).isEqualTo(was.add(WITHDRAWN.get(i)).subtract(L1Chain.fee(claim)));
        assertThat(chain.revertOf(owners.get(i), rollup, BigInteger.ZERO, claimCall)).contains("NothingToClaim()");
        held = held.subtract(WITHDRAWN.get(i));
        assertThat(chain.balance(rollup)).isEqualTo(held);
      }
      assertThat(chain.revertOf(users.get(0), rollup, BigInteger.ZERO, claimCall)).as("a depositor has nothing to claim").contains("NothingToClaim()");

      // The re-entrant claimer is paid once: its inner claim() reverts, the outer one pays.
      assertThat(chain.reader(rollup).pendingWithdrawal(BigInteger.ZERO, attacker).send()).isEqualTo(ATTACKER_WITHDRAWN);
      TransactionReceipt attack = chain.send(users.get(0), attacker, BigInteger.ZERO, L1Chain.encode("attack"), L1Chain.GAS_LIMIT);
      assertThat(attack.isStatusOK()).as("attack %s", attack).isTrue();
      assertThat(chain.balance(attacker)).isEqualTo(ATTACKER_WITHDRAWN);
      assertThat(chain.read(attacker, "received")).as("ETH arrived once").isEqualTo(BigInteger.ONE);
      assertThat(chain.read(attacker, "reentryReverted")).as("the re-entrant claim reverted").isEqualTo(BigInteger.ONE);
      assertThat(chain.reader(rollup).pendingWithdrawal(BigInteger.ZERO, attacker).send()).isZero();
      assertThat(chain.balance(rollup)).isEqualTo(held.subtract(ATTACKER_WITHDRAWN));
      assertThat(chain.revertOf(users.get(0), attacker, BigInteger.ZERO, L1Chain.encode("attack"))).contains("NothingToClaim()");
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }
}
