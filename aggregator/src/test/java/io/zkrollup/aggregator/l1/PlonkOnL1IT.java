package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.l1.contract.PlonkVerifierAdapter;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.RollupDeployment;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.StaticArray4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * Rollup.sol takes PLONK proofs through {@code PlonkVerifierAdapter}: a node with PLONK keys (B=5,
 * D=4) proves the operator's deposit's batch in its worker process and commits it on anvil, where
 * the contract's root and batch count end equal to the node's; the adapter refuses the PLONK proof
 * for other inputs and a tampered one (which Rollup.sol turns into InvalidProof).
 */
class PlonkOnL1IT {

  private static final int SLOTS = 5;
  private static final int DEPTH = 4;
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir Path dir;

  @Test
  void aPlonkNodePublishesAndRollupSolRefusesABadPlonkProof() throws Exception {
    Path keys = SharedTestKeys.of(ProofSystem.PLONK, SLOTS, DEPTH, DataAvailability.ROLLUP);
    Fr operatorKeyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(0).publicKey());
    try (L1Chain chain = L1Chain.start(dir.resolve("l1"));
        GnarkVerifier verifier = GnarkVerifier.load(LibZkProver.load(), keys)) {
      RollupDeployment d = chain.deployAll(verifier, operatorKeyHash);
      String rollup = d.rollup();
      PlonkVerifierAdapter adapter =
          PlonkVerifierAdapter.load(d.verifier(), chain.anvil.web3(), new ReadonlyTransactionManager(chain.anvil.web3(), d.verifier()), new EstimatingGasProvider(chain.anvil.web3(), chain.anvil.chainId()));
      assertThat(adapter.plonk().send()).as("Rollup.sol calls the adapter, which calls gnark's PLONK verifier").startsWith("0x").isNotEqualToIgnoringCase(d.verifier());

      Credentials operator = L1Chain.key(0x51);
      chain.setBalance(operator.getAddress(), BigInteger.TEN.pow(20));
      Path keyFile = Files.writeString(dir.resolve("operator.key"), Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64));

      TestNode.Options o = TestNode.Options.defaults().withSealAfter(300).withProver(ProofSystem.PLONK, keys, SLOTS, DEPTH).withAccounts(0);
      NodeConfig config = TestNode.onL1(TestNode.configFor(dir.resolve("node"), o), new L1Endpoint.Ethereum(chain.anvil.url(), rollup, keyFile, OptionalLong.empty(), 100, 1).acceptingDevelopmentKeys());
      // One batch, the operator's deposit: a PLONK proof takes half a minute at B = 5 on 2 cores.
      try (TestNode t = TestNode.start(config, 1, 1)) {
        Await.until(
            PATIENCE,
            () -> {
              var s = t.status();
              return s.getSealedBatches() >= 1 && s.getBuiltBatches() == s.getSealedBatches() && t.node.publishedBatches() == s.getSealedBatches();
            },
            "the operator's deposit's batch to be committed on L1");
        assertThat(t.node.publishFailure()).isEmpty();

        Rollup reader = chain.reader(rollup);
        long batches = reader.batchCount().send().longValueExact();
        StoredBatch first = t.node.batch(0).orElseThrow();
        assertThat(batches).isEqualTo(t.status().getBuiltBatches()).isEqualTo(1);
        assertThat(reader.stateRoot().send()).isEqualTo(first.newRoot().toBigInteger());
        assertThat(reader.requestsConsumed().send()).isEqualTo(BigInteger.ONE);
        TransactionReceipt commit = commitReceipt(chain, rollup, 0);
        System.out.printf("PLONK commitBatch of batch 0 (%d ops): %,d gas%n", first.ops(), commit.getGasUsed());

        // The adapter, which Rollup.sol's InvalidProof check calls: it passes batch 0's proof for
        // batch 0's inputs, and reverts for the same proof with another new root and for a tampered proof.
        byte[] proof0 = verifier.solidityProof(new BatchProof(ProofSystem.PLONK, t.node.proof(0).orElseThrow().proof(), first.publicInputs()));
        assertThat(chain.revertOf(operator, d.verifier(), BigInteger.ZERO, verifyProof(proof0, first.publicInputs().toList()))).as("batch 0's proof").isEmpty();
        List<Fr> otherRoot = new ArrayList<>(first.publicInputs().toList());
        otherRoot.set(1, Fr.of(otherRoot.get(1).toBigInteger().add(BigInteger.ONE)));
        assertThat(chain.revertOf(operator, d.verifier(), BigInteger.ZERO, verifyProof(proof0, otherRoot))).as("batch 0's proof for another new root").isPresent();
        byte[] tampered = proof0.clone();
        tampered[100] ^= 1;
        assertThat(chain.revertOf(operator, d.verifier(), BigInteger.ZERO, verifyProof(tampered, first.publicInputs().toList()))).as("a tampered proof").isPresent();
      }
    }
  }

  /** verifyProof(proof, [oldRoot, newRoot, batchNumber, pubdataHash]), ABI-encoded (view functions without a result get no binding). */
  private static String verifyProof(byte[] proof, List<Fr> publicInputs) {
    List<Uint256> inputs = publicInputs.stream().map(f -> new Uint256(f.toBigInteger())).toList();
    return FunctionEncoder.encode(new Function("verifyProof", List.of(new DynamicBytes(proof), new StaticArray4<>(Uint256.class, inputs)), List.of()));
  }

  private static TransactionReceipt commitReceipt(L1Chain chain, String rollup, long n) throws Exception {
    for (Log log : chain.logs(rollup, Rollup.BATCHCOMMITTED_EVENT)) {
      if (Rollup.getBatchCommittedEventFromLog(log).batchNumber.longValueExact() == n) {
        return chain.receipt(log.getTransactionHash());
      }
    }
    throw new AssertionError("no BatchCommitted(" + n + ")");
  }
}
