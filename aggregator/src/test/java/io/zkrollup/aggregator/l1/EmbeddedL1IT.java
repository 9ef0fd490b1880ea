package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.coordinator.ClusterTestKeys;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.TestNode;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded L1 takes real batches proven by a real node (Groth16, B=5, D=4) whose deposits came
 * from its queue, and refuses, changing nothing, every batch or claim that breaks a rule: a proof
 * for other data, a replayed batch, a wrong old root, skipped or reordered deposits, a second
 * claim, a claim by someone else.
 */
class EmbeddedL1IT {

  private static final BigInteger BALANCE = BigInteger.valueOf(1_000_000);
  private static final L1Address EXCHANGE = L1Address.of(HexFormat.of().parseHex("00000000000000000000000000000000000e0c4a"));
  private static final L1Address DEPOSITOR = L1Address.of(HexFormat.of().parseHex("00000000000000000000000000000000000d0d0d"));
  private static final BigInteger WITHDRAWN = BigInteger.valueOf(123_456);

  @TempDir static Path dir;
  private static TestNode node;
  private static GnarkProver verifier;
  private static long batches;

  /** A node whose genesis deposits are accounts 1..3, then a transfer and a withdrawal, all proven. */
  @BeforeAll
  static void proveBatches() throws Exception {
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(3);
    node = TestNode.start(dir.resolve("node"), o);
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(2, BigInteger.valueOf(300), BigInteger.ONE, 0)).build());
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(3).withdrawal(EXCHANGE, WITHDRAWN, BigInteger.ONE, 0)).build());
    var s = node.await(st -> st.getSealedBatches() >= 5 && st.getProvenBatches() == st.getSealedBatches() && st.getBuiltBatches() == st.getSealedBatches(), Duration.ofMinutes(4));
    batches = s.getProvenBatches();
    verifier = GnarkProver.load(LibZkProver.load(), ClusterTestKeys.dir());
  }

  @AfterAll
  static void stop() {
    verifier.close();
    node.close();
  }

  private static Fr keyHash(int account) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, node.wallets.get(account).publicKey());
  }

  private static StoredBatch batch(long n) {
    return node.node.batch(n).orElseThrow();
  }

  private static byte[] proof(long n) {
    return node.node.proof(n).orElseThrow().proof();
  }

  /** A fresh L1 with the node's genesis root and operator, and the given accounts' deposits queued. */
  private static EmbeddedL1 l1(String name, Fr genesisRoot, int... accounts) {
    EmbeddedL1 l1 = EmbeddedL1.open(dir.resolve(name), TestNode.ROLLUP, ClusterTestKeys.SLOTS, genesisRoot, keyHash(0), verifier);
    l1.fund(DEPOSITOR, BALANCE.multiply(BigInteger.TEN));
    for (int a : accounts) {
      l1.deposit(DEPOSITOR, keyHash(a), BALANCE);
    }
    return l1;
  }

  private static void commit(EmbeddedL1 l1, long n) {
    StoredBatch b = batch(n);
    l1.commitBatch(b.publicData(), b.newRoot(), proof(n));
  }

  private static void assertReverts(EmbeddedL1 l1, Runnable call, String reason) {
    L1State before = l1.state();
    assertThatThrownBy(call::run).isInstanceOf(L1RevertedException.class).hasMessageContaining(reason);
    assertThat(l1.state()).as("a revert changes nothing").isEqualTo(before);
  }

  @Test
  void acceptsTheNodesBatchesInOrderAndPaysTheWithdrawalToItsOwnerOnce() {
    Fr genesis = batch(0).oldRoot();
    try (EmbeddedL1 l1 = l1("l1-happy", genesis, 1, 2, 3)) {
      assertThat(l1.state()).isEqualTo(new L1State(genesis, 0, 4, 0));
      assertThat(l1.balance(DEPOSITOR)).isEqualTo(BALANCE.multiply(BigInteger.valueOf(7)));
      for (long n = 0; n < batches; n++) {
        commit(l1, n);
      }
      L1State s = l1.state();
      assertThat(s.stateRoot()).isEqualTo(batch(batches - 1).newRoot());
      assertThat(s.batchCount()).isEqualTo(batches);
      assertThat(s.depositsConsumed()).isEqualTo(4);
      assertThat(l1.pendingWithdrawal(EXCHANGE)).isEqualTo(WITHDRAWN);

      assertReverts(l1, () -> l1.claim(DEPOSITOR), "nothing to claim");
      assertThat(l1.claim(EXCHANGE)).isEqualTo(WITHDRAWN);
      assertThat(l1.balance(EXCHANGE)).isEqualTo(WITHDRAWN);
      assertReverts(l1, () -> l1.claim(EXCHANGE), "nothing to claim");
      assertThat(l1.balance(EXCHANGE)).as("paid once").isEqualTo(WITHDRAWN);

      assertReverts(l1, () -> commit(l1, batches - 1), "out of order");
    }
    // Persisted: the same state after a reopen.
    try (EmbeddedL1 again = EmbeddedL1.open(dir.resolve("l1-happy"), TestNode.ROLLUP, ClusterTestKeys.SLOTS, genesis, keyHash(0), verifier)) {
      assertThat(again.state().batchCount()).isEqualTo(batches);
      assertThat(again.balance(EXCHANGE)).isEqualTo(WITHDRAWN);
      assertThat(again.pendingWithdrawal(EXCHANGE)).isZero();
    }
  }

  @Test
  void refusesAProofOfOtherDataAndAWrongOldRoot() {
    Fr genesis = batch(0).oldRoot();
    try (EmbeddedL1 l1 = l1("l1-proofs", genesis, 1, 2, 3)) {
      commit(l1, 0);
      StoredBatch b1 = batch(1);
      assertReverts(l1, () -> l1.commitBatch(b1.publicData(), b1.newRoot(), proof(2)), "does not verify");
      assertReverts(l1, () -> l1.commitBatch(b1.publicData(), batch(2).newRoot(), proof(1)), "does not verify");
      byte[] garbage = proof(1);
      garbage[garbage.length / 2] ^= 1;
      assertReverts(l1, () -> l1.commitBatch(b1.publicData(), b1.newRoot(), garbage), "does not verify");
      commit(l1, 1);
    }
    // An L1 whose root is not the batch's old root.
    try (EmbeddedL1 l1 = l1("l1-root", Fr.of(BigInteger.valueOf(42)), 1, 2, 3)) {
      assertReverts(l1, () -> commit(l1, 0), "does not verify");
    }
  }

  @Test
  void refusesDepositsSkippedOrReordered() {
    Fr genesis = batch(0).oldRoot();
    try (EmbeddedL1 reordered = l1("l1-reordered", genesis, 2, 1, 3)) {
      commit(reordered, 0);
      assertReverts(reordered, () -> commit(reordered, 1), "not the next 1 of the queue");
    }
    try (EmbeddedL1 skipped = l1("l1-skipped", genesis, 3, 1, 2, 3)) {
      commit(skipped, 0);
      assertReverts(skipped, () -> commit(skipped, 1), "not the next 1 of the queue");
    }
    try (EmbeddedL1 missing = l1("l1-missing", genesis, 1)) {
      commit(missing, 0);
      commit(missing, 1);
      assertReverts(missing, () -> commit(missing, 2), "more deposits than are queued");
    }
  }

  @Test
  void refusesBadDepositsAndMalformedBatches() {
    try (EmbeddedL1 l1 = l1("l1-bad", batch(0).oldRoot())) {
      L1Address poor = L1Address.of(new byte[20]);
      assertThatThrownBy(() -> l1.deposit(DEPOSITOR, keyHash(1), BigInteger.ZERO)).isInstanceOf(L1RevertedException.class);
      assertThatThrownBy(() -> l1.deposit(DEPOSITOR, keyHash(1), EmbeddedL1.DEPOSIT_LIMIT)).isInstanceOf(L1RevertedException.class);
      assertThatThrownBy(() -> l1.deposit(poor, keyHash(1), BigInteger.ONE)).hasMessageContaining("insufficient balance");
      assertThat(l1.state().depositCount()).as("only the operator's deposit").isEqualTo(1);
      assertReverts(l1, () -> l1.commitBatch(new byte[7], batch(0).newRoot(), proof(0)), "malformed public data");
      assertThat(l1.deposits(0, 10)).extracting(L1Deposit::index).containsExactly(0L);
      assertThat(l1.deposits(0, 10).get(0).keyHash()).as("deposit 0 creates the operator").isEqualTo(keyHash(0));
    }
  }
}
