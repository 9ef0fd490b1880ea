package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.TxViolation;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {

  private static final Poseidon2 P = new Poseidon2();
  private static final int D = 4;
  private static final int B = 8;
  private static final long ROLLUP = 77;
  private static final long ALICE = 1;
  private static final long BOB = 2;
  private static final long OPERATOR = 7;
  private static final long NEW = 5;
  private static final EdDsaPrivateKey ALICE_KEY = key(1);
  private static final EdDsaPrivateKey BOB_KEY = key(2);
  private static final EdDsaPrivateKey OPERATOR_KEY = key(3);
  private static final EdDsaPrivateKey NEW_KEY = key(4);
  private static final L1Address ADDR = L1Address.fromHex("0x00112233445566778899aabbccddeeff01020304");

  private final BatchBuilder builder = new BatchBuilder(P);
  private StateTree tree;
  private final Map<Long, AccountLeaf> accounts = new HashMap<>();

  private static EdDsaPrivateKey key(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private static Fr keyHash(EdDsaPrivateKey k) {
    return AccountLeaf.keyHash(P, k.publicKey().point().x(), k.publicKey().point().y());
  }

  /** The L1 owner of the account of key {@code k} in these tests: 0x…0b, b the key's seed byte. */
  private static L1Address owner(EdDsaPrivateKey k) {
    byte[] a = new byte[20];
    a[19] = (byte) (k == ALICE_KEY ? 1 : k == BOB_KEY ? 2 : k == OPERATOR_KEY ? 3 : 4);
    a[0] = (byte) 0xee;
    return L1Address.of(a);
  }

  /** The ETH account of key {@code k} and its test owner. */
  private static AccountLeaf leaf(EdDsaPrivateKey k, long balance, long nonce) {
    return new AccountLeaf(keyHash(k), owner(k).owner(), big(balance), nonce);
  }

  private static Deposit deposit(long to, EdDsaPrivateKey k, long amount) {
    return new Deposit(to, keyHash(k), owner(k), big(amount));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  @BeforeEach
  void genesis() {
    tree = new StateTree(new InMemoryTreeStore(D), P, 4);
    open(ALICE, ALICE_KEY, 1000, 0);
    open(BOB, BOB_KEY, 50, 3);
    open(OPERATOR, OPERATOR_KEY, 0, 0);
    tree.commit();
  }

  private void open(long index, EdDsaPrivateKey k, long balance, long nonce) {
    AccountLeaf leaf = leaf(k, balance, nonce);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(P));
  }

  private Batch build(long fee, List<BatchOp> ops) {
    return builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR, fee), B, ops);
  }

  private static SignedOp sign(SignableOp op, EdDsaPrivateKey k) {
    return op.sign(k, P, ROLLUP);
  }

  /** The root of a fresh tree holding exactly these accounts. */
  private static Fr rootOf(Map<Long, AccountLeaf> leaves) {
    StateTree t = new StateTree(new InMemoryTreeStore(D), P, 0);
    leaves.forEach((i, a) -> t.put(i, a.hash(P)));
    return t.root();
  }

  // ------------------------------------------------------------------ accepted batches

  @Test
  void transferWithdrawalAndTransferThenPadding() {
    Batch batch = build(2, List.of(
        sign(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY),
        sign(new Withdrawal(BOB, ADDR, big(30), big(2), 3), BOB_KEY),
        sign(new Transfer(ALICE, BOB, 1, 2, 1), ALICE_KEY)));
    // Alice: 1000 - 102 - 3; Bob: 50 + 100 - 32 + 1; operator: 3 fees of 2.
    Map<Long, AccountLeaf> expected = Map.of(
        ALICE, leaf(ALICE_KEY, 895, 2),
        BOB, leaf(BOB_KEY, 119, 4),
        OPERATOR, leaf(OPERATOR_KEY, 6, 0));
    assertThat(batch.accountChanges()).isEqualTo(expected);
    assertThat(batch.publicInputs().newRoot()).isEqualTo(rootOf(expected)).isEqualTo(tree.root());
    assertThat(batch.publicInputs().oldRoot()).isEqualTo(tree.committedRoot());
    assertThat(batch.publicInputs().batchNumber()).isEqualTo(9);
    assertThat(batch.publicInputs().pubdataHash()).isEqualTo(batch.publicData().hash());
    List<BatchWitness.Slot> slots = batch.witness().slotWitnesses();
    assertThat(slots).extracting(BatchWitness.Slot::opCode).containsExactly(
        OpCode.TRANSFER, OpCode.WITHDRAWAL, OpCode.NOOP, OpCode.NOOP, OpCode.NOOP, OpCode.TRANSFER, OpCode.NOOP, OpCode.NOOP);
    BatchWitness.Slot w = slots.get(1);
    assertThat(w.amount16()).isEqualTo(Float16.ZERO);
    assertThat(w.amount()).isEqualTo(big(30));
    assertThat(w.maxFee16()).isEqualTo(Float16.encode(2));
    assertThat(w.dest()).isEqualTo(ADDR.toBigInteger());
    assertThat(w.receiver()).isEqualTo(BatchWitness.Account.unused(D));
    assertThat(slots.get(0).amount16()).isEqualTo(Float16.encode(100));
    assertThat(slots.get(0).dest()).isEqualTo(big(BOB));
    assertThat(slots.get(3)).isEqualTo(BatchWitness.Slot.noop(D));
    assertThat(tree.hasPendingChanges()).isTrue(); // the caller commits
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void depositCreatesAnAccountThatReceivesInTheSameBatch() {
    Batch batch = build(1, List.of(
        deposit(NEW, NEW_KEY, 500),
        sign(new Transfer(ALICE, NEW, 20, 1, 0), ALICE_KEY),
        sign(new Transfer(NEW, NEW, 10, 1, 0), NEW_KEY)));
    Map<Long, AccountLeaf> expected = Map.of(
        ALICE, leaf(ALICE_KEY, 979, 1),
        BOB, accounts.get(BOB),
        NEW, leaf(NEW_KEY, 519, 1), // 500 + 20, then a self-transfer paying the fee
        OPERATOR, leaf(OPERATOR_KEY, 2, 0));
    assertThat(batch.publicInputs().newRoot()).isEqualTo(rootOf(expected));
    BatchWitness.Slot d = batch.witness().slotWitnesses().get(0);
    assertThat(d.opCode()).isEqualTo(OpCode.PRIORITY);
    assertThat(d.priorityKind()).isZero();
    assertThat(d.receiver().isEmpty()).isTrue();
    assertThat(d.receiver().keyHash()).isEqualTo(keyHash(NEW_KEY));
    assertThat(d.receiver().ownerToken()).isEqualTo(owner(NEW_KEY).toBigInteger().shiftLeft(32));
    assertThat(batch.publicData().ops().get(0)).isEqualTo(new PubdataOp.Deposit(NEW, big(500), leaf(NEW_KEY, 0, 0).idHash(P)));
    assertThat(d.receiver().balance()).isZero();
    assertThat(d.dest()).isEqualTo(big(NEW));
    assertThat(d.sender()).isEqualTo(BatchWitness.Signer.dummy(D));
    assertThat(d.signature()).isEqualTo(DummySignature.SIGNATURE);
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void depositOntoAnExistingAccountKeepsItsNonce() {
    Batch batch = build(0, List.of(deposit(BOB, BOB_KEY, 7)));
    assertThat(batch.accountChanges().get(BOB)).isEqualTo(leaf(BOB_KEY, 57, 3));
    BatchWitness.Slot d = batch.witness().slotWitnesses().get(0);
    assertThat(d.receiver().isEmpty()).isFalse();
    assertThat(d.receiver().balance()).isEqualTo(big(50));
    assertThat(d.receiver().nonce()).isEqualTo(3);
    // Deposits pay no fee: the operator is opened and credited nothing.
    assertThat(batch.accountChanges().get(OPERATOR).balance()).isZero();
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  // ------------------------------------------------------------------ tokens (protocol v3)

  private static final int USDC = 0x1234;
  private static final long ALICE_USDC = 8;
  private static final long BOB_USDC = 9;
  private static final long OPERATOR_USDC = 10;

  private void openToken(long index, EdDsaPrivateKey k, int token, long balance, long nonce) {
    AccountLeaf leaf = new AccountLeaf(keyHash(k), owner(k).owner(), token, big(balance), nonce);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(P));
  }

  private void openUsdcAccounts() {
    openToken(ALICE_USDC, ALICE_KEY, USDC, 700, 1);
    openToken(BOB_USDC, BOB_KEY, USDC, 0, 0);
    openToken(OPERATOR_USDC, OPERATOR_KEY, USDC, 0, 0);
    tree.commit();
  }

  @Test
  void inAnEthBatchOpsOfAnotherTokenPayNoFeeAndTheOperatorIsCreditedForThePayingOps() {
    openUsdcAccounts();
    Batch batch = build(2, List.of(
        sign(new Transfer(ALICE_USDC, BOB_USDC, 300, 0, 1, USDC), ALICE_KEY), // maxFee 0: it pays none
        sign(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY),
        sign(new Withdrawal(ALICE_USDC, ADDR, big(400), big(0), 2, USDC), ALICE_KEY)));
    assertThat(batch.accountChanges().get(ALICE_USDC)).isEqualTo(new AccountLeaf(keyHash(ALICE_KEY), owner(ALICE_KEY).owner(), USDC, big(0), 3));
    assertThat(batch.accountChanges().get(BOB_USDC).balance()).isEqualTo(big(300));
    assertThat(batch.accountChanges().get(ALICE)).isEqualTo(leaf(ALICE_KEY, 898, 1));
    assertThat(batch.accountChanges().get(OPERATOR)).isEqualTo(leaf(OPERATOR_KEY, 2, 0)); // one fee, the ETH transfer's
    List<BatchWitness.Slot> slots = batch.witness().slotWitnesses();
    assertThat(slots.get(0).token()).isEqualTo(USDC);
    assertThat(slots.get(1).token()).isZero();
    assertThat(slots.get(2).token()).isEqualTo(USDC);
    assertThat(batch.publicData().ops().get(2)).isEqualTo(new PubdataOp.Withdrawal(ALICE_USDC, USDC, ADDR, big(400)));
    assertThat(batch.witness().operator().ownerToken()).isEqualTo(owner(OPERATOR_KEY).toBigInteger().shiftLeft(32));
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void aBatchWhoseOperatorAccountHoldsATokenTakesItsFeesInThatToken() {
    openUsdcAccounts();
    Batch batch = builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR_USDC, 3), B, List.of(
        sign(new Transfer(ALICE_USDC, BOB_USDC, 300, 5, 1, USDC), ALICE_KEY),
        sign(new Transfer(BOB, ALICE, 50, 0, 3), BOB_KEY))); // ETH: all of Bob's balance, no fee
    assertThat(batch.accountChanges().get(ALICE_USDC).balance()).isEqualTo(big(397));
    assertThat(batch.accountChanges().get(BOB).balance()).isZero();
    assertThat(batch.accountChanges().get(OPERATOR_USDC).balance()).isEqualTo(big(3));
    assertThat(batch.witness().operator().ownerToken()).isEqualTo(owner(OPERATOR_KEY).toBigInteger().shiftLeft(32).add(big(USDC)));
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void opsAcrossTokensAreRefused() {
    openUsdcAccounts();
    assertRefused(
        2, List.of(okTransfer(), sign(new Transfer(ALICE, BOB_USDC, 10, 5, 1), ALICE_KEY)), 1, TxViolation.Reason.TOKEN_MISMATCH, "which holds token 4660");
    assertRefused(
        2, List.of(sign(new Transfer(ALICE_USDC, BOB_USDC, 10, 5, 1), ALICE_KEY)), 0, TxViolation.Reason.TOKEN_MISMATCH,
        "the transfer is of token 0 but account 8 holds token 4660");
  }

  @Test
  void aForcedWithdrawalOfAnAccountsTokenIsPaidAndOfAnotherRefused() {
    openUsdcAccounts();
    Batch batch = builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR, 0), 10, List.of(
        new ForcedWithdrawal(ALICE_USDC, owner(ALICE_KEY), big(700), USDC),
        new ForcedWithdrawal(ALICE, owner(ALICE_KEY), big(1), USDC)));
    assertThat(batch.publicData().ops()).containsExactly(
        new PubdataOp.ForcedWithdrawal(ALICE_USDC, USDC, owner(ALICE_KEY), big(700), true),
        new PubdataOp.ForcedWithdrawal(ALICE, USDC, owner(ALICE_KEY), big(1), false));
    assertThat(batch.accountChanges().get(ALICE_USDC).balance()).isZero();
    assertThat(batch.witness().slotWitnesses().get(5).token()).isEqualTo(USDC);
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void aTokenDepositCreatesAnAccountOfItsToken() {
    Batch batch = build(0, List.of(new Deposit(NEW, keyHash(NEW_KEY), owner(NEW_KEY), big(5), USDC)));
    assertThat(batch.accountChanges().get(NEW)).isEqualTo(new AccountLeaf(keyHash(NEW_KEY), owner(NEW_KEY).owner(), USDC, big(5), 0));
    assertThat(batch.publicData().ops().get(0))
        .isEqualTo(new PubdataOp.Deposit(NEW, big(5), AccountLeaf.idHash(P, keyHash(NEW_KEY), owner(NEW_KEY).owner(), USDC)));
    assertThat(batch.witness().slotWitnesses().get(0).token()).as("a deposit's slot token is 0").isZero();
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void anEmptyBatchIsAllNoOpsAndKeepsTheRoot() {
    Fr before = tree.root();
    Batch batch = build(5, List.of());
    assertThat(batch.publicInputs().newRoot()).isEqualTo(before);
    assertThat(batch.witness().slotWitnesses()).allMatch(s -> s.equals(BatchWitness.Slot.noop(D)));
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void theDummySignatureIsGnarkCryptosForSeedZeroAndMessageZero() {
    // Computed with native/signing (gnark-crypto v0.21.0): KeyFromSeed(32 zero bytes), Sign(seed, 32 zero bytes).
    assertThat(DummySignature.PUBLIC_KEY.point().x())
        .isEqualTo(Fr.fromHex("0x00eed7812ffc47cabdcee4a862cd06ecc37b0c575c90943b60866140be292294"));
    assertThat(DummySignature.PUBLIC_KEY.point().y())
        .isEqualTo(Fr.fromHex("0x1d40d7150177178f523e7cf12244a6b22e934f08d25db7f96ccc5ae1469ad89d"));
    assertThat(HexFormat.of().formatHex(DummySignature.SIGNATURE.toBytes())).isEqualTo(
        "ce32c26a2116cf1169d846625bb6ea99fb6de0fb4e53d7916f2279e79606578102b4feaa1e86b0c2dfcb68cc9c212e18955ad9f1df079b9244aa2d926a3c6eb8");
    assertThat(DummySignature.PUBLIC_KEY.verify(DummySignature.SIGNATURE, Fr.ZERO)).isTrue();
  }

  // ------------------------------------------------------------------ witness bytes

  @Test
  void witnessBytesFollowTheZkbwV3Layout() {
    Batch batch = build(2, List.of(
        sign(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY), deposit(NEW, NEW_KEY, 500)));
    BatchWitness w = batch.witness();
    byte[] bytes = w.toBytes();
    int slotElements = 24 + 2 * D;
    assertThat(bytes).hasSize(8 + 32 * (4 + 3 + 4 + D + B * slotElements));
    assertThat(BatchWitness.serializedSize(B, D)).isEqualTo(bytes.length);
    assertThat(BatchWitness.serializedSize(1, 32)).isEqualTo(8 + 32 * (11 + 32 + 88));
    assertThat(Arrays.copyOfRange(bytes, 0, 8)).containsExactly('Z', 'K', 'B', 'W', 3, 0, B, D);
    Reader r = new Reader(bytes);
    assertThat(r.next()).isEqualTo(w.publicInputs().oldRoot());
    assertThat(r.next()).isEqualTo(w.publicInputs().newRoot());
    assertThat(r.next()).isEqualTo(Fr.of(9));
    assertThat(r.next()).isEqualTo(batch.publicData().hash());
    assertThat(r.next()).isEqualTo(Fr.of(ROLLUP));
    assertThat(r.next()).isEqualTo(Fr.of(OPERATOR));
    assertThat(r.next()).isEqualTo(Fr.of(2));
    assertThat(r.next()).isEqualTo(keyHash(OPERATOR_KEY)); // operatorKeyHash
    assertThat(r.next()).isEqualTo(Fr.of(owner(OPERATOR_KEY).toBigInteger().shiftLeft(32))); // operatorOwnerToken: ETH
    assertThat(r.next()).isEqualTo(Fr.ZERO); // operator balance before the credit
    assertThat(r.next()).isEqualTo(Fr.ZERO); // operator nonce
    assertThat(r.next(D)).isEqualTo(w.operator().siblings());
    // Slot 0: the transfer.
    EdDsaSignature sig = ((SignedOp) sign(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY)).signature();
    assertThat(r.next(9)).containsExactly(Fr.of(1), Fr.ZERO, Fr.of(100), Fr.of(100), Fr.ZERO, Fr.of(5), Fr.of(BOB), Fr.ZERO, Fr.ZERO);
    assertThat(r.next(6)).containsExactly(
        Fr.of(ALICE), ALICE_KEY.publicKey().point().x(), ALICE_KEY.publicKey().point().y(), Fr.of(owner(ALICE_KEY).toBigInteger().shiftLeft(32)),
        Fr.of(1000), Fr.ZERO);
    assertThat(r.next(D)).isEqualTo(w.slotWitnesses().get(0).sender().siblings());
    assertThat(r.next(3)).containsExactly(sig.r().x(), sig.r().y(), Fr.of(sig.s()));
    assertThat(r.next(6)).containsExactly(Fr.of(BOB), keyHash(BOB_KEY), Fr.of(owner(BOB_KEY).toBigInteger().shiftLeft(32)), Fr.of(50), Fr.of(3), Fr.ZERO);
    assertThat(r.next(D)).isEqualTo(w.slotWitnesses().get(0).receiver().siblings());
    // Slot 1: the deposit onto an empty leaf (priority op, kind 0).
    assertThat(r.next(9)).containsExactly(Fr.of(2), Fr.ZERO, Fr.ZERO, Fr.of(500), Fr.ZERO, Fr.ZERO, Fr.of(NEW), Fr.ZERO, Fr.ZERO);
    assertThat(r.next(6)).containsExactly(
        Fr.ZERO, DummySignature.PUBLIC_KEY.point().x(), DummySignature.PUBLIC_KEY.point().y(), Fr.ZERO, Fr.ZERO, Fr.ZERO);
    assertThat(r.next(D)).containsOnly(Fr.ZERO);
    EdDsaSignature dummy = DummySignature.SIGNATURE;
    assertThat(r.next(3)).containsExactly(dummy.r().x(), dummy.r().y(), Fr.of(dummy.s()));
    assertThat(r.next(6)).containsExactly(Fr.of(NEW), keyHash(NEW_KEY), Fr.of(owner(NEW_KEY).toBigInteger().shiftLeft(32)), Fr.ZERO, Fr.ZERO, Fr.ONE);
    assertThat(r.next(D)).isEqualTo(w.slotWitnesses().get(1).receiver().siblings());
    // Slots 2..7: deposit continuations and padding, identical no-ops.
    for (int s = 2; s < B; s++) {
      assertThat(r.next(9)).as("slot %d", s).containsOnly(Fr.ZERO);
      assertThat(r.next(6)).containsExactly(
          Fr.ZERO, DummySignature.PUBLIC_KEY.point().x(), DummySignature.PUBLIC_KEY.point().y(), Fr.ZERO, Fr.ZERO, Fr.ZERO);
      assertThat(r.next(D)).containsOnly(Fr.ZERO);
      assertThat(r.next(3)).containsExactly(dummy.r().x(), dummy.r().y(), Fr.of(dummy.s()));
      assertThat(r.next(6 + D)).containsOnly(Fr.ZERO);
    }
    assertThat(r.offset).isEqualTo(bytes.length);
  }

  /** Reads 32-byte elements (canonical, or Fr.fromBytes throws). */
  private static final class Reader {
    private final byte[] bytes;
    private int offset = 8;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    Fr next() {
      Fr e = Fr.fromBytes(bytes, offset);
      offset += 32;
      return e;
    }

    List<Fr> next(int n) {
      Fr[] out = new Fr[n];
      for (int i = 0; i < n; i++) {
        out[i] = next();
      }
      return List.of(out);
    }
  }

  // ------------------------------------------------------------------ refusals

  /** Asserts a refusal that is not one of TxRules' (a signature, the batch's shape). */
  private void assertRefused(long fee, List<BatchOp> ops, int slot, String message) {
    assertRefused(builder, fee, ops, slot, null, message);
  }

  /** Asserts a refusal by {@code rule} of TxRules, with its message. */
  private void assertRefused(long fee, List<BatchOp> ops, int slot, TxViolation.Reason rule, String message) {
    assertRefused(builder, fee, ops, slot, rule, message);
  }

  private void assertRefused(BatchBuilder with, long fee, List<BatchOp> ops, int slot, TxViolation.Reason rule, String message) {
    Fr root = tree.root();
    assertThatThrownBy(() -> with.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR, fee), B, ops))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((InvalidBatchException) e).slot()).isEqualTo(slot))
        .satisfies(e -> assertThat(((InvalidBatchException) e).violation().map(TxViolation::reason)).isEqualTo(Optional.ofNullable(rule)));
    assertThat(tree.root()).isEqualTo(root);
    assertThat(tree.hasPendingChanges()).isFalse();
  }

  private BatchOp okTransfer() {
    return sign(new Transfer(ALICE, BOB, 10, 5, 0), ALICE_KEY);
  }

  @Test
  void aSignatureForAnotherRollupIsRefused() {
    SignedOp other = new Transfer(ALICE, BOB, 10, 5, 0).sign(ALICE_KEY, P, ROLLUP + 1);
    assertRefused(1, List.of(other), 0, "signature is not valid");
  }

  @Test
  void aTamperedOpIsRefused() {
    SignedOp s = sign(new Transfer(ALICE, BOB, 10, 5, 0), ALICE_KEY);
    SignedOp second = sign(new Transfer(ALICE, BOB, 10, 5, 1), ALICE_KEY);
    SignedOp tampered = new SignedOp(new Transfer(ALICE, BOB, 20, 5, 1), second.publicKey(), second.signature());
    assertRefused(1, List.of(s, tampered), 1, "signature is not valid");
  }

  // Each rule of TxRules, broken inside a batch: the builder refuses with the rule's reason.

  @Test
  void aKeyThatIsNotTheAccountsIsRefused() {
    assertRefused(1, List.of(sign(new Transfer(ALICE, BOB, 10, 5, 0), BOB_KEY)), 0, TxViolation.Reason.WRONG_KEY, "not the key of account 1");
  }

  @Test
  void aWrongNonceIsRefused() {
    assertRefused(1, List.of(sign(new Transfer(ALICE, BOB, 10, 5, 1), ALICE_KEY)), 0, TxViolation.Reason.NONCE_GAP, "nonce 1 skips ahead; account 1 expects 0");
    // Replaying the same signed op in one batch fails on the nonce.
    BatchOp t = okTransfer();
    assertRefused(1, List.of(t, t), 1, TxViolation.Reason.NONCE_REPLAYED, "nonce 0 of account 1 is used; the next is 1");
  }

  @Test
  void aBalanceBelowAmountPlusFeeIsRefused() {
    assertRefused(
        1, List.of(sign(new Transfer(BOB, ALICE, 50, 5, 3), BOB_KEY)), 0, TxViolation.Reason.INSUFFICIENT_BALANCE, "account 2 has 50, less than amount + fee = 51");
    assertRefused(
        0, List.of(sign(new Withdrawal(BOB, ADDR, big(51), big(0), 3), BOB_KEY)), 0, TxViolation.Reason.INSUFFICIENT_BALANCE, "less than amount + fee = 51");
    build(0, List.of(sign(new Transfer(BOB, ALICE, 50, 5, 3), BOB_KEY))); // exactly the balance is fine
  }

  @Test
  void aFeeAboveTheSignedMaxFeeIsRefused() {
    assertRefused(6, List.of(okTransfer()), 0, TxViolation.Reason.FEE_TOO_LOW, "the transfer's signed max fee 5 is below the batch fee 6");
    assertRefused(3, List.of(sign(new Withdrawal(BOB, ADDR, big(1), big(2), 3), BOB_KEY)), 0, TxViolation.Reason.FEE_TOO_LOW, "max fee 2");
  }

  @Test
  void aTransferToAMissingAccountIsRefused() {
    assertRefused(
        1, List.of(sign(new Transfer(ALICE, NEW, 10, 5, 0), ALICE_KEY)), 0, TxViolation.Reason.UNKNOWN_ACCOUNT, "transfer to account 5, which does not exist");
  }

  @Test
  void aSignerWithoutAnAccountIsRefused() {
    assertRefused(1, List.of(sign(new Transfer(NEW, ALICE, 10, 5, 0), NEW_KEY)), 0, TxViolation.Reason.UNKNOWN_ACCOUNT, "from account 5, which does not exist");
  }

  @Test
  void aDepositForAnotherAccountIsRefused() {
    assertRefused(0, List.of(deposit(BOB, ALICE_KEY, 1)), 0, TxViolation.Reason.WRONG_KEY, "is for key hash");
    // Bob's key with another owner is another account: it cannot go to Bob's.
    assertRefused(0, List.of(new Deposit(BOB, keyHash(BOB_KEY), ADDR, big(1))), 0, TxViolation.Reason.WRONG_KEY, "owned by " + ADDR);
  }

  // ------------------------------------------------------------------ forced withdrawals

  @Test
  void forcedWithdrawalsArePaidOrRefusedAsTheRulesSay() {
    Batch batch = builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR, 1), 17, List.of(
        new ForcedWithdrawal(BOB, owner(BOB_KEY), big(20)), // paid
        new ForcedWithdrawal(BOB, owner(ALICE_KEY), big(1)), // refused: not the owner's
        new ForcedWithdrawal(NEW, owner(NEW_KEY), big(1)), // refused: no account
        sign(new Transfer(BOB, ALICE, 5, 1, 3), BOB_KEY)));
    // Bob: 50 - 20 (no fee, nonce unchanged), then a transfer of 5 + fee 1.
    assertThat(batch.accountChanges()).containsEntry(BOB, leaf(BOB_KEY, 24, 4)).containsEntry(OPERATOR, leaf(OPERATOR_KEY, 1, 0));
    assertThat(batch.accountChanges()).doesNotContainKey(NEW);
    assertThat(batch.publicData().ops()).containsExactly(
        new PubdataOp.ForcedWithdrawal(BOB, 0, owner(BOB_KEY), big(20), true),
        new PubdataOp.ForcedWithdrawal(BOB, 0, owner(ALICE_KEY), big(1), false),
        new PubdataOp.ForcedWithdrawal(NEW, 0, owner(NEW_KEY), big(1), false),
        new PubdataOp.Transfer(BOB, ALICE, Float16.encode(5)));
    List<BatchWitness.Slot> slots = batch.witness().slotWitnesses();
    BatchWitness.Slot paid = slots.get(0);
    assertThat(paid.opCode()).isEqualTo(OpCode.PRIORITY);
    assertThat(paid.priorityKind()).isEqualTo(1);
    assertThat(paid.dest()).isEqualTo(owner(BOB_KEY).toBigInteger());
    assertThat(paid.amount()).isEqualTo(big(20));
    assertThat(paid.receiver()).isEqualTo(new BatchWitness.Account(
        BOB, keyHash(BOB_KEY), owner(BOB_KEY).toBigInteger().shiftLeft(32), big(50), 3, false, paid.receiver().siblings()));
    assertThat(slots.get(10).receiver().isEmpty()).isTrue();
    assertThat(slots.get(10).receiver()).isEqualTo(BatchWitness.Account.empty(NEW, slots.get(10).receiver().siblings()));
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void aForcedWithdrawalOfTheWholeBalanceIsPaidAndOfMoreIsRefused() {
    Batch batch = build(0, List.of(new ForcedWithdrawal(BOB, owner(BOB_KEY), big(51))));
    assertThat(batch.publicData().ops()).containsExactly(new PubdataOp.ForcedWithdrawal(BOB, 0, owner(BOB_KEY), big(51), false));
    assertThat(batch.publicInputs().newRoot()).isEqualTo(batch.publicInputs().oldRoot()); // fee 0: the operator's leaf is unchanged
    tree.discard();
    batch = build(0, List.of(new ForcedWithdrawal(BOB, owner(BOB_KEY), big(50))));
    assertThat(batch.accountChanges().get(BOB)).isEqualTo(leaf(BOB_KEY, 0, 3));
    CircuitModel.check(batch.witness(), batch.publicData());
  }

  @Test
  void aForcedWithdrawalOutsideTheTreeIsRefused() {
    assertRefused(0, List.of(new ForcedWithdrawal(16, ADDR, big(1))), 0, TxViolation.Reason.INDEX_OUTSIDE_TREE, "forced withdrawal from index 16");
  }

  @Test
  void aBalanceReaching2To128IsRefused() {
    BigInteger almost = BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE);
    accounts.put(BOB, leaf(BOB_KEY, 0, 3).withBalance(AccountLeaf.MAX_BALANCE.subtract(big(500))));
    tree.put(BOB, accounts.get(BOB).hash(P));
    tree.commit();
    assertRefused(0, List.of(new Deposit(BOB, keyHash(BOB_KEY), owner(BOB_KEY), almost)), 0, TxViolation.Reason.BALANCE_OVERFLOW, "not below 2^128");
    assertRefused(0, List.of(sign(new Transfer(ALICE, BOB, 1000, 5, 0), ALICE_KEY)), 0, TxViolation.Reason.BALANCE_OVERFLOW, "not below 2^128");
  }

  @Test
  void multiSlotOpsMustFitBeforeTheLastSlot() {
    BatchOp w = sign(new Withdrawal(ALICE, ADDR, big(1), big(0), 0), ALICE_KEY);
    // 4 transfers + a withdrawal = 8 slots: fits exactly.
    List<BatchOp> four = List.of(
        sign(new Transfer(BOB, ALICE, 1, 0, 3), BOB_KEY), sign(new Transfer(BOB, ALICE, 1, 0, 4), BOB_KEY),
        sign(new Transfer(BOB, ALICE, 1, 0, 5), BOB_KEY), sign(new Transfer(BOB, ALICE, 1, 0, 6), BOB_KEY));
    List<BatchOp> fits = new java.util.ArrayList<>(four);
    fits.add(w);
    CircuitModel.check(build(0, fits).witness(), null);
    tree.discard();
    List<BatchOp> tooMany = new java.util.ArrayList<>(four);
    tooMany.add(okTransfer());
    tooMany.add(w);
    assertRefused(0, tooMany, 5, "a withdrawal spans 4 slots but only 3 of 8 are left");
    assertRefused(0, List.of(okTransfer(), sign(new Transfer(ALICE, BOB, 1, 5, 1), ALICE_KEY),
        sign(new Transfer(ALICE, BOB, 1, 5, 2), ALICE_KEY), sign(new Transfer(ALICE, BOB, 1, 5, 3), ALICE_KEY),
        deposit(NEW, NEW_KEY, 1)), 4, "a priority op spans 5 slots but only 4 of 8 are left");
  }

  @Test
  void indicesOutsideTheTreeAreRefused() {
    assertRefused(0, List.of(deposit(16, NEW_KEY, 1)), 0, TxViolation.Reason.INDEX_OUTSIDE_TREE, "deposit to index 16, outside the tree");
    assertRefused(
        1, List.of(sign(new Transfer(ALICE, 16, 10, 5, 0), ALICE_KEY)), 0, TxViolation.Reason.UNKNOWN_ACCOUNT, "index 16 is outside the tree of depth 4");
  }

  @Test
  void theOperatorMustExist() {
    Fr root = tree.root();
    assertThatThrownBy(() -> builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, NEW, 1), B, List.of(okTransfer())))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessageContaining("operator account 5 does not exist, so the batch has no fee token")
        .satisfies(e -> assertThat(((InvalidBatchException) e).slot()).isZero())
        .satisfies(e -> assertThat(((InvalidBatchException) e).violation().map(TxViolation::reason)).contains(TxViolation.Reason.UNKNOWN_ACCOUNT));
    assertThat(tree.root()).isEqualTo(root);
    // ... before the first signed op (which needs the fee token): a deposit in the batch can create it.
    Batch b = builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, NEW, 1), B,
        List.of(deposit(NEW, NEW_KEY, 0), okTransfer()));
    assertThat(b.accountChanges().get(NEW).balance()).isEqualTo(big(1));
  }

  // ------------------------------------------------------------------ verified ops: trusted or checked again

  private final BatchBuilder trusting = new BatchBuilder(P, DataAvailability.ROLLUP, BatchBuilder.Signatures.TRUST_VERIFIED);

  private static VerifiedOp verified(SignableOp op, EdDsaPrivateKey k) {
    return new SignatureVerifier(P, ROLLUP).verify(sign(op, k));
  }

  private Batch buildWith(BatchBuilder with, long fee, List<BatchOp> ops) {
    return with.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP, 9, OPERATOR, fee), B, ops);
  }

  @Test
  void verifiedOpsBuildTheSameBatchTrustedOrCheckedAgain() {
    List<BatchOp> signed = List.of(
        sign(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY), sign(new Withdrawal(BOB, ADDR, big(30), big(2), 3), BOB_KEY),
        sign(new Transfer(ALICE, ALICE, 7, 5, 1), ALICE_KEY));
    List<BatchOp> verified = List.of(
        verified(new Transfer(ALICE, BOB, 100, 5, 0), ALICE_KEY), verified(new Withdrawal(BOB, ADDR, big(30), big(2), 3), BOB_KEY),
        verified(new Transfer(ALICE, ALICE, 7, 5, 1), ALICE_KEY));
    byte[] plain = build(2, signed).witness().toBytes();
    tree.discard();
    Batch checked = buildWith(builder, 2, verified);
    tree.discard();
    Batch trusted = buildWith(trusting, 2, verified);
    assertThat(checked.witness().toBytes()).isEqualTo(plain);
    assertThat(trusted.witness().toBytes()).isEqualTo(plain);
    assertThat(trusted.publicData()).isEqualTo(checked.publicData());
    CircuitModel.check(trusted.witness(), trusted.publicData());
  }

  @Test
  void aTrustingBuilderDoesNotVerifyAVerifiedOpsSignatureAgain() {
    // A record that lies: Alice's op with the signature of another op. Only the journal makes these.
    SignedOp real = sign(new Transfer(ALICE, BOB, 10, 5, 0), ALICE_KEY);
    SignedOp other = sign(new Transfer(ALICE, BOB, 11, 5, 0), ALICE_KEY);
    VerifiedOp lie = VerifiedOp.fromRecord(new SignedOp(real.op(), real.publicKey(), other.signature()), real.op().message(P, ROLLUP), keyHash(ALICE_KEY));
    assertThat(buildWith(trusting, 1, List.of(lie)).accountChanges().get(ALICE).nonce()).isEqualTo(1);
    tree.discard();
    // Checked again (an audit), it is refused; so is a plain signed op, which no builder trusts.
    assertRefused(builder, 1, List.of(lie), 0, null, "signature is not valid");
    assertRefused(trusting, 1, List.of(lie.signed()), 0, null, "signature is not valid");
  }

  @Test
  void aTrustingBuilderStillComparesTheRecordedKeyHashWithTheAccounts() {
    // Bob's valid signature on an op spending from Alice's account: the key hash is Bob's.
    VerifiedOp bobs = verified(new Transfer(ALICE, BOB, 10, 5, 0), BOB_KEY);
    assertRefused(trusting, 1, List.of(bobs), 0, TxViolation.Reason.WRONG_KEY, "not the key of account 1");
    // A record claiming Alice's key hash for Bob's key passes the trusting builder's rules, but an
    // audit hashes the key itself.
    VerifiedOp claimed = VerifiedOp.fromRecord(bobs.signed(), bobs.txHash(), keyHash(ALICE_KEY));
    assertRefused(builder, 1, List.of(claimed), 0, TxViolation.Reason.WRONG_KEY, "not the key of account 1");
  }

  @Test
  void anAuditRefusesARecordedHashThatIsNotTheMessage() {
    VerifiedOp v = verified(new Transfer(ALICE, BOB, 10, 5, 0), ALICE_KEY);
    VerifiedOp wrongHash = VerifiedOp.fromRecord(v.signed(), Fr.of(12345), v.keyHash());
    assertRefused(builder, 1, List.of(wrongHash), 0, null, "recorded hash");
    buildWith(trusting, 1, List.of(wrongHash)); // the sealer does not recompute it
  }

  @Test
  void aRefusedBatchRestoresATreeThatHadPendingChanges() {
    open(9, NEW_KEY, 3, 0); // pending, not committed
    Fr root = tree.root();
    assertThatThrownBy(() -> build(1, List.of(okTransfer(), sign(new Transfer(ALICE, NEW, 1, 5, 1), ALICE_KEY))))
        .isInstanceOf(InvalidBatchException.class);
    assertThat(tree.root()).isEqualTo(root);
    assertThat(tree.get(9)).isEqualTo(accounts.get(9L).hash(P));
    assertThat(tree.get(ALICE)).isEqualTo(accounts.get(ALICE).hash(P));
  }

  @Test
  void accountDataThatDisagreesWithTheTreeIsAnError() {
    accounts.put(ALICE, leaf(ALICE_KEY, 999_999, 0));
    Fr root = tree.root();
    assertThatThrownBy(() -> build(1, List.of(okTransfer()))).isInstanceOf(IllegalStateException.class).hasMessageContaining("index 1");
    assertThat(tree.root()).isEqualTo(root);
    assertThat(tree.hasPendingChanges()).isFalse();
  }

  @Test
  void parametersAreChecked() {
    assertThatThrownBy(() -> builder.build(tree, i -> Optional.empty(), new BatchHeader(ROLLUP, 9, OPERATOR, 1), 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    StateTree deep = new StateTree(new InMemoryTreeStore(33), P, 0);
    assertThatThrownBy(() -> builder.build(deep, i -> Optional.empty(), new BatchHeader(ROLLUP, 9, OPERATOR, 1), 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..32");
    new BatchHeader(-1L, 0, 0, 0); // the rollup id is any 64-bit value (2^64 - 1 here)
    assertThatThrownBy(() -> new BatchHeader(0, 0, 1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BatchHeader(0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BatchHeader(0, 0, 0, BigInteger.ONE.shiftLeft(128))).isInstanceOf(IllegalArgumentException.class);
  }
}
