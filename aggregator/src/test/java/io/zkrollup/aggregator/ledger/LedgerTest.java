package io.zkrollup.aggregator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.TxRules;
import io.zkrollup.circuits.tx.TxViolation;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ledger refuses exactly what {@link TxRules} refuses, with the reason {@link RejectReason#of}
 * maps the rule to and the rule's message; the rules themselves are tested in the circuits module
 * ({@code TxRulesTest}).
 */
class LedgerTest {

  private static final Poseidon2 P = new Poseidon2();
  private static final long ROLLUP = 3;
  private static final int DEPTH = 4;
  private static final BigInteger FEE = BigInteger.valueOf(2);
  private static final EdDsaPrivateKey ALICE = key(1);
  private static final EdDsaPrivateKey BOB = key(2);
  private static final L1Address ALICE_L1 = L1Address.fromHex("0x00000000000000000000000000000000000a11ce");
  private static final L1Address BOB_L1 = L1Address.fromHex("0x0000000000000000000000000000000000000b0b");

  private final SignatureVerifier verifier = new SignatureVerifier(P, ROLLUP);

  private static EdDsaPrivateKey key(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private static Fr keyHash(EdDsaPrivateKey k) {
    return GenesisFile.keyHash(P, k.publicKey());
  }

  private static Map<Long, AccountLeaf> genesis() {
    return Map.of(
        0L, new AccountLeaf(Fr.of(7), Owner.ZERO, BigInteger.ZERO, 0),
        1L, new AccountLeaf(keyHash(ALICE), ALICE_L1.owner(), BigInteger.valueOf(100), 0),
        2L, new AccountLeaf(keyHash(BOB), BOB_L1.owner(), BigInteger.valueOf(10), 5));
  }

  private VerifiedOp verified(SignableOp op, EdDsaPrivateKey k) {
    return verifier.verify(op.sign(k, P, ROLLUP));
  }

  @Test
  void everyRuleMapsToItsOwnReason() {
    Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);
    for (TxViolation.Reason rule : TxViolation.Reason.values()) {
      assertThat(seen.add(RejectReason.of(rule))).as("%s shares its reason", rule).isTrue();
    }
    assertThat(RejectReason.of(TxViolation.Reason.BALANCE_OVERFLOW)).isEqualTo(RejectReason.AMOUNT_OVERFLOW);
    assertThat(RejectReason.of(TxViolation.Reason.INDEX_OUTSIDE_TREE)).isEqualTo(RejectReason.MALFORMED);
    for (TxViolation.Reason rule : EnumSet.complementOf(EnumSet.of(TxViolation.Reason.BALANCE_OVERFLOW, TxViolation.Reason.INDEX_OUTSIDE_TREE))) {
      assertThat(RejectReason.of(rule).name()).isEqualTo(rule.name());
    }
  }

  @Test
  void aRefusalIsTheRulesViolationAtItsPositionAndChangesNothing() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    Map<Long, AccountLeaf> before = ledger.snapshot();
    List<VerifiedOp> list = List.of(
        verified(new Transfer(1, 2, 10, 2, 0), ALICE),
        verified(new Transfer(2, 1, 20, 2, 5), BOB)); // Bob has 10 + 10: less than 20 + 2
    Rejection r = ledger.admit(list);

    // What the rules say about the second op, on the accounts the first one left.
    Map<Long, AccountLeaf> afterFirst = new HashMap<>(before);
    TxRules.Applied first = (TxRules.Applied) TxRules.signed(afterFirst::get, list.get(0).signed().op(), list.get(0).keyHash(), FEE, AccountLeaf.ETH, DEPTH);
    afterFirst.put(1L, first.signer());
    afterFirst.put(2L, first.receiver());
    TxViolation v = (TxViolation) TxRules.signed(afterFirst::get, list.get(1).signed().op(), list.get(1).keyHash(), FEE, AccountLeaf.ETH, DEPTH);

    assertThat(r).isEqualTo(new Rejection(RejectReason.INSUFFICIENT_BALANCE, 1, v.message()));
    assertThat(v.reason()).isEqualTo(TxViolation.Reason.INSUFFICIENT_BALANCE);
    assertThat(ledger.snapshot()).isEqualTo(before);
    // Nothing of the refused list lingers: the first op alone is admitted as if the list never came.
    assertThat(ledger.admit(list.subList(0, 1))).isNull();
    assertThat(ledger.snapshot()).containsEntry(1L, first.signer()).containsEntry(2L, first.receiver());
  }

  @Test
  void aListIsAdmittedInOrderWithSelfTransfers() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    assertThat(ledger.admit(List.of(
        verified(new Transfer(1, 1, 50, 2, 0), ALICE), // 100 - 2
        verified(new Transfer(1, 2, 90, 2, 1), ALICE), // 98 - 92 = 6; Bob 10 + 90
        verified(new Transfer(2, 1, 99, 2, 5), BOB)))) // Bob 100 - 101: refused
        .extracting(Rejection::reason, Rejection::index)
        .containsExactly(RejectReason.INSUFFICIENT_BALANCE, 2);
    assertThat(ledger.admit(List.of(verified(new Transfer(1, 1, 50, 2, 0), ALICE), verified(new Transfer(1, 2, 90, 2, 1), ALICE)))).isNull();
    assertThat(ledger.account(1)).contains(new AccountLeaf(keyHash(ALICE), ALICE_L1.owner(), BigInteger.valueOf(6), 2));
    assertThat(ledger.account(2)).contains(new AccountLeaf(keyHash(BOB), BOB_L1.owner(), BigInteger.valueOf(100), 5));
  }

  @Test
  void depositsAndTheOperatorsCreditFollowTheRules() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    assertThatThrownBy(() -> ledger.deposit(new Deposit(16, keyHash(ALICE), ALICE_L1, BigInteger.ONE)))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageContaining("deposit to index 16, outside the tree of depth 4");
    assertThatThrownBy(() -> ledger.deposit(new Deposit(1, keyHash(BOB), BOB_L1, BigInteger.ONE)))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.WRONG_KEY));
    ledger.deposit(new Deposit(3, keyHash(BOB), BOB_L1, BigInteger.TEN));
    assertThat(ledger.account(3)).contains(new AccountLeaf(keyHash(BOB), BOB_L1.owner(), BigInteger.TEN, 0));
    ledger.creditOperator(4);
    assertThat(ledger.account(0).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(8));
    Ledger noOperator = new Ledger(DEPTH, FEE, 9, genesis());
    assertThatThrownBy(() -> noOperator.creditOperator(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("operator account 9 does not exist");
  }

  @Test
  void aDepositGoesToTheAccountOfItsKeyAndOwnerElseTheLowestEmptyLeaf() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    assertThat(ledger.placement(keyHash(ALICE), ALICE_L1.owner())).isEqualTo(1);
    // Alice's key with another owner is another account: it may not reach Alice's funds.
    assertThat(ledger.placement(keyHash(ALICE), BOB_L1.owner())).isEqualTo(3);
    ledger.deposit(new Deposit(3, keyHash(ALICE), BOB_L1, BigInteger.ONE));
    assertThat(ledger.placement(keyHash(ALICE), BOB_L1.owner())).isEqualTo(3);
    assertThat(ledger.placement(keyHash(BOB), ALICE_L1.owner())).isEqualTo(4);
    assertThat(ledger.indexOf(keyHash(ALICE))).contains(1L);
  }

  @Test
  void everyAccountOfAKeyIsFoundInIndexOrderAndInPages() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    L1Address carol = L1Address.fromHex("0x00000000000000000000000000000000000ca201");
    // Deposits place Alice's key for two more owners, the higher index first.
    ledger.deposit(new Deposit(5, keyHash(ALICE), carol, BigInteger.ONE));
    ledger.deposit(new Deposit(3, keyHash(ALICE), BOB_L1, BigInteger.ONE));
    ledger.deposit(new Deposit(3, keyHash(ALICE), BOB_L1, BigInteger.ONE)); // the same account again: no new index
    assertThat(ledger.indicesOf(keyHash(ALICE), 0, 10)).containsExactly(1, 3, 5);
    assertThat(ledger.indicesOf(keyHash(ALICE), 0, 2)).containsExactly(1, 3);
    assertThat(ledger.indicesOf(keyHash(ALICE), 2, 10)).containsExactly(3, 5);
    assertThat(ledger.indicesOf(keyHash(ALICE), 4, 10)).containsExactly(5);
    assertThat(ledger.indicesOf(keyHash(ALICE), 6, 10)).isEmpty();
    assertThat(ledger.indicesOf(keyHash(BOB), 0, 10)).containsExactly(2);
    assertThat(ledger.indicesOf(Fr.of(12345), 0, 10)).isEmpty();
    assertThat(ledger.indexOf(keyHash(ALICE))).as("the lowest").contains(1L);
  }

  @Test
  void aForcedWithdrawalIsPaidOrRefusedAsTheRulesSay() {
    Ledger ledger = new Ledger(DEPTH, FEE, 0, genesis());
    Map<Long, AccountLeaf> before = ledger.snapshot();
    ForcedWithdrawal notOwner = new ForcedWithdrawal(1, BOB_L1, BigInteger.ONE);
    ForcedWithdrawal tooMuch = new ForcedWithdrawal(1, ALICE_L1, BigInteger.valueOf(101));
    ForcedWithdrawal empty = new ForcedWithdrawal(5, ALICE_L1, BigInteger.ONE);
    assertThat(ledger.forcedWithdrawal(notOwner)).isEqualTo(TxRules.forcedWithdrawal(before::get, notOwner, DEPTH)).isInstanceOf(TxRules.Refused.class);
    assertThat(ledger.forcedWithdrawal(tooMuch)).isInstanceOf(TxRules.Refused.class);
    assertThat(ledger.forcedWithdrawal(empty)).isInstanceOf(TxRules.Refused.class);
    assertThat(ledger.snapshot()).isEqualTo(before);

    assertThat(ledger.forcedWithdrawal(new ForcedWithdrawal(1, ALICE_L1, BigInteger.valueOf(100)))).isInstanceOf(TxRules.Paid.class);
    assertThat(ledger.account(1)).contains(new AccountLeaf(keyHash(ALICE), ALICE_L1.owner(), BigInteger.ZERO, 0));
    assertThatThrownBy(() -> ledger.forcedWithdrawal(new ForcedWithdrawal(16, ALICE_L1, BigInteger.ONE)))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.MALFORMED));
  }
}
