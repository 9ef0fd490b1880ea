package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.cli.ZkRollupCli;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.l1.dev.SolidityCompiler;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.StaticArray4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;

/**
 * Real batch proofs verify on an EVM: a node proves its genesis batches (Groth16, B=5, D=4) with
 * its local worker, {@code zkrollup verifier} exports gnark's Solidity verifier for the same keys,
 * solc-js compiles it, web3j deploys it on anvil, and {@code verifyProof} accepts each stored proof
 * (re-encoded by {@link GnarkProver#solidityProof}) for its own public inputs only. Prints the gas
 * of one {@code verifyProof} transaction (docs/l1.md).
 */
class SolidityVerifierIT {

  /** The selector of the verifier's {@code error ProofInvalid()}: keccak256("ProofInvalid()")[0..4]. */
  private static final String PROOF_INVALID = "0x7fcdd1f4";

  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(10_000_000);

  @TempDir Path dir;

  @Test
  void realBatchProofsVerifyOnAnvilForTheirOwnPublicInputsOnly() throws Exception {
    ContractsDir contracts = ContractsDir.locate(); // fails first, and clearly, without node_modules
    Path keys = ClusterTestKeys.dir();

    // Two proven batches from a real node.
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, keys, ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(3);
    StoredBatch first;
    StoredBatch second;
    byte[] firstProof;
    byte[] secondProof;
    try (TestNode t = TestNode.start(dir.resolve("node"), o)) {
      t.await(s -> s.getProvenBatches() >= 2, Duration.ofMinutes(5));
      first = t.node.batch(0).orElseThrow();
      second = t.node.batch(1).orElseThrow();
      firstProof = t.node.proof(0).orElseThrow().proof();
      secondProof = t.node.proof(1).orElseThrow().proof();
    }

    // The verifier contract through the CLI, compiled with the pinned solc (once per build for the
    // same source: CompileCache).
    Path sol = dir.resolve("Verifier.sol");
    assertThat(ZkRollupCli.commandLine().execute("verifier", "--keys", keys.toString(), "--out", sol.toString())).isZero();
    SolidityCompiler.Compiled verifier = CompileCache.compile(contracts, dir.resolve("build"), "Verifier", sol);

    byte[] firstCalldata;
    byte[] secondCalldata;
    try (GnarkProver prover = GnarkProver.load(LibZkProver.load(), keys)) {
      firstCalldata = prover.solidityProof(new BatchProof(ProofSystem.GROTH16, firstProof, first.publicInputs()));
      secondCalldata = prover.solidityProof(new BatchProof(ProofSystem.GROTH16, secondProof, second.publicInputs()));
      assertThat(prover.verify(new BatchProof(ProofSystem.GROTH16, firstProof, first.publicInputs()))).isTrue();
    }
    assertThat(firstCalldata).hasSize(256); // A ‖ B ‖ C: the circuit has no commitment

    try (LocalAnvil anvil = LocalAnvil.start(contracts, dir.resolve("anvil.log"))) {
      RawTransactionManager tx = new RawTransactionManager(anvil.web3(), LocalAnvil.devAccount(0), anvil.chainId());
      TransactionReceipt deployed =
          anvil.mined(tx.signAndSend(RawTransaction.createContractTransaction(nonce(anvil), gasPrice(anvil), DEPLOY_GAS_LIMIT, BigInteger.ZERO, verifier.bytecode())));
      assertThat(deployed.isStatusOK()).as("deployment %s", deployed).isTrue();
      String address = deployed.getContractAddress();

      // (a) each real proof verifies for its own public inputs.
      assertThat(call(anvil, address, verifyProof(firstCalldata, first.publicInputs()))).isEmpty();
      assertThat(call(anvil, address, verifyProof(secondCalldata, second.publicInputs()))).isEmpty();

      // (b) the same proof with one public input changed reverts.
      PublicInputs in = first.publicInputs();
      for (PublicInputs other :
          List.of(
              new PublicInputs(in.oldRoot(), in.newRoot().add(Fr.ONE), in.batchNumber(), in.pubdataHash()),
              new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber() + 1, in.pubdataHash()),
              new PublicInputs(in.oldRoot().add(Fr.ONE), in.newRoot(), in.batchNumber(), in.pubdataHash()),
              new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber(), in.pubdataHash().add(Fr.ONE)))) {
        assertThat(call(anvil, address, verifyProof(firstCalldata, other))).as("%s", other).hasValueSatisfying(m -> assertThat(m).contains(PROOF_INVALID));
      }

      // (c) another batch's proof with this batch's inputs reverts.
      Optional<String> revert = call(anvil, address, verifyProof(secondCalldata, in));
      assertThat(revert).hasValueSatisfying(m -> assertThat(m).containsIgnoringCase("revert").contains(PROOF_INVALID));
      System.out.println("another batch's proof: " + revert.get());

      // The gas of verifyProof as a transaction (view, but a rollup calls it inside one).
      TransactionReceipt verified =
          anvil.mined(tx.signAndSend(RawTransaction.createTransaction(nonce(anvil), gasPrice(anvil), GAS_LIMIT, address, verifyProof(firstCalldata, in))));
      assertThat(verified.isStatusOK()).as("verifyProof transaction %s", verified).isTrue();
      // Four pairings (181,000 gas) and the rest; a commitment would add two pairings and more
      // (about 358,000 in all), which is what the bound catches (docs/decisions.md).
      assertThat(verified.getGasUsed()).as("verifyProof gas").isLessThan(BigInteger.valueOf(250_000));
      // A failing proof as a transaction is mined with status 0.
      TransactionReceipt refused =
          anvil.mined(tx.signAndSend(RawTransaction.createTransaction(nonce(anvil), gasPrice(anvil), GAS_LIMIT, address, verifyProof(secondCalldata, in))));
      assertThat(refused.isStatusOK()).isFalse();
      System.out.printf(
          Locale.ROOT,
          "L1 verifyProof gas (Groth16, B=%d, D=%d, %d-byte proof, 4 public inputs): %,d gas used by the transaction (21,000 intrinsic and calldata included); verifier deployment %,d gas%n",
          ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, firstCalldata.length, verified.getGasUsed(), deployed.getGasUsed());
    }
  }

  /** ABI-encoded {@code verifyProof(bytes proof, uint256[4] input)}. */
  private static String verifyProof(byte[] proof, PublicInputs in) {
    List<Uint256> inputs = in.toList().stream().map(f -> new Uint256(new BigInteger(1, f.toBytes()))).toList();
    return FunctionEncoder.encode(new Function("verifyProof", List.of(new DynamicBytes(proof), new StaticArray4<>(Uint256.class, inputs)), List.of()));
  }

  /** Runs an {@code eth_call}; empty if it returned, else the revert as anvil reported it. */
  private static Optional<String> call(LocalAnvil anvil, String to, String data) throws IOException {
    EthCall r = anvil.web3().ethCall(Transaction.createEthCallTransaction(LocalAnvil.devAccount(0).getAddress(), to, data), DefaultBlockParameterName.LATEST).send();
    if (r.hasError()) {
      return Optional.of(r.getError().getMessage() + " " + r.getError().getData());
    }
    return r.isReverted() ? Optional.of(String.valueOf(r.getRevertReason())) : Optional.empty();
  }

  private static BigInteger nonce(LocalAnvil anvil) throws IOException {
    return anvil.web3().ethGetTransactionCount(LocalAnvil.devAccount(0).getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
  }

  private static BigInteger gasPrice(LocalAnvil anvil) throws IOException {
    return anvil.web3().ethGasPrice().send().getGasPrice();
  }

}
