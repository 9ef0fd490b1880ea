package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.cli.ZkRollupCli;
import io.zkrollup.aggregator.grpc.TxStatusCodes;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PublicData;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * Replay protection across deployments (issue 20; docs/decisions.md, "Replay protection across
 * deployments"): Rollup.sol derives its rollup id from the chain id and its own address, so a
 * signature made for one deployment is refused by a second one on the same chain and by one on
 * another chain id, even where the deployer and its nonce, hence the address, are the same.
 *
 * <p>Three deployments from anvil's dev account 0: A and B on one anvil (chain 31337), C on a
 * second anvil started with {@code --chain-id 31338}, at the same nonce as A, so at A's address. No
 * proof is made: a node checks signatures with its configuration alone, and the contracts' verifier
 * is the test one that accepts any proof (the header's rollup id is checked before the proof).
 */
class ReplayAcrossDeploymentsIT {

  private static final long OTHER_CHAIN = 31_338;
  private static final Credentials DEPLOYER = LocalAnvil.devAccount(0);
  private static final Credentials DEPOSITOR = LocalAnvil.devAccount(1);
  private static final BigInteger DEPOSIT = BigInteger.TEN.pow(15);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static L1Chain chain;
  private static L1Chain otherChain;
  /** The three Rollup contracts: A and B on {@link #chain}, C on {@link #otherChain} at A's address. */
  private static String a;

  private static String b;
  private static String c;
  /** The key file of the L1 account the nodes would commit from (they prove nothing, so never do). */
  private static Path commitKey;
  /** The creation bytecode of the test verifier, compiled once for both chains. */
  private static String anyProof;

  @BeforeAll
  static void deployThreeRollups() throws Exception {
    chain = L1Chain.start(dir.resolve("chain"));
    otherChain = L1Chain.start(dir.resolve("other-chain"), OTHER_CHAIN);
    anyProof = CompileCache.compile(chain.contracts, dir.resolve("build"), "AcceptAnyProofVerifier", chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol")).bytecode();
    // The same deployments in the same order on both chains: C gets the nonce, and so the address, of A.
    a = deploy(chain);
    b = deploy(chain);
    c = deploy(otherChain);
    commitKey = Files.writeString(dir.resolve("commit.key"), "0b".repeat(32));
  }

  /** The test verifier, then a Rollup for the shared test keys (B=5, D=4) and TestNode's operator. */
  private static String deploy(L1Chain on) throws Exception {
    return on.deployRollup(on.deployer.deployVerifier(anyProof), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, DataAvailability.ROLLUP, L1Chain.emptyRoot(ClusterTestKeys.DEPTH), operatorKeyHash());
  }

  private static Fr operatorKeyHash() {
    return keyHash(0);
  }

  private static Fr keyHash(int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(wallet).publicKey());
  }

  @AfterAll
  static void stop() {
    for (L1Chain l1 : new L1Chain[] {chain, otherChain}) {
      if (l1 != null) {
        l1.close();
      }
    }
  }

  @Test
  void eachDeploymentDerivesItsOwnRollupIdFromTheChainIdAndItsAddress() throws Exception {
    assertThat(chain.anvil.chainId()).isEqualTo(31_337);
    assertThat(otherChain.anvil.chainId()).isEqualTo(OTHER_CHAIN);
    long idA = chain.rollupId(a);
    long idB = chain.rollupId(b);
    long idC = otherChain.rollupId(c);
    assertThat(idA).as("A: keccak256(abi.encode(chainid, address)), first 8 bytes").isEqualTo(RollupId.derive(chain.anvil.chainId(), a));
    assertThat(idB).isEqualTo(RollupId.derive(chain.anvil.chainId(), b));
    assertThat(idC).isEqualTo(RollupId.derive(OTHER_CHAIN, c));
    assertThat(idB).as("a second deployment on the same chain").isNotEqualTo(idA);
    assertThat(c).as("same deployer, same nonce").isEqualToIgnoringCase(a);
    assertThat(idC).as("the same address on another chain id").isNotEqualTo(idA);
    // What the node reads at start-up is the contract's id.
    assertThat(RollupId.read(chain.anvil.url(), a, OptionalLong.of(chain.anvil.chainId()))).isEqualTo(idA);
    assertThat(RollupId.read(otherChain.anvil.url(), c, OptionalLong.empty())).isEqualTo(idC);
  }

  @Test
  void aContractRefusesABatchWhoseHeaderNamesAnotherDeployment() throws Exception {
    long idA = chain.rollupId(a);
    byte[] forA = emptyBatch(idA);
    assertThat(chain.revertOf(DEPLOYER, a, BigInteger.ZERO, commitBatch(forA))).as("A takes its own batch (any proof passes the test verifier)").isEmpty();
    assertThat(chain.revertOf(DEPLOYER, b, BigInteger.ZERO, commitBatch(forA))).hasValue("WrongRollup(" + Long.toUnsignedString(chain.rollupId(b)) + ", " + Long.toUnsignedString(idA) + ")");
    assertThat(otherChain.revertOf(DEPLOYER, c, BigInteger.ZERO, commitBatch(forA))).hasValue("WrongRollup(" + Long.toUnsignedString(otherChain.rollupId(c)) + ", " + Long.toUnsignedString(idA) + ")");
  }

  /**
   * Batch 0 of B=5 no-ops (header, op codes, chunks all zero) whose header names {@code rollupId}
   * in its first 8 bytes (v3).
   */
  private static byte[] emptyBatch(long rollupId) {
    return ByteBuffer.allocate(PublicData.size(ClusterTestKeys.SLOTS)).putLong(rollupId).array();
  }

  private static String commitBatch(byte[] pubdata) {
    return chain.reader(a).commitBatch(pubdata, BigInteger.ONE, new byte[0]).encodeFunctionCall();
  }

  @Test
  void aTransferSignedForOneDeploymentIsRefusedByTheNodesOfTheOthers() throws Exception {
    SignedTransaction forA = TestNode.wallet(1, chain.rollupId(a)).transfer(2, BigInteger.valueOf(5), BigInteger.ONE, 0);
    // A node of B (same chain) and a node of C (other chain id, same address as A) refuse it, and
    // nothing changes there; the node of A takes the very same bytes.
    refusedBy(nodeOn(chain, b, "node-b"), forA);
    refusedBy(nodeOn(otherChain, c, "node-c"), forA);
    try (TestNode nodeA = nodeOn(chain, a, "node-a")) {
      nodeA.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(forA).build());
      assertThat(nodeA.node.pendingAccount(1).orElseThrow().nonce()).isEqualTo(1);
    }
  }

  /**
   * A node on {@code rollup}, as {@code zkrollup node --l1-rpc} runs one: its rollup id read from the
   * contract. It has the keys' verifying key and no worker (nothing is proven). Two L1 deposits
   * give it accounts 1 and 2, of wallets 1 and 2.
   */
  private static TestNode nodeOn(L1Chain l1, String rollup, String name) throws Exception {
    TestNode.Options o = TestNode.Options.defaults().withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH).withAccounts(0);
    L1Endpoint.Ethereum endpoint = new L1Endpoint.Ethereum(l1.anvil.url(), rollup, commitKey, OptionalLong.of(l1.anvil.chainId()), 50, 1).acceptingDevelopmentKeys();
    NodeConfig config = TestNode.onL1(TestNode.configFor(dir.resolve(name), o), endpoint);
    assertThat(config.rollupId()).isEqualTo(l1.rollupId(rollup));
    TestNode t = TestNode.start(config, 2);
    try {
      for (int w = 1; w <= 2; w++) {
        l1.deposit(DEPOSITOR, rollup, keyHash(w), DEPOSIT);
      }
      Await.until(PATIENCE, () -> t.node.pendingAccount(2).isPresent(), "the deposits to reach " + name);
      return t;
    } catch (Exception | AssertionError e) {
      t.close();
      throw e;
    }
  }

  /** {@code node} refuses {@code tx} as a bad signature and changes nothing; then it is closed. */
  private static void refusedBy(TestNode node, SignedTransaction tx) {
    try (node) {
      long journal = node.status().getJournalEntries();
      List<Optional<AccountLeaf>> before = List.of(node.node.pendingAccount(1), node.node.pendingAccount(2));
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build()));
      assertThat(e).as("refused").isNotNull();
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(TxStatusCodes.errorInfo(e).getReason()).isEqualTo("BAD_SIGNATURE");
      assertThat(e.getStatus().getDescription()).contains("signature does not verify").contains("rollup " + Long.toUnsignedString(node.config.rollupId()));
      assertThat(node.status().getJournalEntries()).as("nothing journaled").isEqualTo(journal);
      assertThat(List.of(node.node.pendingAccount(1), node.node.pendingAccount(2))).as("nothing applied").isEqualTo(before);
    }
  }

  @Test
  void deployChoosesNoRollupIdAndANodeRefusesOneThatIsNotItsContracts() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("deployer.key"), Numeric.toHexStringNoPrefixZeroPadded(DEPLOYER.getEcKeyPair().getPrivateKey(), 64));
    String operatorKey = HexFormat.of().formatHex(TestNode.wallet(0).publicKey().toBytes());
    String url = chain.url();
    long nonce = chain.nonce(DEPLOYER.getAddress());

    // Refused before the keys are read or anything is sent.
    Run deploy = run("deploy", "--keys", dir.resolve("no-keys").toString(), "--l1-rpc", url, "--l1-key-file", keyFile.toString(), "--operator-key", operatorKey, "--rollup-id", "1");
    assertThat(deploy.status()).isEqualTo(2);
    assertThat(deploy.err()).contains("--rollup-id is gone").contains("derives the rollup id from the chain id and its own address");
    assertThat(chain.nonce(DEPLOYER.getAddress())).as("nothing deployed").isEqualTo(nonce);

    long idA = chain.rollupId(a);
    Path data = dir.resolve("refused-node");
    Run node =
        run("node", "--data-dir", data.toString(), "--operator-key", operatorKey, "--slots", "5", "--depth", "4", "--l1-rpc", url, "--l1-contract", a, "--l1-key-file",
            commitKey.toString(), "--rollup-id", Long.toString(idA + 1));
    assertThat(node.status()).isEqualTo(2);
    assertThat(node.err()).contains("refused: --rollup-id " + (idA + 1) + " is not the rollup id of the contract at " + a.toLowerCase() + ", " + idA);
    assertThat(data).as("no node was started").doesNotExist();
  }

  private record Run(int status, String err) {}

  private static Run run(String... args) {
    CommandLine cli = ZkRollupCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), err.toString());
  }
}
