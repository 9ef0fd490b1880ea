package io.zkrollup.aggregator.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.ledger.FeeSchedule;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.TxRules;
import io.zkrollup.circuits.tx.Float16;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rules are the circuit's: random transactions (many of them invalid: replays, gaps,
 * overdrafts, unknown accounts, low fees, self-transfers, lists) go through the sequencer, and
 * every batch it closes builds with {@link BatchBuilder} (which applies the same {@code TxRules}
 * slot by slot, and checks every signature again) to the same accounts the ledger has, and to the
 * same roots when it trusts the verified ops as the node's sealer does; a journal replay into a
 * fresh sequencer reaches the same ledger and the same batches.
 */
class SequencerAgreementTest {

  static final Poseidon2 P = new Poseidon2();
  static final long ROLLUP = 5;
  static final int DEPTH = 5;
  static final int SLOTS = 7;
  static final BigInteger FEE = BigInteger.valueOf(3);
  static final L1Address STRANGER = L1Address.fromHex("0x00000000000000000000000000000000000bad00");

  @Test
  void everyClosedBatchBuildsToTheLedgersAccounts() {
    Random random = new Random(20261124);
    int accounts = 6;
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i <= accounts; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, Map.of());
    Sequencer sequencer = new Sequencer(ledger, SLOTS, Long.MAX_VALUE, 0, 0);
    List<JournalEntry> journal = new ArrayList<>();
    List<SealedBatch> sealed = new ArrayList<>();
    Sequencer.Output out =
        new Sequencer.Output() {
          @Override
          public void journal(long index, JournalEntry entry) {
            assertThat(index).isEqualTo(journal.size());
            journal.add(entry);
          }

          @Override
          public void sealed(SealedBatch batch) {
            sealed.add(batch);
          }
        };
    sequencer.priority(new Deposit(0, keyHash(keys.get(0)), TestNode.OWNER, BigInteger.ZERO), 0, out);
    for (int i = 1; i <= accounts - 1; i++) {
      sequencer.priority(new Deposit(i, keyHash(keys.get(i)), TestNode.OWNER, BigInteger.valueOf(200 + 100L * i)), 0, out);
    }
    SignatureVerifier verifier = new SignatureVerifier(P, ROLLUP);
    Map<RejectReason, Integer> refused = new EnumMap<>(RejectReason.class);
    Map<Boolean, Integer> forced = new HashMap<>();
    int accepted = 0;
    for (int round = 0; round < 400; round++) {
      int n = random.nextInt(6) == 0 ? 2 + random.nextInt(3) : 1;
      List<VerifiedOp> list = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        list.add(randomTx(random, ledger, keys, accounts, verifier));
      }
      if (random.nextInt(40) == 0) {
        // A deposit now and then, sometimes creating the last account.
        sequencer.priority(new Deposit(accounts, keyHash(keys.get(accounts)), TestNode.OWNER, BigInteger.valueOf(random.nextInt(1000))), 0, out);
      }
      if (random.nextInt(25) == 0) {
        // A forced withdrawal now and then: by the owner or a stranger, within the balance or not,
        // from an account or an empty leaf. Paid or refused, it is processed.
        ForcedWithdrawal f = new ForcedWithdrawal(
            random.nextInt(accounts + 2), random.nextBoolean() ? TestNode.OWNER : STRANGER, BigInteger.valueOf(1 + random.nextInt(random.nextBoolean() ? 100 : 5000)));
        boolean paid = TxRules.forcedWithdrawal(i -> ledger.account(i).orElse(null), f, DEPTH) instanceof TxRules.Paid;
        sequencer.priority(f, 0, out);
        forced.merge(paid, 1, Integer::sum);
      }
      Rejection r = sequencer.accept(list, 0, out);
      if (r == null) {
        accepted += n;
      } else {
        refused.merge(r.reason(), 1, Integer::sum);
      }
    }
    sequencer.flush(out);
    assertThat(accepted).isGreaterThan(100);
    assertThat(forced).as("forced withdrawals paid (true) and refused (false)").containsKeys(true, false);
    assertThat(refused.keySet())
        .contains(RejectReason.NONCE_REPLAYED, RejectReason.NONCE_GAP, RejectReason.INSUFFICIENT_BALANCE, RejectReason.UNKNOWN_ACCOUNT, RejectReason.FEE_TOO_LOW);

    // Build every closed batch as an audit does (every signature verified again) and as the
    // node's sealer does (the verified ops trusted): the same accounts as the ledger, the same roots.
    StateTree tree = new StateTree(new InMemoryTreeStore(DEPTH), P, 4);
    StateTree trusting = new StateTree(new InMemoryTreeStore(DEPTH), P, 4);
    Map<Long, AccountLeaf> built = new HashMap<>();
    BatchBuilder builder = new BatchBuilder(P, DataAvailability.ROLLUP, BatchBuilder.Signatures.VERIFY_ALL);
    BatchBuilder sealer = new BatchBuilder(P, DataAvailability.ROLLUP, BatchBuilder.Signatures.TRUST_VERIFIED);
    for (SealedBatch s : sealed) {
      assertThat(s.ops()).allMatch(op -> op instanceof VerifiedOp || op instanceof PriorityOp);
      BatchHeader header = new BatchHeader(ROLLUP, s.number(), s.operator(), s.fee());
      Batch trusted = sealer.build(trusting, i -> Optional.ofNullable(built.get(i)), header, SLOTS, s.ops());
      Batch b = builder.build(tree, i -> Optional.ofNullable(built.get(i)), header, SLOTS, s.ops());
      assertThat(trusted.publicInputs()).isEqualTo(b.publicInputs());
      assertThat(trusted.accountChanges()).isEqualTo(b.accountChanges());
      tree.commit();
      trusting.commit();
      built.putAll(b.accountChanges());
    }
    assertThat(built).isEqualTo(ledger.snapshot());

    // Replaying the journal into a fresh sequencer gives the same ledger and batches.
    Ledger again = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, Map.of());
    Sequencer replayer = new Sequencer(again, SLOTS, Long.MAX_VALUE, 0, 0);
    List<SealedBatch> replayed = new ArrayList<>();
    Sequencer.Output collect =
        new Sequencer.Output() {
          @Override
          public void journal(long index, JournalEntry entry) {
            throw new AssertionError("replay journals nothing");
          }

          @Override
          public void sealed(SealedBatch batch) {
            replayed.add(batch);
          }
        };
    for (int i = 0; i < journal.size(); i++) {
      replayer.replay(i, journal.get(i), collect);
    }
    assertThat(again.snapshot()).isEqualTo(ledger.snapshot());
    assertThat(replayed).isEqualTo(sealed);
  }

  private static VerifiedOp randomTx(Random random, Ledger ledger, List<EdDsaPrivateKey> keys, int accounts, SignatureVerifier verifier) {
    int from = 1 + random.nextInt(accounts);
    long nonce = ledger.account(from).map(AccountLeaf::nonce).orElse(0L);
    switch (random.nextInt(10)) {
      case 0 -> nonce = Math.max(0, nonce - 1 - random.nextInt(2));
      case 1 -> nonce += 1 + random.nextInt(2);
      default -> {}
    }
    BigInteger maxFee = random.nextInt(12) == 0 ? BigInteger.TWO : FEE.add(BigInteger.valueOf(random.nextInt(3)));
    BigInteger amount = Float16.floorOf(BigInteger.valueOf(random.nextInt(random.nextInt(8) == 0 ? 5000 : 150))).value();
    SignableOp op;
    if (random.nextInt(6) == 0) {
      byte[] address = new byte[20];
      random.nextBytes(address);
      op = new Withdrawal(from, L1Address.of(address), amount, maxFee, nonce);
    } else {
      int to = random.nextInt(9) == 0 ? from : random.nextInt(accounts + 2);
      op = new Transfer(from, to, amount, maxFee, nonce);
    }
    return Objects.requireNonNull(verifier.verify(op.sign(keys.get(from), P, ROLLUP)));
  }

  private static Fr keyHash(EdDsaPrivateKey key) {
    return GenesisFile.keyHash(P, key.publicKey());
  }
}
