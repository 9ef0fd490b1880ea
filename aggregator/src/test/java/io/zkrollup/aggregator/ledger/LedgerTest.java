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
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
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
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
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
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
    assertThatThrownBy(() -> ledger.deposit(new Deposit(16, keyHash(ALICE), ALICE_L1, BigInteger.ONE)))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.MALFORMED))
        .hasMessageContaining("deposit to index 16, outside the tree of depth 4");
    assertThatThrownBy(() -> ledger.deposit(new Deposit(1, keyHash(BOB), BOB_L1, BigInteger.ONE)))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.WRONG_KEY));
    ledger.deposit(new Deposit(3, keyHash(BOB), BOB_L1, BigInteger.TEN));
    assertThat(ledger.account(3)).contains(new AccountLeaf(keyHash(BOB), BOB_L1.owner(), BigInteger.TEN, 0));
    assertThat(ledger.creditOperator(AccountLeaf.ETH, 4)).isZero();
    assertThat(ledger.account(0).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(8));
    Ledger noOperator = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 9, genesis());
    assertThatThrownBy(() -> noOperator.creditOperator(AccountLeaf.ETH, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no account of token 0");
  }

  @Test
  void aDepositGoesToTheAccountOfItsKeyAndOwnerElseTheLowestEmptyLeaf() {
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
    assertThat(ledger.placement(keyHash(ALICE), ALICE_L1.owner(), AccountLeaf.ETH)).isEqualTo(1);
    // Alice's key with another owner is another account: it may not reach Alice's funds.
    assertThat(ledger.placement(keyHash(ALICE), BOB_L1.owner(), AccountLeaf.ETH)).isEqualTo(3);
    ledger.deposit(new Deposit(3, keyHash(ALICE), BOB_L1, BigInteger.ONE));
    assertThat(ledger.placement(keyHash(ALICE), BOB_L1.owner(), AccountLeaf.ETH)).isEqualTo(3);
    assertThat(ledger.placement(keyHash(BOB), ALICE_L1.owner(), AccountLeaf.ETH)).isEqualTo(4);
    assertThat(ledger.indexOf(keyHash(ALICE))).contains(1L);
  }

  @Test
  void everyAccountOfAKeyIsFoundInIndexOrderAndInPages() {
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
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
    Ledger ledger = new Ledger(DEPTH, FeeSchedule.ethOnly(FEE), 0, genesis());
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

  // ------------------------------------------------------------------ tokens (protocol v3)

  private static final int USDC = 1;
  private static final BigInteger USDC_FEE = BigInteger.valueOf(5);
  private static final Fr OPERATOR_KEY = Fr.of(7);

  /** {@link #genesis()} plus Alice's and Bob's USDC accounts (3, 4) and the operator's USDC account (5). */
  private static Map<Long, AccountLeaf> withUsdc() {
    Map<Long, AccountLeaf> accounts = new HashMap<>(genesis());
    accounts.put(3L, new AccountLeaf(keyHash(ALICE), ALICE_L1.owner(), USDC, BigInteger.valueOf(1000), 0));
    accounts.put(4L, new AccountLeaf(keyHash(BOB), BOB_L1.owner(), USDC, BigInteger.valueOf(50), 0));
    accounts.put(5L, new AccountLeaf(OPERATOR_KEY, Owner.ZERO, USDC, BigInteger.ZERO, 0));
    return accounts;
  }

  private static Ledger usdcLedger() {
    return new Ledger(DEPTH, new FeeSchedule(FEE, Map.of(USDC, USDC_FEE)), 0, withUsdc());
  }

  @Test
  void eachTokensOpPaysThatTokensFeeAndTheOperatorsAccountOfThatTokenCollectsIt() {
    Ledger ledger = usdcLedger();
    assertThat(ledger.feeAccount(AccountLeaf.ETH)).isZero();
    assertThat(ledger.feeAccount(USDC)).isEqualTo(5);
    assertThat(ledger.feeAccount(2)).isEqualTo(-1);
    assertThat(ledger.servedFees()).containsExactly(Map.entry(0, FEE), Map.entry(USDC, USDC_FEE));

    assertThat(ledger.admit(List.of(verified(new Transfer(3, 4, 100, 5, 0, USDC), ALICE)))).isNull();
    assertThat(ledger.account(3).orElseThrow().balance()).as("amount + the USDC fee").isEqualTo(BigInteger.valueOf(1000 - 100 - 5));
    assertThat(ledger.account(4).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(150));
    assertThat(ledger.admit(List.of(verified(new Transfer(1, 2, 10, 2, 0), ALICE)))).isNull();
    assertThat(ledger.account(1).orElseThrow().balance()).as("amount + the ETH fee").isEqualTo(BigInteger.valueOf(100 - 10 - 2));

    // A signed max fee is checked against its own token's fee: 4 covers ETH's 2 but not USDC's 5.
    assertThat(ledger.admit(List.of(verified(new Transfer(3, 4, 1, 4, 1, USDC), ALICE))))
        .extracting(Rejection::reason)
        .isEqualTo(RejectReason.FEE_TOO_LOW);

    assertThat(ledger.creditOperator(USDC, 3)).isEqualTo(5);
    assertThat(ledger.account(5).orElseThrow().balance()).isEqualTo(USDC_FEE.multiply(BigInteger.valueOf(3)));
    assertThat(ledger.account(0).orElseThrow().balance()).as("the ETH fee account is untouched").isZero();
  }

  @Test
  void aSignedTokenThatIsNotTheAccountsIsATokenMismatch() {
    Ledger ledger = usdcLedger();
    Map<Long, AccountLeaf> before = ledger.snapshot();
    // Alice signs a USDC transfer from her ETH account 1.
    Rejection r = ledger.admit(List.of(verified(new Transfer(1, 4, 10, 5, 0, USDC), ALICE)));
    assertThat(r.reason()).isEqualTo(RejectReason.TOKEN_MISMATCH);
    assertThat(r.message()).contains("token 1", "account 1 holds token 0");
    // And an ETH withdrawal from her USDC account 3.
    Rejection w = ledger.admit(List.of(verified(new io.zkrollup.circuits.tx.Withdrawal(3, BOB_L1, BigInteger.ONE, FEE, 0), ALICE)));
    assertThat(w.reason()).isEqualTo(RejectReason.TOKEN_MISMATCH);
    assertThat(ledger.snapshot()).isEqualTo(before);
  }

  @Test
  void aTransferToAnAccountOfAnotherTokenIsATokenMismatch() {
    Ledger ledger = usdcLedger();
    Map<Long, AccountLeaf> before = ledger.snapshot();
    // Alice's USDC to Bob's ETH account 2.
    Rejection r = ledger.admit(List.of(verified(new Transfer(3, 2, 10, 5, 0, USDC), ALICE)));
    assertThat(r.reason()).isEqualTo(RejectReason.TOKEN_MISMATCH);
    assertThat(r.message()).contains("account 2, which holds token 0");
    assertThat(ledger.snapshot()).isEqualTo(before);
  }

  @Test
  void aTokenTheOperatorHasNoAccountOfIsNotServed() {
    Map<Long, AccountLeaf> accounts = new HashMap<>(withUsdc());
    accounts.remove(5L);
    Ledger ledger = new Ledger(DEPTH, new FeeSchedule(FEE, Map.of(USDC, USDC_FEE)), 0, accounts);
    Rejection r = ledger.admit(List.of(verified(new Transfer(3, 4, 10, 5, 0, USDC), ALICE)));
    assertThat(r).isEqualTo(new Rejection(RejectReason.TOKEN_NOT_SERVED, 0, r.message()));
    assertThat(r.message()).contains("token 1");
    assertThat(ledger.servedFees()).containsOnlyKeys(0);
    // Once the operator's USDC account exists (L1 queues it when the token is listed), USDC is served.
    ledger.deposit(new Deposit(ledger.placement(OPERATOR_KEY, Owner.ZERO, USDC), OPERATOR_KEY, L1Address.of(new byte[20]), BigInteger.ZERO, USDC));
    assertThat(ledger.feeAccount(USDC)).isEqualTo(5);
    assertThat(ledger.admit(List.of(verified(new Transfer(3, 4, 10, 5, 0, USDC), ALICE)))).isNull();
  }

  @Test
  void aDepositOfAnotherTokenGetsAnAccountOfItsOwn() {
    Ledger ledger = usdcLedger();
    assertThat(ledger.placement(keyHash(ALICE), ALICE_L1.owner(), AccountLeaf.ETH)).isEqualTo(1);
    assertThat(ledger.placement(keyHash(ALICE), ALICE_L1.owner(), USDC)).isEqualTo(3);
    assertThat(ledger.placement(keyHash(ALICE), ALICE_L1.owner(), 2)).as("the lowest empty leaf").isEqualTo(6);
  }
}
