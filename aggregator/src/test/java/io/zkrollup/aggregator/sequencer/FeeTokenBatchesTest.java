package io.zkrollup.aggregator.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.FeeSchedule;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One fee token per batch (docs/protocol.md, "The node (v3)"): the sequencer seals a batch before a
 * signed op of another token than the batch's first, names the operator's account of that token
 * and its fee in the batch, and every batch so cut builds with {@link BatchBuilder} (every
 * signature checked again) to the ledger's accounts, fees credited in the right token.
 */
class FeeTokenBatchesTest {

  static final Poseidon2 P = new Poseidon2();
  static final long ROLLUP = 0xfedc_ba98_7654_3210L; // above 2^63: a negative long
  static final int DEPTH = 4;
  static final int SLOTS = 8;
  static final int USDC = 3;
  static final BigInteger ETH_FEE = BigInteger.valueOf(2);
  static final BigInteger USDC_FEE = BigInteger.valueOf(7);
  static final L1Address OWNER = L1Address.fromHex("0x000000000000000000000000000000000000c0de");

  private final EdDsaPrivateKey operator = key(0);
  private final EdDsaPrivateKey alice = key(1);
  private final EdDsaPrivateKey bob = key(2);
  private final SignatureVerifier verifier = new SignatureVerifier(P, ROLLUP);
  private final List<JournalEntry> journal = new ArrayList<>();
  private final List<SealedBatch> sealed = new ArrayList<>();
  private final Sequencer.Output out =
      new Sequencer.Output() {
        @Override
        public void journal(long index, JournalEntry entry) {
          journal.add(entry);
        }

        @Override
        public void sealed(SealedBatch batch) {
          sealed.add(batch);
        }
      };

  private static EdDsaPrivateKey key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = 0x33;
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private static Fr keyHash(EdDsaPrivateKey k) {
    return GenesisFile.keyHash(P, k.publicKey());
  }

  private static Ledger ledger() {
    return new Ledger(DEPTH, new FeeSchedule(ETH_FEE, Map.of(USDC, USDC_FEE)), 0, Map.of());
  }

  /** Operator ETH (0), Alice ETH (1), Bob ETH (2), Alice USDC (3), Bob USDC (4), operator USDC (5). */
  private void genesis(Sequencer sequencer) {
    sequencer.priority(new Deposit(0, keyHash(operator), OWNER, BigInteger.ZERO), 0, out);
    sequencer.priority(new Deposit(1, keyHash(alice), OWNER, BigInteger.valueOf(1000)), 0, out);
    sequencer.priority(new Deposit(2, keyHash(bob), OWNER, BigInteger.valueOf(1000)), 0, out);
    sequencer.priority(new Deposit(3, keyHash(alice), OWNER, BigInteger.valueOf(1000), USDC), 0, out);
    sequencer.priority(new Deposit(4, keyHash(bob), OWNER, BigInteger.valueOf(1000), USDC), 0, out);
    sequencer.priority(new Deposit(5, keyHash(operator), OWNER, BigInteger.ZERO, USDC), 0, out);
  }

  private VerifiedOp signed(SignableOp op, EdDsaPrivateKey k) {
    return verifier.verify(op.sign(k, P, ROLLUP));
  }

  @Test
  void aBatchIsSealedBeforeASignedOpOfAnotherTokenAndEachPaysItsTokensFee() {
    Ledger ledger = ledger();
    Sequencer sequencer = new Sequencer(ledger, SLOTS, Long.MAX_VALUE, 0, 0);
    genesis(sequencer); // 6 deposits of 5 slots: each its own batch (ETH's fee account, no fee paid)
    int genesisBatches = sealed.size();

    assertThat(sequencer.accept(List.of(signed(new Transfer(1, 2, 10, 2, 0), alice)), 0, out)).isNull();
    assertThat(sequencer.accept(List.of(signed(new Transfer(2, 1, 5, 2, 0), bob)), 0, out)).isNull();
    // An atomic list that changes token: one list, two batches.
    assertThat(
            sequencer.accept(
                List.of(signed(new Transfer(3, 4, 100, 7, 0, USDC), alice), signed(new Withdrawal(4, OWNER, BigInteger.valueOf(30), USDC_FEE, 0, USDC), bob)),
                0,
                out))
        .isNull();
    assertThat(sequencer.accept(List.of(signed(new Transfer(1, 2, 1, 2, 1), alice)), 0, out)).isNull();
    sequencer.flush(out);

    List<SealedBatch> cut = sealed.subList(genesisBatches, sealed.size());
    assertThat(cut).extracting(SealedBatch::operator).containsExactly(0L, 5L, 0L);
    assertThat(cut).extracting(SealedBatch::fee).containsExactly(ETH_FEE, USDC_FEE, ETH_FEE);
    assertThat(cut).extracting(SealedBatch::signedOps).containsExactly(2, 2, 1);
    assertThat(sealed.subList(0, genesisBatches)).allSatisfy(b -> assertThat(b.operator()).isZero());

    // The fees: 3 ETH ops and 2 USDC ops, each in its own token's fee account.
    assertThat(ledger.account(0).orElseThrow().balance()).isEqualTo(ETH_FEE.multiply(BigInteger.valueOf(3)));
    assertThat(ledger.account(5).orElseThrow().balance()).isEqualTo(USDC_FEE.multiply(BigInteger.TWO));
    assertThat(ledger.account(3).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(1000 - 100 - 7));
    assertThat(ledger.account(4).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(1000 + 100 - 30 - 7));

    // Every batch builds, re-checked slot by slot by TxRules with its header's operator and fee.
    StateTree tree = new StateTree(new InMemoryTreeStore(DEPTH), P, 4);
    Map<Long, AccountLeaf> built = new HashMap<>();
    BatchBuilder builder = new BatchBuilder(P, DataAvailability.ROLLUP, BatchBuilder.Signatures.VERIFY_ALL);
    for (SealedBatch s : sealed) {
      Batch b = builder.build(tree, i -> Optional.ofNullable(built.get(i)), new BatchHeader(ROLLUP, s.number(), s.operator(), s.fee()), SLOTS, s.ops());
      tree.commit();
      built.putAll(b.accountChanges());
    }
    assertThat(built).isEqualTo(ledger.snapshot());

    // A replay of the journal cuts the same batches.
    Ledger again = ledger();
    Sequencer replayer = new Sequencer(again, SLOTS, Long.MAX_VALUE, 0, 0);
    List<SealedBatch> replayed = new ArrayList<>();
    for (int i = 0; i < journal.size(); i++) {
      replayer.replay(i, journal.get(i), new Collect(replayed));
    }
    assertThat(replayed).isEqualTo(sealed);
    assertThat(again.snapshot()).isEqualTo(ledger.snapshot());
  }

  @Test
  void aJournalWithTwoFeeTokensInOneBatchDoesNotReplay() {
    Sequencer sequencer = new Sequencer(ledger(), SLOTS, Long.MAX_VALUE, 0, 0);
    genesis(sequencer);
    int at = journal.size();
    Sequencer replayer = new Sequencer(ledger(), SLOTS, Long.MAX_VALUE, 0, 0);
    for (int i = 0; i < at; i++) {
      replayer.replay(i, journal.get(i), new Collect(new ArrayList<>()));
    }
    replayer.replay(at, new JournalEntry.Tx(signed(new Transfer(1, 2, 10, 2, 0), alice)), new Collect(new ArrayList<>()));
    assertThatThrownBy(() -> replayer.replay(at + 1, new JournalEntry.Tx(signed(new Transfer(3, 4, 10, 7, 0, USDC), alice)), new Collect(new ArrayList<>())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("op of token 3 in batch")
        .hasMessageContaining("fee token 0");
  }

  private record Collect(List<SealedBatch> into) implements Sequencer.Output {
    @Override
    public void journal(long index, JournalEntry entry) {
      throw new AssertionError("replay journals nothing");
    }

    @Override
    public void sealed(SealedBatch batch) {
      into.add(batch);
    }
  }
}
