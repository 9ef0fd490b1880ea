package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.DataAvailabilityMode;
import io.zkrollup.api.v1.GetBatchDataRequest;
import io.zkrollup.api.v1.GetBatchDataResponse;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.batch.PublicData;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Validium mode end to end (docs/protocol.md, "Validium"), with real Groth16 proofs of the
 * validium circuit (B=5, D=4): a validium node on Rollup.sol deployed with {@code validium = true}
 * (anvil, through {@code Web3jRollupContract}) takes deposits, proves and publishes transfers and a
 * withdrawal without their transfer data, and serves that data with {@code GetBatchData}; the owner
 * claims. Then the node's batches are committed by hand to a second validium contract, which must
 * refuse the rollup-format data and L1 data carrying a transfer chunk or another txHash; and a
 * rollup contract refuses validium data.
 */
class ValidiumIT {

  private static final int SLOTS = 5;
  private static final int DEPTH = 4;
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  private static final BigInteger DEPOSIT = new BigInteger("300000000000000000");
  private static final BigInteger WITHDRAWN = new BigInteger("100000000000000007");
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir static Path dir;
  private static Path keys;
  private static GnarkProver prover;

  @BeforeAll
  static void setUpValidiumKeys() throws Exception {
    keys = SharedTestKeys.of(ProofSystem.GROTH16, SLOTS, DEPTH, DataAvailability.VALIDIUM);
    prover = GnarkProver.load(LibZkProver.load(), keys);
    assertThat(prover.dataAvailability()).isEqualTo(DataAvailability.VALIDIUM);
  }

  @AfterAll
  static void closeProver() {
    if (prover != null) {
      prover.close();
    }
  }

  private static Fr keyHash(TestNode t, int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, t.wallets.get(wallet).publicKey());
  }

  private static NodeConfig validiumNode(Path dataDir, Optional<L1Endpoint> l1) {
    TestNode.Options o = TestNode.Options.defaults().withSealAfter(100).withProver(ProofSystem.GROTH16, keys, SLOTS, DEPTH).withAccounts(0);
    NodeConfig c = TestNode.configFor(dataDir, o);
    return c.toBuilder().l1(l1).dataAvailability(DataAvailability.VALIDIUM).build();
  }

  @Test
  void aValidiumNodePublishesWithoutTransferDataServesItAndL1RefusesAnythingElse() throws Exception {
    try (L1Chain chain = L1Chain.start(dir.resolve("anvil"))) {
      Fr operatorKeyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(0).publicKey());
      Fr genesis = L1Chain.emptyRoot(DEPTH);
      String verifier = chain.deployVerifier(keys);
      // The node's batches name the rollup id of this contract's address; to commit them again by
      // hand below, the chain goes back here and the second contract lands at the same address.
      String beforeRollup = chain.anvil.snapshot();
      String rollup = chain.deployRollup(verifier, SLOTS, DEPTH, DataAvailability.VALIDIUM, genesis, operatorKeyHash);
      assertThat(chain.reader(rollup).validium().send()).isTrue();

      Credentials operator = L1Chain.key(0x0b);
      chain.setBalance(operator.getAddress(), ETH.multiply(BigInteger.TEN));
      Path keyFile = dir.resolve("operator.key");
      Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64) + "\n");
      Credentials user = L1Chain.key(0x11);
      Credentials owner = L1Chain.key(0x21);
      chain.setBalance(user.getAddress(), ETH.multiply(BigInteger.TWO));
      chain.setBalance(owner.getAddress(), ETH);

      L1Endpoint.Ethereum l1 = new L1Endpoint.Ethereum(chain.anvil.url(), rollup, keyFile, OptionalLong.of(chain.anvil.chainId()), 100, 1).acceptingDevelopmentKeys();
      List<Fr> depositKeys = new ArrayList<>();
      List<StoredBatch> batches = new ArrayList<>();
      List<byte[]> proofs = new ArrayList<>();
      NodeConfig config = TestNode.onL1(validiumNode(dir.resolve("node"), Optional.empty()), l1);
      try (TestNode t = TestNode.start(config, 3, 1)) {
        for (int a = 1; a <= 3; a++) {
          depositKeys.add(keyHash(t, a));
          chain.deposit(user, rollup, keyHash(t, a), DEPOSIT);
        }
        Await.until(PATIENCE, () -> t.node.pendingAccount(3).isPresent(), "the third deposit to reach the node");
        t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(1).transfer(2, BigInteger.valueOf(3_000), BigInteger.ONE, 0)).build());
        t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(2).transfer(3, BigInteger.valueOf(2_000), BigInteger.ONE, 0)).build());
        L1Address ownerAddress = L1Address.of(Numeric.hexStringToByteArray(owner.getAddress()));
        t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(3).withdrawal(ownerAddress, WITHDRAWN, BigInteger.ONE, 0)).build());
        Await.until(
            PATIENCE,
            () -> {
              var s = t.status();
              return t.node.pendingAccount(3).orElseThrow().nonce() == 1 && s.getSealedBatches() >= 5 && t.node.publishedBatches() == s.getSealedBatches();
            },
            "every batch on L1");
        assertThat(t.node.publishFailure()).isEmpty();
        assertThat(t.status().getMode()).isEqualTo(DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM);
        assertThat(chain.reader(rollup).stateRoot().send()).as("L1's root is the node's").isEqualTo(new BigInteger(1, t.status().getStateRoot().toByteArray()));
        assertThat(chain.reader(rollup).requestsConsumed().send()).isEqualTo(BigInteger.valueOf(4));

        // The owner claims the withdrawal, credited from L1 data that held no transfer.
        BigInteger before = chain.balance(owner.getAddress());
        TransactionReceipt claimed = chain.claim(owner, rollup);
        assertThat(claimed.isStatusOK()).isTrue();
        assertThat(chain.balance(owner.getAddress())).isEqualTo(before.add(WITHDRAWN).subtract(L1Chain.fee(claimed)));

        // The transfer data is served, and it is exactly what the published hash binds.
        int transfers = 0;
        long published = t.node.publishedBatches();
        for (long n = 0; n < published; n++) {
          GetBatchDataResponse data = t.stub().getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(n).build());
          StoredBatch stored = t.node.batch(n).orElseThrow();
          batches.add(stored);
          proofs.add(t.node.proof(n).orElseThrow().proof());
          PublicData full = PublicData.decode(SLOTS, data.getPublicData().toByteArray());
          L1Data onL1 = L1Data.decode(SLOTS, DataAvailability.VALIDIUM, data.getL1Data().toByteArray());
          assertThat(data.getMode()).isEqualTo(DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM);
          assertThat(L1Data.of(full, DataAvailability.VALIDIUM, TestNode.POSEIDON2)).isEqualTo(onL1);
          assertThat(data.getTxHash().toByteArray()).isEqualTo(L1Data.txHash(full, TestNode.POSEIDON2).toBytes());
          assertThat(Fr.fromBytes(data.getPubdataHash().toByteArray())).isEqualTo(onL1.hash()).isEqualTo(stored.publicInputs().pubdataHash());
          for (int slot = 0; slot < SLOTS; slot++) {
            if (full.opCode(slot) == OpCode.TRANSFER.code()) {
              transfers++;
              assertThat(full.chunk(slot)).as("batch %d slot %d: the served transfer", n, slot).isNotEqualTo(new byte[10]);
              assertThat(onL1.onChain().chunk(slot)).as("batch %d slot %d: nothing of it on L1", n, slot).isEqualTo(new byte[10]);
            }
          }
        }
        assertThat(transfers).isEqualTo(2);

        // The exit tool cannot rebuild a validium state from L1 alone and says so; with the node's
        // batch data it can, and data that is not what L1 committed is refused.
        assertThatThrownBy(() -> StateFromL1.read(chain.anvil.url(), rollup, Optional.empty()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("validium mode")
            .hasMessageContaining("GetBatchData");
        StateFromL1.BatchData served = n -> Optional.of(t.stub().getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(n).build()).getPublicData().toByteArray());
        StateFromL1.Rebuilt rebuilt = StateFromL1.read(chain.anvil.url(), rollup, Optional.of(served));
        assertThat(rebuilt.state().stateRoot().toBytes()).isEqualTo(t.status().getStateRoot().toByteArray());
        for (long a = 1; a <= 3; a++) {
          assertThat(rebuilt.accounts().get(a)).isEqualTo(t.node.pendingAccount(a).orElseThrow());
        }
        StateFromL1.BatchData forged = n -> served.publicData(n).map(b -> {
          b[b.length - 1] ^= 1;
          return b;
        });
        assertThatThrownBy(() -> StateFromL1.read(chain.anvil.url(), rollup, Optional.of(forged)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is not what L1 committed");
        assertThatThrownBy(() -> t.stub().getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(1_000).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      }

      // The same batches, committed by hand to a second contract at the first one's address (so
      // with its rollup id), on the chain from before the first: each tampered form is refused first.
      chain.anvil.revert(beforeRollup);
      chain.setBalance(user.getAddress(), ETH.multiply(BigInteger.TWO));
      String second = chain.deployRollup(verifier, SLOTS, DEPTH, DataAvailability.VALIDIUM, genesis, operatorKeyHash);
      assertThat(second).isEqualToIgnoringCase(rollup);
      String rollupMode = chain.deployRollup(verifier, SLOTS, DEPTH, DataAvailability.ROLLUP, genesis, operatorKeyHash);
      for (Fr k : depositKeys) {
        chain.deposit(user, second, k, DEPOSIT);
      }
      StringBuilder gas = new StringBuilder();
      for (int n = 0; n < batches.size(); n++) {
        StoredBatch b = batches.get(n);
        byte[] proof = solidityProof(b, proofs.get(n));
        for (byte[] bad : tampered(b)) {
          assertThat(chain.revertOf(LocalAnvil.devAccount(0), second, BigInteger.ZERO, commitBatch(chain, bad, b.newRoot(), proof))).hasValueSatisfying(r -> assertThat(r).startsWith("InvalidProof"));
        }
        assertThat(chain.revertOf(LocalAnvil.devAccount(0), second, BigInteger.ZERO, commitBatch(chain, b.publicData(), b.newRoot(), proof)))
            .as("the rollup-format public data")
            .hasValueSatisfying(r -> assertThat(r).startsWith("MalformedPubdata"));
        TransactionReceipt r = chain.send(LocalAnvil.devAccount(0), second, BigInteger.ZERO, commitBatch(chain, b.l1Data(), b.newRoot(), proof), L1Chain.GAS_LIMIT);
        assertThat(r.isStatusOK()).as("commitBatch(%d)", b.number()).isTrue();
        gas.append(String.format(Locale.ROOT, "  batch %d  commitBatch gasUsed %,d  (L1 data %d bytes)%n", b.number(), r.getGasUsed(), b.l1Data().length));
      }
      System.out.printf(Locale.ROOT, "validium commitBatch gas (anvil, Groth16, B=%d, D=%d):%n%s", SLOTS, DEPTH, gas);
      assertThat(chain.reader(second).stateRoot().send()).isEqualTo(batches.get(batches.size() - 1).newRoot().toBigInteger());
      assertThat(chain.reader(second).pendingWithdrawal(BigInteger.ZERO, owner.getAddress()).send()).isEqualTo(WITHDRAWN);
      StoredBatch first = batches.get(0);
      assertThat(chain.revertOf(LocalAnvil.devAccount(0), rollupMode, BigInteger.ZERO, commitBatch(chain, first.l1Data(), first.newRoot(), solidityProof(first, proofs.get(0)))))
          .as("a rollup contract and validium data")
          .hasValueSatisfying(r -> assertThat(r).startsWith("MalformedPubdata"));
    }
  }

  @Test
  void aRollupNodeRefusesValidiumKeys() {
    NodeConfig validium = validiumNode(dir.resolve("wrong-mode"), Optional.empty());
    NodeConfig rollup = validium.toBuilder().dataAvailability(DataAvailability.ROLLUP).build();
    assertThatThrownBy(() -> TestNode.start(rollup, 1)).hasStackTraceContaining("(validium), the node needs groth16 B=5 D=4 (rollup)");
  }

  private static byte[] solidityProof(StoredBatch b, byte[] proof) {
    return prover.solidityProof(new BatchProof(ProofSystem.GROTH16, proof, b.publicInputs()));
  }

  /**
   * L1 data that must not verify: each transfer chunk put back (the rollup content, at the validium
   * length), and the txHash changed.
   */
  private static List<byte[]> tampered(StoredBatch b) {
    List<byte[]> out = new ArrayList<>();
    byte[] l1 = b.l1Data();
    PublicData full = PublicData.decode(SLOTS, b.publicData());
    int chunks = PublicData.headerBytes(SLOTS);
    for (int slot = 0; slot < SLOTS; slot++) {
      if (full.opCode(slot) == OpCode.TRANSFER.code()) {
        byte[] withTransfer = l1.clone();
        System.arraycopy(full.chunk(slot), 0, withTransfer, chunks + slot * PublicData.CHUNK_BYTES, PublicData.CHUNK_BYTES);
        out.add(withTransfer);
      }
    }
    byte[] otherTxHash = l1.clone();
    otherTxHash[otherTxHash.length - 1] ^= 1;
    out.add(otherTxHash);
    assertThat(out).allSatisfy(bad -> assertThat(Arrays.equals(bad, l1)).isFalse());
    return out;
  }

  private static String commitBatch(L1Chain chain, byte[] data, Fr newRoot, byte[] proof) {
    return chain.reader("0x0000000000000000000000000000000000000000").commitBatch(data, newRoot.toBigInteger(), proof).encodeFunctionCall();
  }
}
