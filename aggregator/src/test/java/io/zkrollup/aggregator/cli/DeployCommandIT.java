package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.coordinator.ClusterTestKeys;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.l1.dev.RollupDeployer;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.TestNode;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * {@code zkrollup deploy} against a fresh anvil: it deploys the verifier of the shared test keys
 * (Groth16, B=5, D=4) and Rollup.sol, prints the addresses and the genesis root, and writes a node
 * config; a {@code zkrollup.jar node --config} process started from that file alone (plus a data
 * directory and ports) takes a deposit made on the contract.
 */
class DeployCommandIT {

  @TempDir Path dir;

  private static String printed(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(\\S+)").matcher(out);
    assertThat(m.find()).as("%s in:%n%s", label, out).isTrue();
    return m.group(1);
  }

  @Test
  void deploysForAKeyDirectoryAndANodeRunsFromTheWrittenConfig() throws Exception {
    ContractsDir contracts = ContractsDir.locate();
    Path keys = ClusterTestKeys.dir();
    try (LocalAnvil anvil = LocalAnvil.start(contracts, dir.resolve("anvil.log"))) {
      Credentials operatorL1 = LocalAnvil.devAccount(1);
      Path keyFile = dir.resolve("operator-l1.key");
      Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operatorL1.getEcKeyPair().getPrivateKey(), 64) + "\n");
      String operatorKey = HexFormat.of().formatHex(TestNode.wallet(0).publicKey().toBytes());
      Path config = dir.resolve("node.properties");

      CliRun r =
          CliRun.of(
              "deploy", "--keys", keys.toString(), "--l1-rpc", anvil.url().toString(), "--l1-key-file", keyFile.toString(), "--rollup-id", Long.toString(TestNode.ROLLUP),
              "--operator-key", operatorKey, "--l1-chain-id", Long.toString(anvil.chainId()), "--config-out", config.toString(), "--work-dir", dir.resolve("work").toString());
      assertThat(r.status()).as("deploy; stderr: %s", r.err()).isZero();
      String rollup = printed(r.out(), "rollup");
      String verifier = printed(r.out(), "verifier");
      Fr genesis = RollupDeployer.genesisRoot(ClusterTestKeys.DEPTH);
      Fr operatorKeyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(0).publicKey());
      assertThat(r.out())
          .contains(String.format("genesis root       0x%064x", genesis.toBigInteger()))
          .contains(String.format("operator key hash  0x%064x", operatorKeyHash.toBigInteger()))
          .contains("chain id           " + anvil.chainId())
          .contains("slots, depth       B=5, D=4 (rollup)");
      long block = Long.parseLong(printed(r.out(), "deployment block"));

      // The contract is what was asked for.
      Rollup reader = Rollup.load(rollup, anvil.web3(), new ReadonlyTransactionManager(anvil.web3(), rollup), new EstimatingGasProvider(anvil.web3(), anvil.chainId()));
      assertThat(reader.verifier().send()).isEqualToIgnoringCase(verifier);
      assertThat(reader.rollupId().send()).isEqualTo(BigInteger.valueOf(TestNode.ROLLUP));
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
          .containsEntry("rollup-id", Long.toString(TestNode.ROLLUP))
          .containsEntry("operator-key", operatorKey)
          .containsEntry("prover", "groth16");

      // A node from the config file: its own process, as an operator would run it.
      Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
      assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
      Path portFile = dir.resolve("port");
      Path log = dir.resolve("node.log");
      Process node =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(), "node", "--config", config.toString(),
                      "--data-dir", dir.resolve("node").toString(), "--port", "0", "--port-file", portFile.toString(), "--local-workers", "0", "--l1-poll-ms", "200"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
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

        // A user deposits on the contract to wallet 1's key; the node places it at account 1.
        Fr keyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(1).publicKey());
        Rollup depositor = Rollup.load(rollup, anvil.web3(), new RawTransactionManager(anvil.web3(), LocalAnvil.devAccount(0), anvil.chainId()), new EstimatingGasProvider(anvil.web3(), anvil.chainId()));
        TransactionReceipt deposited = depositor.deposit(keyHash.toBytes(), BigInteger.TEN.pow(17)).send();
        assertThat(deposited.isStatusOK()).isTrue();
        GetAccountResponse account = null;
        while (account == null) {
          try {
            account = stub.getAccount(GetAccountRequest.newBuilder().setIndex(1).build());
          } catch (StatusRuntimeException e) {
            assertThat(node.isAlive()).as("the node runs; its log:%n%s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the deposit reaches the node; its log:%n%s", Files.readString(log)).isLessThan(end + TimeUnit.MINUTES.toNanos(1));
            Thread.sleep(200);
          }
        }
        assertThat(account.getPending().getKeyHash().toByteArray()).isEqualTo(keyHash.toBytes());
        assertThat(account.getPending().getBalance()).isEqualTo(BigInteger.TEN.pow(17).toString());
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
