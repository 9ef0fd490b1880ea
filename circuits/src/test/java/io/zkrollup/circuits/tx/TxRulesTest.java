package io.zkrollup.circuits.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.tx.TxViolation.Reason;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link TxRules} with an input that passes and one that breaks it (which must fail
 * with the rule's reason). The ledger and the batch builder only call these; their tests show that
 * they do.
 */
class TxRulesTest {

  private static final int D = 4;
  private static final long ALICE = 1;
  private static final long BOB = 2;
  private static final long OPERATOR = 7;
  private static final long NEW = 5;
  private static final long ALICE_USDC = 8;
  private static final long BOB_USDC = 9;
  private static final int USDC = 0x1234;
  private static final long OUTSIDE = 16; // 2^D
  private static final Fr ALICE_KEY = Fr.of(1001);
  private static final Fr BOB_KEY = Fr.of(1002);
  private static final Fr OPERATOR_KEY = Fr.of(1003);
  private static final BigInteger FEE = BigInteger.valueOf(2);
  private static final L1Address ADDR = L1Address.fromHex("0x00112233445566778899aabbccddeeff01020304");
  private static final L1Address ALICE_OWNER = L1Address.fromHex("0xa11ce000000000000000000000000000000000a1");
  private static final L1Address BOB_OWNER = L1Address.fromHex("0x00000000000000000000000000000000000b0b0b");

  private final Map<Long, AccountLeaf> accounts = new HashMap<>();

  /** Reads the map; reading outside the tree is a bug in the rules. */
  private final TxRules.Accounts view =
      index -> {
        assertThat(TxRules.inTree(index, D)).as("the rules read index %d, outside the tree", index).isTrue();
        return accounts.get(index);
      };

  @BeforeEach
  void accounts() {
    accounts.put(ALICE, new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), big(1000), 0));
    accounts.put(BOB, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(50), 3));
    accounts.put(OPERATOR, new AccountLeaf(OPERATOR_KEY, Owner.ZERO, big(0), 0));
    accounts.put(ALICE_USDC, new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), USDC, big(300), 2));
    accounts.put(BOB_USDC, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), USDC, big(0), 0));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  /** The op's rules in an ETH batch (the operator's account holds ETH). */
  private TxRules.Outcome signed(SignableOp op, Fr keyHash) {
    return TxRules.signed(view, op, keyHash, FEE, AccountLeaf.ETH, D);
  }

  private static TxRules.Applied applied(TxRules.Outcome outcome) {
    assertThat(outcome.violation()).isEmpty();
    return (TxRules.Applied) outcome;
  }

  private static AccountLeaf credited(TxRules.Outcome outcome) {
    assertThat(outcome.violation()).isEmpty();
    return ((TxRules.Credited) outcome).account();
  }

  private static void assertBroken(TxRules.Outcome outcome, Reason reason, String message) {
    assertThat(outcome).isInstanceOf(TxViolation.class);
    TxViolation v = (TxViolation) outcome;
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.message()).contains(message);
  }

  // ------------------------------------------------------------------ signed ops that pass

  @Test
  void aTransferDebitsAmountPlusFeeAndANonceAndCreditsTheAmount() {
    TxRules.Applied a = applied(signed(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY));
    assertThat(a.signer()).isEqualTo(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), big(898), 1));
    assertThat(a.receiver()).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(150), 3));
    assertThat(accounts.get(ALICE).balance()).as("pure: nothing written").isEqualTo(big(1000));
  }

  @Test
  void aSelfTransferCreditsTheDebitedSigner() {
    TxRules.Applied a = applied(signed(new Transfer(BOB, BOB, 40, 5, 3), BOB_KEY));
    assertThat(a.signer()).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(8), 4));
    assertThat(a.receiver()).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(48), 4));
  }

  @Test
  void aWithdrawalDebitsTheSignerOnly() {
    TxRules.Applied a = applied(signed(new Withdrawal(BOB, ADDR, big(48), big(2), 3), BOB_KEY));
    assertThat(a.signer()).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(0), 4));
    assertThat(a.receiver()).isNull();
  }

  // ------------------------------------------------------------------ one broken rule each

  @Test
  void theSignerMustExist() {
    assertBroken(signed(new Transfer(NEW, ALICE, 10, 5, 0), ALICE_KEY), Reason.UNKNOWN_ACCOUNT, "transfer from account 5, which does not exist");
    assertBroken(
        signed(new Withdrawal(NEW, ADDR, big(1), big(5), 0), ALICE_KEY), Reason.UNKNOWN_ACCOUNT, "withdrawal from account 5, which does not exist");
  }

  @Test
  void theSignerMustBeInsideTheTree() {
    accounts.put(OUTSIDE, new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), big(1000), 0)); // never read
    assertBroken(
        signed(new Transfer(OUTSIDE, ALICE, 10, 5, 0), ALICE_KEY),
        Reason.UNKNOWN_ACCOUNT,
        "from account 16, which does not exist (index 16 is outside the tree of depth 4)");
  }

  @Test
  void theKeyMustBeTheSignersKey() {
    assertBroken(signed(new Transfer(ALICE, BOB, 10, 5, 0), BOB_KEY), Reason.WRONG_KEY, "the transfer's public key is not the key of account 1");
  }

  @Test
  void aNonceBelowTheAccountsIsAReplay() {
    assertBroken(signed(new Transfer(BOB, ALICE, 1, 5, 2), BOB_KEY), Reason.NONCE_REPLAYED, "nonce 2 of account 2 is used; the next is 3");
  }

  @Test
  void aNonceAboveTheAccountsIsAGap() {
    assertBroken(signed(new Transfer(BOB, ALICE, 1, 5, 4), BOB_KEY), Reason.NONCE_GAP, "nonce 4 skips ahead; account 2 expects 3");
  }

  @Test
  void anAccountWithEveryNonceUsedSendsNothing() {
    accounts.put(BOB, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(50), Long.MAX_VALUE));
    assertBroken(
        signed(new Transfer(BOB, ALICE, 1, 5, Long.MAX_VALUE), BOB_KEY), Reason.NONCE_REPLAYED, "account 2 has used every nonce below 2^63");
  }

  @Test
  void theBatchFeeMustNotExceedTheSignedMaxFee() {
    assertBroken(signed(new Transfer(ALICE, BOB, 10, 1, 0), ALICE_KEY), Reason.FEE_TOO_LOW, "the transfer's signed max fee 1 is below the batch fee 2");
    applied(signed(new Transfer(ALICE, BOB, 10, 2, 0), ALICE_KEY)); // equal is enough
  }

  @Test
  void theBalanceMustCoverAmountPlusFee() {
    assertBroken(
        signed(new Transfer(BOB, ALICE, 49, 5, 3), BOB_KEY), Reason.INSUFFICIENT_BALANCE, "account 2 has 50, less than amount + fee = 51");
    assertBroken(signed(new Withdrawal(BOB, ADDR, big(49), big(5), 3), BOB_KEY), Reason.INSUFFICIENT_BALANCE, "less than amount + fee = 51");
    assertThat(applied(signed(new Transfer(BOB, ALICE, 48, 5, 3), BOB_KEY)).signer().balance()).isZero(); // exactly is enough
  }

  @Test
  void theReceiverMustExist() {
    assertBroken(signed(new Transfer(ALICE, NEW, 10, 5, 0), ALICE_KEY), Reason.UNKNOWN_ACCOUNT, "transfer to account 5, which does not exist");
  }

  @Test
  void theReceiverMustBeInsideTheTree() {
    accounts.put(OUTSIDE, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(0), 0)); // never read
    assertBroken(
        signed(new Transfer(ALICE, OUTSIDE, 10, 5, 0), ALICE_KEY),
        Reason.UNKNOWN_ACCOUNT,
        "transfer to account 16, which does not exist (index 16 is outside the tree of depth 4)");
  }

  @Test
  void theReceiversBalanceMustStayBelow2To128() {
    accounts.put(BOB, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), AccountLeaf.MAX_BALANCE.subtract(big(9)), 3));
    assertBroken(signed(new Transfer(ALICE, BOB, 10, 5, 0), ALICE_KEY), Reason.BALANCE_OVERFLOW, "account 2's balance after the transfer would be");
    assertThat(applied(signed(new Transfer(ALICE, BOB, 9, 5, 0), ALICE_KEY)).receiver().balance()).isEqualTo(AccountLeaf.MAX_BALANCE);
  }

  @Test
  void theFirstBrokenRuleInTheFixedOrderIsReported() {
    // Wrong key, a gap, too low a fee and an overdraft at once: the key comes first.
    SignableOp bad = new Transfer(BOB, NEW, 2000, 0, 9);
    assertBroken(signed(bad, ALICE_KEY), Reason.WRONG_KEY, "not the key of account 2");
    assertBroken(signed(bad, BOB_KEY), Reason.NONCE_GAP, "expects 3");
    assertBroken(signed(new Transfer(BOB, NEW, 2000, 0, 3), BOB_KEY), Reason.FEE_TOO_LOW, "below the batch fee");
    assertBroken(signed(new Transfer(BOB, NEW, 2000, 5, 3), BOB_KEY), Reason.INSUFFICIENT_BALANCE, "less than amount + fee");
    assertBroken(signed(new Transfer(BOB, NEW, 20, 5, 3), BOB_KEY), Reason.UNKNOWN_ACCOUNT, "to account 5");
  }

  // ------------------------------------------------------------------ tokens (protocol v3)

  @Test
  void anOpOfAnotherTokenThanTheFeeTokenPaysNoFee() {
    TxRules.Applied a = applied(signed(new Transfer(ALICE_USDC, BOB_USDC, 300, 0, 2, USDC), ALICE_KEY));
    assertThat(a.signer()).isEqualTo(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), USDC, big(0), 3)); // all of it: no fee
    assertThat(a.receiver()).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), USDC, big(300), 0));
    assertThat(TxRules.paysFee(new Transfer(ALICE_USDC, BOB_USDC, 300, 0, 2, USDC), AccountLeaf.ETH)).isFalse();
    assertThat(TxRules.paysFee(new Transfer(ALICE, BOB, 1, 0, 0), AccountLeaf.ETH)).isTrue();
  }

  @Test
  void inABatchOfAnotherFeeTokenAnEthOpPaysNothingAndTheTokensOpsPay() {
    TxRules.Applied eth = applied(TxRules.signed(view, new Transfer(BOB, ALICE, 50, 0, 3), BOB_KEY, FEE, USDC, D));
    assertThat(eth.signer().balance()).isZero();
    assertBroken(
        TxRules.signed(view, new Transfer(ALICE_USDC, BOB_USDC, 300, 5, 2, USDC), ALICE_KEY, FEE, USDC, D),
        Reason.INSUFFICIENT_BALANCE,
        "less than amount + fee = 302");
    assertBroken(
        TxRules.signed(view, new Transfer(ALICE_USDC, BOB_USDC, 1, 1, 2, USDC), ALICE_KEY, FEE, USDC, D), Reason.FEE_TOO_LOW, "below the batch fee 2");
  }

  @Test
  void anOpMustBeOfItsSignersToken() {
    assertBroken(
        signed(new Transfer(ALICE_USDC, BOB_USDC, 1, 5, 2), ALICE_KEY), Reason.TOKEN_MISMATCH, "the transfer is of token 0 but account 8 holds token 4660");
    assertBroken(
        signed(new Withdrawal(ALICE, ADDR, big(1), big(5), 0, USDC), ALICE_KEY), Reason.TOKEN_MISMATCH, "the withdrawal is of token 4660 but account 1 holds token 0");
    // After the key and before the nonce.
    assertBroken(signed(new Transfer(ALICE_USDC, BOB_USDC, 1, 5, 2), BOB_KEY), Reason.WRONG_KEY, "not the key");
    assertBroken(signed(new Transfer(ALICE_USDC, BOB_USDC, 1, 5, 7), ALICE_KEY), Reason.TOKEN_MISMATCH, "token");
  }

  @Test
  void aTransferStaysWithinOneToken() {
    assertBroken(
        signed(new Transfer(ALICE, BOB_USDC, 1, 5, 0), ALICE_KEY), Reason.TOKEN_MISMATCH, "transfer of token 0 to account 9, which holds token 4660");
    assertBroken(
        signed(new Transfer(ALICE_USDC, BOB, 1, 5, 2, USDC), ALICE_KEY), Reason.TOKEN_MISMATCH, "transfer of token 4660 to account 2, which holds token 0");
  }

  @Test
  void theFeeTokenIsTheOperatorAccountsToken() {
    assertThat(TxRules.feeToken(view, OPERATOR, D)).isEqualTo(new TxRules.FeeToken(AccountLeaf.ETH, null));
    assertThat(TxRules.feeToken(view, BOB_USDC, D)).isEqualTo(new TxRules.FeeToken(USDC, null));
    assertThat(TxRules.feeToken(view, NEW, D).violation().reason()).isEqualTo(Reason.UNKNOWN_ACCOUNT);
    assertThat(TxRules.feeToken(view, OUTSIDE, D).violation().message()).contains("outside the tree", "no fee token");
  }

  @Test
  void aWithdrawalIsBelow2To112() {
    BigInteger max = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
    assertThat(new Withdrawal(ALICE, ADDR, max, big(5), 0).amount()).isEqualTo(max);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Withdrawal(ALICE, ADDR, max.add(BigInteger.ONE), big(5), 0))
        .hasMessageContaining("2^112");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Transfer(ALICE, BOB, 1, 5, 0, 1 << 16)).hasMessageContaining("2^16");
  }

  @Test
  void aTokenDepositGoesToTheAccountOfItsToken() {
    assertThat(credited(TxRules.deposit(view, new Deposit(NEW, ALICE_KEY, ALICE_OWNER, big(5), USDC), D)))
        .isEqualTo(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), USDC, big(5), 0));
    assertThat(credited(TxRules.deposit(view, new Deposit(ALICE_USDC, ALICE_KEY, ALICE_OWNER, big(5), USDC), D)).balance()).isEqualTo(big(305));
    // Alice's ETH account is another account than her USDC one.
    assertBroken(TxRules.deposit(view, new Deposit(ALICE, ALICE_KEY, ALICE_OWNER, big(5), USDC), D), Reason.WRONG_KEY, "(token 4660)");
  }

  @Test
  void aForcedWithdrawalOfAnotherTokenThanTheAccountsIsRefused() {
    assertRefused(
        TxRules.forcedWithdrawal(view, new ForcedWithdrawal(BOB, BOB_OWNER, big(1), USDC), D),
        ForcedWithdrawal.Refusal.WRONG_TOKEN,
        "of token 4660 from account 2, which holds token 0");
    assertRefused(forced(ALICE_USDC, ALICE_OWNER, 1), ForcedWithdrawal.Refusal.WRONG_TOKEN, "which holds token 4660");
    assertThat(TxRules.forcedWithdrawal(view, new ForcedWithdrawal(ALICE_USDC, ALICE_OWNER, big(300), USDC), D))
        .isEqualTo(new TxRules.Paid(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), USDC, big(0), 2)));
    // The owner is checked before the token.
    assertRefused(TxRules.forcedWithdrawal(view, new ForcedWithdrawal(ALICE_USDC, BOB_OWNER, big(1), 0), D), ForcedWithdrawal.Refusal.NOT_OWNER, "owner");
  }

  // ------------------------------------------------------------------ deposits

  @Test
  void aDepositToAnEmptyLeafCreatesTheAccount() {
    assertThat(credited(TxRules.deposit(view, new Deposit(NEW, ALICE_KEY, ALICE_OWNER, big(500)), D))).isEqualTo(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), big(500), 0));
  }

  @Test
  void aDepositOntoAnAccountKeepsItsNonce() {
    assertThat(credited(TxRules.deposit(view, new Deposit(BOB, BOB_KEY, BOB_OWNER, big(7)), D))).isEqualTo(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(57), 3));
  }

  @Test
  void aDepositMustBeInsideTheTree() {
    assertBroken(
        TxRules.deposit(view, new Deposit(OUTSIDE, ALICE_KEY, ALICE_OWNER, big(1)), D), Reason.INDEX_OUTSIDE_TREE, "deposit to index 16, outside the tree of depth 4");
  }

  @Test
  void aDepositMustNameTheAccountsKeyAndOwner() {
    assertBroken(TxRules.deposit(view, new Deposit(BOB, ALICE_KEY, BOB_OWNER, big(1)), D), Reason.WRONG_KEY, "deposit to account 2 is for key hash");
    // Bob's key with another owner is another account (docs/protocol.md, "An account is (key, owner, token)").
    assertBroken(TxRules.deposit(view, new Deposit(BOB, BOB_KEY, ALICE_OWNER, big(1)), D), Reason.WRONG_KEY, "owned by " + ALICE_OWNER);
  }

  @Test
  void aDepositWithAnotherOwnerCreatesAnAccountOfItsOwn() {
    assertThat(credited(TxRules.deposit(view, new Deposit(NEW, BOB_KEY, ALICE_OWNER, big(9)), D)))
        .isEqualTo(new AccountLeaf(BOB_KEY, ALICE_OWNER.owner(), big(9), 0));
  }

  @Test
  void aDepositMustKeepTheBalanceBelow2To128() {
    accounts.put(BOB, new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), AccountLeaf.MAX_BALANCE.subtract(big(500)), 3));
    BigInteger almost = BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE);
    assertBroken(
        TxRules.deposit(view, new Deposit(BOB, BOB_KEY, BOB_OWNER, almost), D), Reason.BALANCE_OVERFLOW, "account 2's balance after the deposit would be");
    assertThat(credited(TxRules.deposit(view, new Deposit(BOB, BOB_KEY, BOB_OWNER, big(500)), D)).balance()).isEqualTo(AccountLeaf.MAX_BALANCE);
  }

  // ------------------------------------------------------------------ forced withdrawals

  private TxRules.Outcome forced(long account, L1Address requester, long amount) {
    return TxRules.forcedWithdrawal(view, new ForcedWithdrawal(account, requester, big(amount)), D);
  }

  private static void assertRefused(TxRules.Outcome outcome, ForcedWithdrawal.Refusal reason, String message) {
    assertThat(outcome).isInstanceOf(TxRules.Refused.class);
    TxRules.Refused r = (TxRules.Refused) outcome;
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.message()).contains(message);
    assertThat(outcome.violation()).as("a refusal is processed, not a violation").isEmpty();
  }

  @Test
  void aForcedWithdrawalByTheOwnerIsPaidWithoutFeeOrNonce() {
    TxRules.Outcome o = forced(BOB, BOB_OWNER, 50);
    assertThat(o).isEqualTo(new TxRules.Paid(new AccountLeaf(BOB_KEY, BOB_OWNER.owner(), big(0), 3)));
    assertThat(((TxRules.Paid) forced(ALICE, ALICE_OWNER, 1)).account()).isEqualTo(new AccountLeaf(ALICE_KEY, ALICE_OWNER.owner(), big(999), 0));
    assertThat(accounts.get(BOB).balance()).as("pure: nothing written").isEqualTo(big(50));
  }

  @Test
  void aForcedWithdrawalFromAnEmptyAccountIsRefused() {
    assertRefused(forced(NEW, BOB_OWNER, 1), ForcedWithdrawal.Refusal.EMPTY_ACCOUNT, "account 5, which does not exist");
  }

  @Test
  void aForcedWithdrawalByAnotherThanTheOwnerIsRefused() {
    assertRefused(forced(BOB, ALICE_OWNER, 1), ForcedWithdrawal.Refusal.NOT_OWNER, "by " + ALICE_OWNER + ", but the account's owner is " + BOB_OWNER);
    // The key's holder is no owner: only the L1 address that made the account.
    assertRefused(forced(BOB, ADDR, 1), ForcedWithdrawal.Refusal.NOT_OWNER, "owner is");
  }

  @Test
  void aForcedWithdrawalOfMoreThanTheBalanceIsRefused() {
    assertRefused(forced(BOB, BOB_OWNER, 51), ForcedWithdrawal.Refusal.EXCEEDS_BALANCE, "of 51 from account 2, which has 50");
  }

  @Test
  void aForcedWithdrawalIsRefusedForTheFirstReasonInOrder() {
    assertRefused(forced(NEW, ALICE_OWNER, 10_000), ForcedWithdrawal.Refusal.EMPTY_ACCOUNT, "does not exist");
    assertRefused(forced(BOB, ALICE_OWNER, 10_000), ForcedWithdrawal.Refusal.NOT_OWNER, "owner");
  }

  @Test
  void aForcedWithdrawalMustBeInsideTheTree() {
    assertBroken(forced(OUTSIDE, BOB_OWNER, 1), Reason.INDEX_OUTSIDE_TREE, "forced withdrawal from index 16, outside the tree of depth 4");
  }

  // ------------------------------------------------------------------ the operator's fees

  @Test
  void theOperatorReceivesTheFeeOfEveryPayingOp() {
    assertThat(credited(TxRules.creditOperator(view, OPERATOR, FEE, 3, D))).isEqualTo(new AccountLeaf(OPERATOR_KEY, Owner.ZERO, big(6), 0));
  }

  @Test
  void theOperatorMustExistInsideTheTree() {
    assertBroken(TxRules.creditOperator(view, NEW, FEE, 3, D), Reason.UNKNOWN_ACCOUNT, "the operator account 5 does not exist");
    assertBroken(TxRules.creditOperator(view, OUTSIDE, FEE, 3, D), Reason.INDEX_OUTSIDE_TREE, "the operator index 16 is outside the tree of depth 4");
  }

  @Test
  void theOperatorsBalanceMustStayBelow2To128() {
    accounts.put(OPERATOR, new AccountLeaf(OPERATOR_KEY, Owner.ZERO, AccountLeaf.MAX_BALANCE.subtract(big(5)), 0));
    assertBroken(TxRules.creditOperator(view, OPERATOR, FEE, 3, D), Reason.BALANCE_OVERFLOW, "the operator's balance after 3 fees would be");
  }

  @Test
  void indicesInsideTheTree() {
    assertThat(TxRules.inTree(0, D)).isTrue();
    assertThat(TxRules.inTree(15, D)).isTrue();
    assertThat(TxRules.inTree(16, D)).isFalse();
    assertThat(TxRules.inTree(-1, D)).isFalse();
    assertThat(TxRules.inTree(0xffff_ffffL, 32)).isTrue();
    assertThat(TxRules.inTree(1L << 32, 32)).isFalse();
  }
}
