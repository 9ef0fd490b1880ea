package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.l1.RollupId;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.l1.dev.RollupDeployer;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The walk-through of docs/operations.md, command by command, as a new user runs it: {@code
 * zkrollup keygen} makes the keys, {@code zkrollup deploy} deploys the verifier of the shared test
 * keys (Groth16, B=5, D=4) and Rollup.sol to a fresh anvil and writes a node config, a {@code
 * zkrollup.jar node --config} process runs from that file (proving in its own worker process), and
 * the users' {@code zkrollup wallet} makes their keys, deposits, finds the accounts, transfers,
 * withdraws and claims, its endpoints from that same config file. No step needs code: what the
 * test checks is what each command printed, and the contract's and the node's state.
 */
class WalkThroughIT {

  @TempDir Path dir;

  private static String printed(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(\\S+)").matcher(out);
    assertThat(m.find()).as("%s in:%n%s", label, out).isTrue();
    return m.group(1);
  }

  /** Runs a command in process and expects it to succeed. */
  private static CliRun cli(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as("%s%nstdout: %s%nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private static Path l1KeyFile(Path dir, int devAccount) throws java.io.IOException {
    Path f = dir.resolve("l1-" + devAccount + ".key");
    Files.writeString(f, Numeric.toHexStringNoPrefixZeroPadded(LocalAnvil.devAccount(devAccount).getEcKeyPair().getPrivateKey(), 64) + "\n");
    return f;
  }

  /** {@code wallet account --key-file}, once the deposit for that key has reached the node. */
  private static CliRun awaitAccount(Path key, String node, Process nodeProcess, Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      CliRun r = CliRun.of("wallet", "account", "--node", node, "--key-file", key.toString());
      if (r.status() == 0) {
        return r;
      }
      assertThat(r.err()).contains("NOT_FOUND");
      assertThat(nodeProcess.isAlive()).as("the node runs; its log:%n%s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("the deposit reaches the node; its log:%n%s", Files.readString(log)).isLessThan(end);
      Thread.sleep(300);
    }
  }

  @Test
  void keysDeployNodeDepositTransferWithdrawClaim() throws Exception {
    ContractsDir contracts = ContractsDir.locate();
    Path keys = ClusterTestKeys.dir();
    try (LocalAnvil anvil = LocalAnvil.start(contracts, dir.resolve("anvil.log"))) {
      Credentials operatorL1 = LocalAnvil.devAccount(1);
      Path keyFile = dir.resolve("operator-l1.key");
      Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operatorL1.getEcKeyPair().getPrivateKey(), 64) + "\n");
      CliRun keygen = CliRun.of("keygen", "--out", dir.resolve("operator.key").toString());
      assertThat(keygen.status()).as(keygen.err()).isZero();
      String operatorKey = printed(keygen.out(), "public key");
      Fr operatorKeyHash = Fr.of(new BigInteger(printed(keygen.out(), "key hash").substring(2), 16));
      assertThat(Files.readString(dir.resolve("operator.key")).strip()).matches("[0-9a-f]{64}");
      Path config = dir.resolve("node.properties");

      List<String> deploy =
          List.of(
              "deploy", "--keys", keys.toString(), "--l1-rpc", anvil.url().toString(), "--l1-key-file", keyFile.toString(),
              "--operator-key", operatorKey, "--l1-chain-id", Long.toString(anvil.chainId()), "--config-out", config.toString(), "--work-dir", dir.resolve("work").toString());

      // The shared test keys come from a single-party setup: deploy refuses them unless told, loudly, that this chain holds nothing.
      BigInteger nonceBefore = anvil.web3().ethGetTransactionCount(operatorL1.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount();
      CliRun refusedDeploy = CliRun.of(deploy.toArray(String[]::new));
      assertThat(refusedDeploy.status()).as("deploy of development keys without the flag; stdout: %s", refusedDeploy.out()).isEqualTo(2);
      assertThat(refusedDeploy.err()).contains("refused: ").contains("single-party development setup").contains("--insecure-development-keys");
      assertThat(anvil.web3().ethGetTransactionCount(operatorL1.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount()).as("the refused deploy sent nothing").isEqualTo(nonceBefore);
      assertThat(config).doesNotExist();

      List<String> insecureDeploy = new ArrayList<>(deploy);
      insecureDeploy.add("--insecure-development-keys");
      CliRun r = CliRun.of(insecureDeploy.toArray(String[]::new));
      assertThat(r.status()).as("deploy; stderr: %s", r.err()).isZero();
      String rollup = printed(r.out(), "rollup");
      String verifier = printed(r.out(), "verifier");
      Fr genesis = RollupDeployer.genesisRoot(ClusterTestKeys.DEPTH);
      assertThat(r.out())
          .contains(String.format("genesis root       0x%064x", genesis.toBigInteger()))
          .contains(String.format("operator key hash  0x%064x", operatorKeyHash.toBigInteger()))
          .contains("chain id           " + anvil.chainId())
          .contains("slots, depth       B=5, D=4 (rollup)");
      long block = Long.parseLong(printed(r.out(), "deployment block"));
      // The rollup id is the contract's own, from the chain id and its address; deploy prints it.
      long rollupId = Long.parseLong(printed(r.out(), "rollup id"));
      assertThat(rollupId).isEqualTo(RollupId.derive(anvil.chainId(), rollup));

      // The contract is what was asked for.
      Rollup reader = Rollup.load(rollup, anvil.web3(), new ReadonlyTransactionManager(anvil.web3(), rollup), new EstimatingGasProvider(anvil.web3(), anvil.chainId()));
      assertThat(reader.verifier().send()).isEqualToIgnoringCase(verifier);
      assertThat(reader.rollupId().send()).isEqualTo(BigInteger.valueOf(rollupId));
      assertThat(reader.slots().send()).isEqualTo(BigInteger.valueOf(ClusterTestKeys.SLOTS));
      assertThat(reader.validium().send()).isFalse();
      assertThat(reader.stateRoot().send()).isEqualTo(genesis.toBigInteger());
      assertThat(anvil.web3().ethGetCode(rollup, org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block - 1))).send().getCode()).isIn("0x", "");

      Properties written = new Properties();
      try (var in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
        written.load(in);
      }
      assertThat(written)
          .containsEntry("l1-contract", rollup.toLowerCase())
          .containsEntry("l1-rpc", anvil.url().toString())
          .containsEntry("l1-chain-id", Long.toString(anvil.chainId()))
          .containsEntry("l1-from-block", Long.toString(block))
          .containsEntry("slots", "5")
          .containsEntry("depth", "4")
          .containsEntry("operator-key", operatorKey)
          .containsEntry("prover", "groth16")
          .doesNotContainKey("rollup-id"); // the node reads it from the contract

      // A node from the config file: its own process, as an operator would run it.
      Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
      assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
      Path portFile = dir.resolve("port");
      Path log = dir.resolve("node.log");
      List<String> nodeCommand =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(), "node", "--config", config.toString(),
              "--data-dir", dir.resolve("node").toString(), "--port", "0", "--port-file", portFile.toString(), "--local-workers", "1", "--l1-poll-ms", "200",
              "--seal-after-ms", "200", "--worker-jvm-option", "-Xmx512m");

      // The node, too, refuses development keys on an L1 without the flag, before it serves anything.
      Path refusedLog = dir.resolve("node-refused.log");
      Process refusedNode = new ProcessBuilder(nodeCommand).redirectErrorStream(true).redirectOutput(refusedLog.toFile()).start();
      assertThat(refusedNode.waitFor(2, TimeUnit.MINUTES)).as("the node refuses promptly").isTrue();
      assertThat(refusedNode.exitValue()).as("its log:%n%s", Files.readString(refusedLog)).isEqualTo(2);
      assertThat(Files.readString(refusedLog)).contains("refused: ").contains("single-party development setup").contains("--insecure-development-keys");
      assertThat(portFile).doesNotExist();

      List<String> insecureNode = new ArrayList<>(nodeCommand);
      insecureNode.add("--insecure-development-keys");
      Process node = new ProcessBuilder(insecureNode).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ManagedChannel channel = null;
      try {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(portFile)) {
          assertThat(node.isAlive()).as("the node runs; its log:%n%s", Files.exists(log) ? Files.readString(log) : "").isTrue();
          assertThat(System.nanoTime()).as("the node serves within 2 minutes").isLessThan(end);
          Thread.sleep(200);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(Files.readString(portFile).strip())).usePlaintext().build();
        RollupServiceGrpc.RollupServiceBlockingStub stub = RollupServiceGrpc.newBlockingStub(channel);

        String node1 = "127.0.0.1:" + Files.readString(portFile).strip();
        // The wallet takes the L1 endpoints from the node's config file (never its operator L1 key).
        String[] l1 = {"--config", config.toString()};

        // Alice and Bob make account keys, and deposit from anvil's dev accounts 2 and 3.
        Path aliceKey = dir.resolve("alice.key");
        Path bobKey = dir.resolve("bob.key");
        assertThat(cli("wallet", "new-key", "--key-file", aliceKey.toString()).out()).contains("key hash    0x");
        cli("wallet", "new-key", "--key-file", bobKey.toString());
        Path aliceL1 = l1KeyFile(dir, 2);
        Path bobL1 = l1KeyFile(dir, 3);
        CliRun deposit = cli("wallet", "deposit", l1[0], l1[1], "--l1-key-file", aliceL1.toString(), "--key-file", aliceKey.toString(), "--amount", "1eth");
        assertThat(deposit.out()).contains("deposited   1 ETH").contains("queue entry 1");
        cli("wallet", "deposit", l1[0], l1[1], "--l1-key-file", bobL1.toString(), "--key-file", bobKey.toString(), "--amount", "0.5eth");

        // The node places each deposit at the account of its key: the wallet finds it by the key.
        CliRun alice = awaitAccount(aliceKey, node1, node, log);
        CliRun bob = awaitAccount(bobKey, node1, node, log);
        assertThat(alice.out()).contains("account     1").contains("balance     1 ETH (nonce 0");
        assertThat(bob.out()).contains("account     2").contains("balance     0.5 ETH (nonce 0");
        assertThat(cli("wallet", "accounts", "--node", node1, "--key-file", aliceKey.toString()).out())
            .contains("account     1: 1 ETH, nonce 0, owner " + LocalAnvil.devAccount(2).getAddress().toLowerCase());

        CliRun transfer = cli("wallet", "transfer", "--node", node1, "--key-file", aliceKey.toString(), "--to", "2", "--amount", "0.25eth");
        assertThat(transfer.out()).contains("accepted    transfer of 0.25 ETH to account 2 from account 1 (nonce 0");
        CliRun refused = CliRun.of("wallet", "transfer", "--node", node1, "--key-file", aliceKey.toString(), "--to", "2", "--amount", "5eth");
        assertThat(refused.status()).as("an overdraft is refused with the node's reason").isEqualTo(2);
        assertThat(refused.err()).contains("INSUFFICIENT_BALANCE");

        String bobAddress = LocalAnvil.devAccount(3).getAddress();
        CliRun withdraw =
            cli("wallet", "withdraw", "--node", node1, "--key-file", bobKey.toString(), "--to-l1", bobAddress, "--amount", "0.7eth", "--wait");
        assertThat(withdraw.out()).contains("accepted    withdrawal of 0.7 ETH to " + bobAddress).contains("stage       PUBLISHED");

        BigInteger before = anvil.web3().ethGetBalance(bobAddress, org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getBalance();
        CliRun claim = cli("wallet", "claim", l1[0], l1[1], "--l1-key-file", bobL1.toString());
        assertThat(claim.out()).contains("claimed     0.7 ETH to " + bobAddress.toLowerCase());
        BigInteger after = anvil.web3().ethGetBalance(bobAddress, org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getBalance();
        assertThat(after.subtract(before)).as("paid 0.7 ETH less the claim's gas").isBetween(new BigInteger("690000000000000000"), new BigInteger("700000000000000000"));
        CliRun again = CliRun.of("wallet", "claim", l1[0], l1[1], "--l1-key-file", bobL1.toString());
        assertThat(again.status()).as("a second claim finds nothing").isEqualTo(2);
        assertThat(cli("wallet", "l1-balance", l1[0], l1[1], "--address", bobAddress).out()).contains("claimable   0 ETH");

        // L1 and the node agree on the state the withdrawal's batch left.
        assertThat(cli("wallet", "account", "--node", node1, "--key-file", bobKey.toString()).out()).contains("balance     0.05 ETH (nonce 1");
        var status = stub.getNodeStatus(io.zkrollup.api.v1.GetNodeStatusRequest.getDefaultInstance());
        assertThat(reader.batchCount().send().longValueExact()).isPositive().isLessThanOrEqualTo(status.getBuiltBatches());
        assertThat(reader.requestsConsumed().send()).isEqualTo(BigInteger.valueOf(3));
        assertThat(Files.readString(log)).contains("zkrollup node serving on");
      } finally {
        if (channel != null) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        node.destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
          node.destroyForcibly();
          node.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
