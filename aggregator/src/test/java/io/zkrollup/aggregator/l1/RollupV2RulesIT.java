package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.utils.Numeric;

/**
 * The rules of Rollup.sol v2 that do not depend on a proof (docs/protocol.md, "Protocol v2"),
 * against hostile callers, on anvil: deposits and forced withdrawals and their queue entries, the
 * walk of {@code commitBatch} over priority ops (kind bytes, order, credits), the deadline and
 * exodus, exits with Poseidon2 Merkle proofs, refunds, {@code claimFor} and re-entrancy.
 *
 * <p>Batches here are public data built from the spec, committed against {@code
 * contracts/test/AcceptAnyProofVerifier.sol}, a TEST-ONLY verifier that accepts every proof: these
 * tests are about the walk and the queue, not about proofs (until the v2 circuit exists, no real
 * proof of v2 public data can be made; RollupContractIT checks proofs). State roots for exits are
 * real: trees of v2 leaves built with the state-tree module ({@code leaf = compress(idHash, balance
 * · 2^64 + nonce)}, {@code idHash = compress(keyHash, owner · 2^32)}), put in the contract as its
 * genesis root or as a committed batch's new root. Prints the gas of each v2 entry point
 * (docs/benchmarks.md, "L1 gas").
 *
 * <p>Since protocol v3 the contract is v3's and these are its rules for ETH (token 0): the public
 * data use v3's header (an 8-byte rollup id, which the contract derives) and chunks (a token in
 * withdrawals and forced withdrawals), and the calls name token 0. TokenRulesIT covers tokens.
 */
class RollupV2RulesIT {

  /** B: room for four priority ops (5 slots each), a withdrawal (4) and a transfer. */
  private static final int SLOTS = 32;

  private static final int DEPTH = 4;
  private static final BigInteger ETH = BigInteger.TEN.pow(18);

  /** anvil's dev accounts: 0 deploys (and so owns the operator's account), the others are users. */
  private static final Credentials DEV = LocalAnvil.devAccount(0);

  private static final Credentials ALICE = LocalAnvil.devAccount(1);
  private static final Credentials BOB = LocalAnvil.devAccount(2);
  private static final Credentials CAROL = LocalAnvil.devAccount(3);

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final Fr OPERATOR_KEY = Fr.of(1001);
  private static final Fr KEY_1 = Fr.of(1002);
  private static final Fr KEY_2 = Fr.of(1003);

  @TempDir static Path dir;
  private static L1Chain chain;
  /** The test verifier (accepts any proof). */
  private static String anyProof;

  /** Gas of each entry point, printed at the end. */
  private static final Map<String, String> GAS = new TreeMap<>();

  @BeforeAll
  static void startAnvil() throws Exception {
    chain = L1Chain.start(dir);
    anyProof = chain.deploy(chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol"), "AcceptAnyProofVerifier");
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      StringBuilder s = new StringBuilder();
      GAS.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-72s %9s%n", k, v)));
      System.out.printf(Locale.ROOT, "L1 gas of Rollup.sol v3's ETH paths (anvil 1.7.1, solc 0.8.30, 200 runs; gasUsed of the transaction, 21,000 and calldata included):%n%s", s);
      chain.close();
    }
  }

  // ------------------------------------------------------------------ the contract and its calls

  private static String deploy(int depth, long priorityDeadline, Fr genesisRoot) throws Exception {
    return chain.deployRollup(anyProof, SLOTS, depth, DataAvailability.ROLLUP, priorityDeadline, genesisRoot, OPERATOR_KEY);
  }

  /** The binding for encoding calls (the address does not matter for that). */
  private static Rollup calls() {
    return chain.reader("0x0000000000000000000000000000000000000000");
  }

  private static Rollup reader(String rollup) {
    return chain.reader(rollup);
  }

  private static String depositCall(Fr keyHash, String owner) {
    return calls().deposit(keyHash.toBytes(), owner, BigInteger.ZERO).encodeFunctionCall();
  }

  private static String forceWithdrawCall(long account, BigInteger amount) {
    return calls().forceWithdraw(BigInteger.valueOf(account), BigInteger.ZERO, amount).encodeFunctionCall();
  }

  private static String commitCall(byte[] pubdata, Fr newRoot) {
    return calls().commitBatch(pubdata, newRoot.toBigInteger(), new byte[0]).encodeFunctionCall();
  }

  private static String exitCall(long account, Fr keyHash, BigInteger balance, long nonce, List<Fr> siblings) {
    List<byte[]> s = new ArrayList<>();
    for (Fr f : siblings) {
      s.add(f.toBytes());
    }
    return calls().exit(BigInteger.valueOf(account), keyHash.toBytes(), BigInteger.ZERO, balance, BigInteger.valueOf(nonce), s).encodeFunctionCall();
  }

  private static String refundCall(long index, String depositor, BigInteger amount) {
    return calls().refundDeposit(BigInteger.valueOf(index), depositor, BigInteger.ZERO, amount).encodeFunctionCall();
  }

  /** Sends {@code data} from {@code from} and asserts it was mined and succeeded. */
  private static TransactionReceipt ok(Credentials from, String to, BigInteger value, String data) throws Exception {
    TransactionReceipt r = chain.send(from, to, value, data, L1Chain.GAS_LIMIT);
    assertThat(r.isStatusOK()).as("%s", r).isTrue();
    return r;
  }

  private static TransactionReceipt ok(Credentials from, String to, String data) throws Exception {
    return ok(from, to, BigInteger.ZERO, data);
  }

  /**
   * Asserts that {@code data} from {@code from} reverts with {@code error} (as RevertReason names
   * it from Rollup.sol's ABI, arguments included), by eth_call: no block is mined.
   */
  private static void reverts(Credentials from, String to, BigInteger value, String data, String error) throws IOException {
    assertThat(chain.revertOf(from, to, value, data)).as("reverts with %s", error).hasValue(error);
  }

  private static void reverts(Credentials from, String to, String data, String error) throws IOException {
    reverts(from, to, BigInteger.ZERO, data, error);
  }

  /** Like {@link #reverts}, and also mined: the transaction fails and the contract's state and balance stay as they were. */
  private static void revertsMined(Credentials from, String to, BigInteger value, String data, String error) throws Exception {
    reverts(from, to, value, data, error);
    List<Object> before = snapshot(to);
    TransactionReceipt r = chain.send(from, to, value, data, L1Chain.GAS_LIMIT);
    assertThat(r.isStatusOK()).as("mined and reverted: %s", error).isFalse();
    assertThat(snapshot(to)).isEqualTo(before);
  }

  private static List<Object> snapshot(String rollup) throws Exception {
    Rollup r = reader(rollup);
    BigInteger requests = r.requestCount().send();
    List<Object> s =
        new ArrayList<>(
            List.of(
                r.stateRoot().send(),
                r.batchCount().send(),
                requests,
                r.requestsConsumed().send(),
                Numeric.toHexString(r.queueHash(requests).send()),
                r.exodus().send(),
                r.totalDeposited(BigInteger.ZERO).send(),
                chain.balance(rollup)));
    // Every credit the tests make, and every exit and refund flag they could touch.
    for (Credentials c : List.of(DEV, ALICE, BOB, CAROL)) {
      s.add(r.pendingWithdrawal(BigInteger.ZERO, c.getAddress()).send());
    }
    for (long i = 0; i < 4; i++) {
      s.add(r.exited(BigInteger.valueOf(i)).send());
      s.add(r.refunded(BigInteger.valueOf(i)).send());
    }
    return s;
  }

  private static L1Address l1(Credentials c) {
    return L1Address.fromHex(c.getAddress());
  }

  private static L1Address l1(String address) {
    return L1Address.fromHex(address);
  }

  private static Fr idHash(Fr keyHash, String owner) {
    return AccountId.idHash(POSEIDON2, keyHash, l1(owner));
  }

  /** The v2 leaf: {@code compress(idHash, balance · 2^64 + nonce)}. */
  private static Fr leaf(Fr keyHash, String owner, BigInteger balance, long nonce) {
    return POSEIDON2.compress(idHash(keyHash, owner), Fr.of(balance.shiftLeft(64).add(BigInteger.valueOf(nonce))));
  }

  /** The first 24 bytes of keccak256(depositor ‖ token (2) ‖ amount (32)), token 0: an ETH deposit's refund commitment (v3). */
  private static byte[] refundCommitment(String depositor, BigInteger amount) {
    byte[] in = new byte[20 + 2 + 32];
    System.arraycopy(Numeric.hexStringToByteArray(depositor), 0, in, 0, 20);
    System.arraycopy(Numeric.toBytesPadded(amount, 32), 0, in, 22, 32);
    return Arrays.copyOf(Hash.sha3(in), 24);
  }

  private static long block() throws IOException {
    return chain.anvil.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  /** Mines blocks until the latest is {@code target} (anvil_mine). */
  private static void mineTo(long target) throws IOException {
    long n = target - block();
    assertThat(n).as("mine forward to block %d", target).isGreaterThanOrEqualTo(0);
    if (n > 0) {
      chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(n)));
    }
    assertThat(block()).isEqualTo(target);
  }

  /** Mines past request {@code index}'s deadline and starts exodus (from Carol: anyone may). */
  private static TransactionReceipt startExodus(String rollup, long index) throws Exception {
    Tuple2<BigInteger, byte[]> meta = reader(rollup).requestMeta(BigInteger.valueOf(index)).send();
    long deadline = meta.component1().longValueExact() + reader(rollup).priorityDeadline().send().longValueExact();
    if (block() < deadline) {
      mineTo(deadline); // the next transaction is mined in deadline + 1, the first block past it
    }
    return ok(CAROL, rollup, calls().activateExodus().encodeFunctionCall());
  }

  private static void gas(String what, TransactionReceipt r) {
    GAS.put(what, String.format(Locale.ROOT, "%,d", r.getGasUsed()));
  }

  // ------------------------------------------------------------------ public data from the spec

  /**
   * Protocol v3 public data of ETH accounts (docs/protocol.md, "Public data", "Public data of a
   * priority op" and "Public data (changes from v2)"): header {@code rollupId (8) ‖ batchNumber (8)
   * ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉)}, then B chunks of 10 bytes; an op fills slots from
   * the next free one and spans as many chunks as its bytes need. The header
   * names the rollup id of the contract it is for (the contract derived it).
   */
  private static final class Pubdata {
    private final long rollupId;
    private final int[] opCodes = new int[SLOTS];
    private final byte[] chunks = new byte[10 * SLOTS];
    private int slot;

    /** Public data for the Rollup at {@code rollup}. */
    Pubdata(String rollup) throws Exception {
      this.rollupId = chain.rollupId(rollup);
    }

    private Pubdata op(int code, byte[] data) {
      opCodes[slot] = code;
      System.arraycopy(data, 0, chunks, 10 * slot, data.length);
      slot += (data.length + 9) / 10;
      return this;
    }

    /** {@code 0x00 ‖ to (4) ‖ amount (13) ‖ idHash (32)}. */
    Pubdata deposit(long to, BigInteger amount, Fr idHash) {
      return op(2, ByteBuffer.allocate(50).put((byte) 0).putInt((int) to).put(Numeric.toBytesPadded(amount, 13)).put(idHash.toBytes()).array());
    }

    /** {@code kind ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16) ‖ 0 (7)}, token 0: kind 1 paid, 2 refused. */
    Pubdata forced(int kind, long account, String requester, BigInteger amount) {
      return op(2, ByteBuffer.allocate(50).put((byte) kind).putInt((int) account).putShort((short) 0).put(Numeric.hexStringToByteArray(requester)).put(Numeric.toBytesPadded(amount, 16)).array());
    }

    /** The deposit {@code d} as the node would write it into account {@code to}. */
    Pubdata deposit(long to, L1Deposit d) {
      return deposit(to, d.amount(), d.idHash());
    }

    /** The forced withdrawal {@code f}, paid (kind 1) or refused (kind 2). */
    Pubdata forced(int kind, L1ForcedWithdrawal f) {
      return forced(kind, f.account(), f.requester().toString(), f.amount());
    }

    /** {@code from (4) ‖ token (2) ‖ l1Address (20) ‖ amount (14)}, token 0. */
    Pubdata withdrawal(long from, String to, BigInteger amount) {
      return op(3, ByteBuffer.allocate(40).putInt((int) from).putShort((short) 0).put(Numeric.hexStringToByteArray(to)).put(Numeric.toBytesPadded(amount, 14)).array());
    }

    /** {@code from (4) ‖ to (4) ‖ amount float16 (2)}. */
    Pubdata transfer(long from, long to) {
      return op(1, ByteBuffer.allocate(10).putInt((int) from).putInt((int) to).putShort((short) 1).array());
    }

    /** Op code {@code code} at {@code slot} with nothing else: for ops that run past the last slot. */
    Pubdata rawOpCode(int at, int code) {
      opCodes[at] = code;
      return this;
    }

    byte[] build(long batchNumber) {
      ByteBuffer b = ByteBuffer.allocate(36 + (SLOTS + 3) / 4 + chunks.length);
      b.putLong(rollupId).putLong(batchNumber).putInt(0).put(new byte[16]);
      byte[] codes = new byte[(SLOTS + 3) / 4];
      for (int i = 0; i < SLOTS; i++) {
        codes[i / 4] |= (byte) (opCodes[i] << (6 - 2 * (i % 4)));
      }
      return b.put(codes).put(chunks).array();
    }
  }

  /** Requests 0 … count − 1 of {@code rollup}, read and checked by the node's client code. */
  private static List<PriorityRequest> queue(String rollup) throws Exception {
    List<PriorityRequest> out = new ArrayList<>();
    byte[] h = new byte[32];
    for (Log log : chain.logs(rollup, Rollup.DEPOSIT_EVENT)) {
      Rollup.DepositEventResponse e = Rollup.getDepositEventFromLog(log);
      out.add(new L1Deposit(e.index.longValueExact(), Fr.fromBytes(e.keyHash), l1(e.owner), e.token.longValueExact(), Fr.fromBytes(e.idHash), e.amount, l1(e.depositor)));
    }
    for (Log log : chain.logs(rollup, Rollup.FORCEDWITHDRAWALREQUESTED_EVENT)) {
      Rollup.ForcedWithdrawalRequestedEventResponse e = Rollup.getForcedWithdrawalRequestedEventFromLog(log);
      out.add(new L1ForcedWithdrawal(e.index.longValueExact(), e.account.longValueExact(), e.token.longValueExact(), l1(e.requester), e.amount));
    }
    out.sort((a, b) -> Long.compare(a.index(), b.index()));
    for (PriorityRequest r : out) {
      h = PriorityQueue.next(h, r);
      assertThat(reader(rollup).queueHash(BigInteger.valueOf(r.index() + 1)).send()).as("queueHash[%d] is what the spec says", r.index() + 1).isEqualTo(h);
    }
    assertThat((long) out.size()).isEqualTo(reader(rollup).requestCount().send().longValueExact());
    return out;
  }

  // ------------------------------------------------------------------ deployment

  @Test
  void deploymentQueuesTheOperatorsDepositOwnedByTheDeployerAndChecksTheDepth() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    long deployedIn = block();
    assertThat(reader(r).depth().send()).isEqualTo(BigInteger.valueOf(DEPTH));
    assertThat(reader(r).priorityDeadline().send()).isEqualTo(BigInteger.valueOf(100));
    assertThat(reader(r).requestCount().send()).isEqualTo(BigInteger.ONE);
    assertThat(reader(r).exodus().send()).isFalse();
    List<PriorityRequest> q = queue(r);
    L1Deposit operator = (L1Deposit) q.get(0);
    assertThat(operator).isEqualTo(new L1Deposit(0, OPERATOR_KEY, l1(DEV), idHash(OPERATOR_KEY, DEV.getAddress()), BigInteger.ZERO, l1(DEV)));
    Tuple2<BigInteger, byte[]> meta = reader(r).requestMeta(BigInteger.ZERO).send();
    assertThat(meta.component1().longValueExact()).isEqualTo(deployedIn);
    assertThat(meta.component2()).isEqualTo(refundCommitment(DEV.getAddress(), BigInteger.ZERO));

    // D outside 1 … 32, and a non-canonical operator key, are refused at deployment.
    for (int bad : new int[] {0, 33}) {
      assertThat(creationRevert(bad, OPERATOR_KEY)).hasValue("DepthOutOfRange(" + bad + ")");
    }
    assertThat(creationRevert(32, Fr.ZERO)).isEmpty();
    assertThat(creationRevert(32, null)).hasValue("KeyHashNotCanonical(0x" + Numeric.toHexStringNoPrefixZeroPadded(Fr.MODULUS, 64) + ")");
  }

  /** What deploying Rollup.sol with depth {@code depth} and operator key {@code key} (null: p) would revert with. */
  private static Optional<String> creationRevert(int depth, Fr key) throws IOException {
    byte[] k = key == null ? Numeric.toBytesPadded(Fr.MODULUS, 32) : key.toBytes();
    String data =
        "0x"
            + Rollup.BINARY
            + FunctionEncoder.encodeConstructor(
                List.of(
                    new Address(anyProof),
                    new Uint16(SLOTS),
                    new Uint8(depth),
                    new Bool(false),
                    new Uint64(100),
                    new Uint256(L1Chain.emptyRoot(DEPTH).toBigInteger()),
                    new Bytes32(k),
                    new Address(DEV.getAddress())));
    var call = chain.anvil.web3().ethCall(Transaction.createFunctionCallTransaction(DEV.getAddress(), null, null, BigInteger.valueOf(10_000_000), null, data), DefaultBlockParameterName.LATEST).send();
    return RevertReason.of(call);
  }

  // ------------------------------------------------------------------ deposits and forced withdrawals

  @Test
  void aDepositNamesKeyAndOwnerAndTheContractComputesTheAccountIdOrRefusesIt() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    BigInteger amount = ETH.divide(BigInteger.valueOf(3));
    TransactionReceipt d = ok(ALICE, r, amount, depositCall(KEY_1, BOB.getAddress()));
    gas("deposit (the first since deployment: totalDeposited leaves 0)", d);
    Rollup.DepositEventResponse e = Rollup.getDepositEvents(d).get(0);
    assertThat(e.index).isEqualTo(BigInteger.ONE);
    assertThat(e.owner).isEqualToIgnoringCase(BOB.getAddress());
    assertThat(e.depositor).isEqualToIgnoringCase(ALICE.getAddress());
    assertThat(Fr.fromBytes(e.idHash)).as("idHash = compress(keyHash, owner · 2^32 + 0), as Java computes it").isEqualTo(idHash(KEY_1, BOB.getAddress()));
    assertThat(e.amount).isEqualTo(amount);
    queue(r); // the rolling hash over 0x00 ‖ idHash ‖ amount (13)
    Tuple2<BigInteger, byte[]> meta = reader(r).requestMeta(BigInteger.ONE).send();
    assertThat(meta.component1()).isEqualTo(d.getBlockNumber());
    assertThat(meta.component2()).isEqualTo(refundCommitment(ALICE.getAddress(), amount));
    assertThat(reader(r).totalDeposited(BigInteger.ZERO).send()).isEqualTo(amount);
    gas("deposit (a later one)", ok(ALICE, r, amount, depositCall(KEY_2, ALICE.getAddress())));

    // Out of range, non-canonical key, no owner: nothing changes.
    revertsMined(ALICE, r, BigInteger.ZERO, depositCall(KEY_1, BOB.getAddress()), "DepositAmountOutOfRange(0)");
    chain.setBalance(ALICE.getAddress(), BigInteger.ONE.shiftLeft(105));
    BigInteger limit = BigInteger.ONE.shiftLeft(104);
    revertsMined(ALICE, r, limit, depositCall(KEY_1, BOB.getAddress()), "DepositAmountOutOfRange(" + limit + ")");
    String pKey = calls().deposit(Numeric.toBytesPadded(Fr.MODULUS, 32), BOB.getAddress(), BigInteger.ZERO).encodeFunctionCall();
    revertsMined(ALICE, r, BigInteger.ONE, pKey, "KeyHashNotCanonical(0x" + Numeric.toHexStringNoPrefixZeroPadded(Fr.MODULUS, 64) + ")");
    revertsMined(ALICE, r, BigInteger.ONE, depositCall(KEY_1, "0x0000000000000000000000000000000000000000"), "OwnerIsZero()");
    ok(ALICE, r, limit.subtract(BigInteger.ONE), depositCall(KEY_1, BOB.getAddress()));
    assertThat(queue(r)).hasSize(4);
  }

  @Test
  void aForcedWithdrawalIsQueuedForAnyCallerButOnlyForAnAccountBelow2ToTheDAndAnAmountAbove0() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    TransactionReceipt f = ok(BOB, r, forceWithdrawCall(3, BigInteger.valueOf(5)));
    gas("forceWithdraw", f);
    Rollup.ForcedWithdrawalRequestedEventResponse e = Rollup.getForcedWithdrawalRequestedEvents(f).get(0);
    assertThat(List.of(e.index, e.account, e.amount)).containsExactly(BigInteger.ONE, BigInteger.valueOf(3), BigInteger.valueOf(5));
    assertThat(e.requester).isEqualToIgnoringCase(BOB.getAddress());
    // Carol asks for an account that is not hers: L1 queues it, the circuit will refuse it.
    ok(CAROL, r, forceWithdrawCall(15, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
    List<PriorityRequest> q = queue(r); // the rolling hash over 0x01 ‖ account ‖ requester ‖ amount
    assertThat(q.get(2)).isEqualTo(new L1ForcedWithdrawal(2, 15, l1(CAROL), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
    Tuple2<BigInteger, byte[]> meta = reader(r).requestMeta(BigInteger.ONE).send();
    assertThat(meta.component1()).isEqualTo(f.getBlockNumber());
    assertThat(meta.component2()).as("no refund commitment").containsOnly(0);

    revertsMined(BOB, r, BigInteger.ZERO, forceWithdrawCall(16, BigInteger.ONE), "AccountOutOfRange(16)");
    revertsMined(BOB, r, BigInteger.ZERO, forceWithdrawCall(0xFFFF_FFFFL, BigInteger.ONE), "AccountOutOfRange(4294967295)");
    revertsMined(BOB, r, BigInteger.ZERO, forceWithdrawCall(3, BigInteger.ZERO), "ForcedWithdrawalAmountZero()");
    // At D = 32 every 32-bit index is an account.
    String wide = deploy(32, 100, L1Chain.emptyRoot(32));
    ok(BOB, wide, forceWithdrawCall(0xFFFF_FFFFL, BigInteger.ONE));
  }

  // ------------------------------------------------------------------ the walk over priority ops

  /**
   * Queue: 0 the operator's deposit, 1 Alice's deposit, 2 Bob's forced withdrawal from account 1, 3
   * Carol's forced withdrawal from account 1 (not hers).
   */
  private static List<PriorityRequest> fourRequests(String r) throws Exception {
    ok(ALICE, r, ETH, depositCall(KEY_1, BOB.getAddress()));
    ok(BOB, r, forceWithdrawCall(1, BigInteger.valueOf(300)));
    ok(CAROL, r, forceWithdrawCall(1, BigInteger.valueOf(400)));
    List<PriorityRequest> q = queue(r);
    assertThat(q).hasSize(4);
    return q;
  }

  @Test
  void aBatchConsumesPriorityRequestsInOrderCreditsPaidForcedWithdrawalsAndNothingElse() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    List<PriorityRequest> q = fourRequests(r);
    L1Deposit d0 = (L1Deposit) q.get(0);
    L1Deposit d1 = (L1Deposit) q.get(1);
    L1ForcedWithdrawal f2 = (L1ForcedWithdrawal) q.get(2);
    L1ForcedWithdrawal f3 = (L1ForcedWithdrawal) q.get(3);
    Fr root1 = Fr.of(111);
    Fr root2 = Fr.of(222);

    // Batch 0: the two deposits (where the node puts them is its choice: L1 ignores `to`).
    byte[] b0 = new Pubdata(r).deposit(0, d0).deposit(9, d1).transfer(1, 0).build(0);
    TransactionReceipt c0 = ok(DEV, r, commitCall(b0, root1));
    gas("commitBatch, 2 deposits + 1 transfer, B = 32 (test verifier)", c0);
    assertThat(reader(r).requestsConsumed().send()).isEqualTo(BigInteger.TWO);

    // Batch 1 must take request 2 first: skipping it, or taking 3 before 2, or a request that is
    // not what was asked (another requester, account or amount) changes the rolling hash.
    reverts(DEV, r, commitCall(new Pubdata(r).forced(2, f3).build(1), root2), "RequestsMismatch()");
    reverts(DEV, r, commitCall(new Pubdata(r).forced(2, f3).forced(1, f2).build(1), root2), "RequestsMismatch()");
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, 1, CAROL.getAddress(), f2.amount()).forced(2, f3).build(1), root2), "RequestsMismatch()");
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, 2, BOB.getAddress(), f2.amount()).forced(2, f3).build(1), root2), "RequestsMismatch()");
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, 1, BOB.getAddress(), f2.amount().add(BigInteger.ONE)).forced(2, f3).build(1), root2), "RequestsMismatch()");
    // A deposit already consumed, again.
    reverts(DEV, r, commitCall(new Pubdata(r).deposit(1, d1).forced(1, f2).build(1), root2), "RequestsMismatch()");
    // Kinds 3 … 255 do not exist.
    for (int kind : new int[] {3, 0x80, 0xff}) {
      reverts(DEV, r, commitCall(new Pubdata(r).forced(kind, f2).forced(2, f3).build(1), root2), "MalformedPubdata()");
    }
    // More than is queued.
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, f2).forced(2, f3).forced(2, f3).build(1), root2), "TooManyRequests(2, 3)");
    // A priority op that starts in one of the last four slots runs past the last chunk.
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, f2).forced(2, f3).rawOpCode(SLOTS - 4, 2).build(1), root2), "MalformedPubdata()");
    revertsMined(DEV, r, BigInteger.ZERO, commitCall(new Pubdata(r).forced(2, f3).forced(1, f2).build(1), root2), "RequestsMismatch()");

    // Bob's is paid (kind 1: credited), Carol's refused (kind 2: nothing); both are consumed.
    byte[] b1 = new Pubdata(r).forced(1, f2).forced(2, f3).withdrawal(1, ALICE.getAddress(), BigInteger.valueOf(77)).build(1);
    TransactionReceipt c1 = ok(DEV, r, commitCall(b1, root2));
    gas("commitBatch, 2 forced withdrawals + 1 withdrawal, B = 32 (test verifier)", c1);
    assertThat(reader(r).requestsConsumed().send()).isEqualTo(BigInteger.valueOf(4));
    assertThat(reader(r).stateRoot().send()).isEqualTo(root2.toBigInteger());
    assertThat(reader(r).batchCount().send()).isEqualTo(BigInteger.TWO);
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, BOB.getAddress()).send()).isEqualTo(f2.amount());
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, CAROL.getAddress()).send()).isZero();
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(77));
    // Nothing left to consume.
    reverts(DEV, r, commitCall(new Pubdata(r).forced(1, f2).build(2), root2), "TooManyRequests(0, 1)");
    // Bob takes it out.
    BigInteger before = chain.balance(BOB.getAddress());
    TransactionReceipt claimed = ok(BOB, r, calls().claim(BigInteger.ZERO).encodeFunctionCall());
    assertThat(chain.balance(BOB.getAddress())).isEqualTo(before.add(f2.amount()).subtract(L1Chain.fee(claimed)));
  }

  @Test
  void aRefusedForcedWithdrawalStillConsumesItsRequestAndAKindOneRequestIsHashedAsKindOne() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    List<PriorityRequest> q = fourRequests(r);
    // A batch may consume a prefix and stop, even between the two forced withdrawals.
    ok(DEV, r, commitCall(new Pubdata(r).deposit(0, (L1Deposit) q.get(0)).deposit(1, (L1Deposit) q.get(1)).forced(2, (L1ForcedWithdrawal) q.get(2)).build(0), Fr.of(5)));
    assertThat(reader(r).requestsConsumed().send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, BOB.getAddress()).send()).as("refused: no credit").isZero();
    // The contract does not decide paid or refused (the proof does); a paid one credits its requester.
    ok(DEV, r, commitCall(new Pubdata(r).forced(1, (L1ForcedWithdrawal) q.get(3)).build(1), Fr.of(6)));
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, CAROL.getAddress()).send()).isEqualTo(BigInteger.valueOf(400));
  }

  // ------------------------------------------------------------------ the deadline and exodus

  @Test
  void exodusNeedsARequestPastItsDeadlineAndThenStopsBatchesDepositsAndForcedWithdrawals() throws Exception {
    long deadline = 10;
    String r = deploy(DEPTH, deadline, L1Chain.emptyRoot(DEPTH));
    String activate = calls().activateExodus().encodeFunctionCall();
    long request0 = reader(r).requestMeta(BigInteger.ZERO).send().component1().longValueExact();
    reverts(CAROL, r, activate, "DeadlineNotPassed(0, " + (request0 + deadline) + ")");
    // Batch 0 consumes request 0: nothing is pending.
    ok(DEV, r, commitCall(new Pubdata(r).deposit(0, (L1Deposit) queue(r).get(0)).build(0), Fr.of(1)));
    reverts(CAROL, r, activate, "NoPendingRequest()");

    // Alice's deposit is the oldest unconsumed request; its deadline counts from its block, and a
    // later request does not move it.
    TransactionReceipt d = ok(ALICE, r, ETH, depositCall(KEY_1, ALICE.getAddress()));
    long due = d.getBlockNumber().longValueExact() + deadline;
    ok(BOB, r, forceWithdrawCall(1, BigInteger.ONE));
    mineTo(due - 1);
    TransactionReceipt early = chain.send(CAROL, r, BigInteger.ZERO, activate, L1Chain.GAS_LIMIT);
    assertThat(early.getBlockNumber().longValueExact()).isEqualTo(due);
    assertThat(early.isStatusOK()).as("in the deadline's own block it is not overdue yet").isFalse();
    assertThat(reader(r).exodus().send()).isFalse();
    TransactionReceipt started = ok(CAROL, r, activate);
    assertThat(started.getBlockNumber().longValueExact()).isEqualTo(due + 1);
    gas("activateExodus", started);
    assertThat(Rollup.getExodusActivatedEvents(started).get(0).overdueRequest).isEqualTo(BigInteger.ONE);
    assertThat(reader(r).exodus().send()).isTrue();

    // For good: no second start, no batch, deposit or forced withdrawal.
    revertsMined(CAROL, r, BigInteger.ZERO, activate, "Exodus()");
    revertsMined(DEV, r, BigInteger.ZERO, commitCall(new Pubdata(r).deposit(1, (L1Deposit) queue(r).get(1)).forced(1, (L1ForcedWithdrawal) queue(r).get(2)).build(1), Fr.of(2)), "Exodus()");
    revertsMined(ALICE, r, ETH, depositCall(KEY_1, ALICE.getAddress()), "Exodus()");
    revertsMined(ALICE, r, BigInteger.ZERO, forceWithdrawCall(1, BigInteger.ONE), "Exodus()");
  }

  // ------------------------------------------------------------------ exits

  /** An account of a test tree: its index, key hash, owner, balance and nonce. */
  private record Account(long index, Fr keyHash, String owner, BigInteger balance, long nonce) {}

  /** A tree of v2 leaves of depth {@code depth} holding {@code accounts}. */
  private static StateTree tree(int depth, List<Account> accounts) {
    StateTree t = new StateTree(new InMemoryTreeStore(depth), POSEIDON2, 1);
    for (Account a : accounts) {
      t.put(a.index(), leaf(a.keyHash(), a.owner(), a.balance(), a.nonce()));
    }
    t.commit();
    return t;
  }

  private static String exitCall(Account a, MerkleProof p) {
    return exitCall(a.index(), a.keyHash(), a.balance(), a.nonce(), p.siblings());
  }

  @Test
  void inExodusEachOwnerExitsItsAccountOnceWithAProofAgainstTheLastCommittedRoot() throws Exception {
    Account operator = new Account(0, OPERATOR_KEY, DEV.getAddress(), BigInteger.valueOf(7), 3);
    Account alice = new Account(1, KEY_1, ALICE.getAddress(), ETH, 2);
    Account bob = new Account(2, KEY_2, BOB.getAddress(), ETH.divide(BigInteger.TWO), 0);
    // Carol's account has Alice's key but another owner: another account, which Alice cannot exit.
    Account carol = new Account(3, KEY_1, CAROL.getAddress(), BigInteger.valueOf(123), 9);
    StateTree t = tree(DEPTH, List.of(operator, alice, bob, carol));

    // The tree's root becomes the contract's by a committed batch (the test verifier's doing).
    String r = deploy(DEPTH, 5, L1Chain.emptyRoot(DEPTH));
    chain.setBalance(r, ETH.multiply(BigInteger.TEN)); // what the accounts hold on L2
    ok(DEV, r, commitCall(new Pubdata(r).deposit(0, (L1Deposit) queue(r).get(0)).build(0), t.root()));
    assertThat(reader(r).stateRoot().send()).isEqualTo(t.root().toBigInteger());
    MerkleProof pa = t.proof(1);
    reverts(ALICE, r, exitCall(alice, pa), "NotInExodus()");
    ok(ALICE, r, BigInteger.ONE, depositCall(KEY_1, ALICE.getAddress())); // request 1, never consumed
    startExodus(r, 1);

    // Someone else's account: Bob with Alice's leaf, Alice with Carol's (same key, other owner).
    revertsMined(BOB, r, BigInteger.ZERO, exitCall(alice, pa), "ExitProofInvalid()");
    revertsMined(ALICE, r, BigInteger.ZERO, exitCall(carol.index(), carol.keyHash(), carol.balance(), carol.nonce(), t.proof(3).siblings()), "ExitProofInvalid()");
    // A tampered proof: a sibling, the balance, the nonce, the key.
    List<Fr> sibs = new ArrayList<>(pa.siblings());
    sibs.set(2, sibs.get(2).add(Fr.ONE));
    revertsMined(ALICE, r, BigInteger.ZERO, exitCall(alice.index(), alice.keyHash(), alice.balance(), alice.nonce(), sibs), "ExitProofInvalid()");
    revertsMined(ALICE, r, BigInteger.ZERO, exitCall(alice.index(), alice.keyHash(), alice.balance().add(BigInteger.ONE), alice.nonce(), pa.siblings()), "ExitProofInvalid()");
    reverts(ALICE, r, exitCall(alice.index(), alice.keyHash(), alice.balance(), alice.nonce() + 1, pa.siblings()), "ExitProofInvalid()");
    reverts(ALICE, r, exitCall(alice.index(), KEY_2, alice.balance(), alice.nonce(), pa.siblings()), "ExitProofInvalid()");
    // Another index for the same leaf: account + 2^D would open the same path; refused.
    revertsMined(ALICE, r, BigInteger.ZERO, exitCall(alice.index() + 16, alice.keyHash(), alice.balance(), alice.nonce(), pa.siblings()), "AccountOutOfRange(17)");
    reverts(ALICE, r, exitCall(alice.index(), alice.keyHash(), alice.balance(), alice.nonce(), pa.siblings().subList(0, 3)), "WrongProofLength(4, 3)");
    // A sibling that is p more than the real one: gnark-crypto refuses it, so does the contract.
    String nonCanonical = exitCall(alice, pa).replace(Numeric.toHexStringNoPrefixZeroPadded(pa.siblings().get(0).toBigInteger(), 64), Numeric.toHexStringNoPrefixZeroPadded(pa.siblings().get(0).toBigInteger().add(Fr.MODULUS), 64));
    reverts(ALICE, r, nonCanonical, "NotAFieldElement(" + pa.siblings().get(0).toBigInteger().add(Fr.MODULUS) + ")");

    TransactionReceipt exited = ok(ALICE, r, exitCall(alice, pa));
    gas("exit, D = 4", exited);
    Rollup.ExitedEventResponse e = Rollup.getExitedEvents(exited).get(0);
    assertThat(List.of(e.account, e.amount)).containsExactly(BigInteger.ONE, ETH);
    assertThat(e.owner).isEqualToIgnoringCase(ALICE.getAddress());
    assertThat(reader(r).exited(BigInteger.ONE).send()).isTrue();
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, ALICE.getAddress()).send()).isEqualTo(ETH);
    revertsMined(ALICE, r, BigInteger.ZERO, exitCall(alice, pa), "AlreadyExited(1)");

    // Carol exits hers, with Alice's key: a separate account.
    ok(CAROL, r, exitCall(carol, t.proof(3)));
    ok(BOB, r, exitCall(bob, t.proof(2)));
    ok(DEV, r, exitCall(operator, t.proof(0)));
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, CAROL.getAddress()).send()).isEqualTo(BigInteger.valueOf(123));
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, DEV.getAddress()).send()).isEqualTo(BigInteger.valueOf(7));

    // Claims pay what the exits credited, exactly.
    BigInteger before = chain.balance(ALICE.getAddress());
    TransactionReceipt claimed = ok(ALICE, r, calls().claim(BigInteger.ZERO).encodeFunctionCall());
    assertThat(chain.balance(ALICE.getAddress())).isEqualTo(before.add(ETH).subtract(L1Chain.fee(claimed)));
    reverts(ALICE, r, calls().claim(BigInteger.ZERO).encodeFunctionCall(), "NothingToClaim()");
  }

  @Test
  void anExitAtDepth32FromAGenesisRoot() throws Exception {
    Account low = new Account(0, OPERATOR_KEY, DEV.getAddress(), BigInteger.valueOf(5), 0);
    Account high = new Account(0xFFFF_FFFFL, KEY_1, ALICE.getAddress(), ETH, (1L << 63) - 1);
    Account middle = new Account(5, KEY_2, BOB.getAddress(), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE), 1);
    StateTree t = tree(32, List.of(low, high, middle));
    String r = deploy(32, 1, t.root()); // request 0 (the operator's deposit) is never consumed
    chain.setBalance(r, ETH.multiply(BigInteger.TEN));
    startExodus(r, 0);
    TransactionReceipt exited = ok(ALICE, r, exitCall(high, t.proof(high.index())));
    gas("exit, D = 32", exited);
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, ALICE.getAddress()).send()).isEqualTo(ETH);
    revertsMined(BOB, r, BigInteger.ZERO, exitCall(high, t.proof(high.index())), "AlreadyExited(4294967295)");
    // The largest balance there can be.
    ok(BOB, r, exitCall(middle, t.proof(5)));
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, BOB.getAddress()).send()).isEqualTo(middle.balance());
  }

  // ------------------------------------------------------------------ refunds

  @Test
  void inExodusEachUnconsumedDepositIsRefundedToItsDepositorOnce() throws Exception {
    String r = deploy(DEPTH, 5, L1Chain.emptyRoot(DEPTH));
    BigInteger a = ETH;
    BigInteger b = ETH.divide(BigInteger.TEN).multiply(BigInteger.valueOf(3));
    BigInteger c = ETH.divide(BigInteger.TEN).multiply(BigInteger.TWO);
    ok(ALICE, r, a, depositCall(KEY_1, ALICE.getAddress())); // 1: consumed below
    ok(DEV, r, commitCall(new Pubdata(r).deposit(0, (L1Deposit) queue(r).get(0)).deposit(1, (L1Deposit) queue(r).get(1)).build(0), Fr.of(3)));
    ok(BOB, r, b, depositCall(KEY_2, BOB.getAddress())); // 2
    ok(CAROL, r, forceWithdrawCall(1, BigInteger.TEN)); // 3
    ok(DEV, r, c, depositCall(KEY_1, ALICE.getAddress())); // 4: deposited by DEV for Alice's account
    reverts(CAROL, r, refundCall(2, BOB.getAddress(), b), "NotInExodus()");
    startExodus(r, 2);

    revertsMined(ALICE, r, BigInteger.ZERO, refundCall(1, ALICE.getAddress(), a), "RequestConsumed(1)");
    reverts(CAROL, r, refundCall(3, CAROL.getAddress(), BigInteger.ZERO), "NotADeposit(3)");
    reverts(CAROL, r, refundCall(5, CAROL.getAddress(), b), "NoSuchRequest(5)");
    revertsMined(CAROL, r, BigInteger.ZERO, refundCall(2, CAROL.getAddress(), b), "RefundMismatch(2)"); // not the depositor
    revertsMined(BOB, r, BigInteger.ZERO, refundCall(2, BOB.getAddress(), b.add(BigInteger.ONE)), "RefundMismatch(2)"); // not the amount
    reverts(ALICE, r, refundCall(4, ALICE.getAddress(), c), "RefundMismatch(4)"); // the owner is not the depositor

    // Anyone may have it refunded; it goes to the depositor.
    TransactionReceipt refunded = ok(CAROL, r, refundCall(2, BOB.getAddress(), b));
    gas("refundDeposit", refunded);
    Rollup.DepositRefundedEventResponse e = Rollup.getDepositRefundedEvents(refunded).get(0);
    assertThat(List.of(e.index, e.amount)).containsExactly(BigInteger.TWO, b);
    assertThat(e.depositor).isEqualToIgnoringCase(BOB.getAddress());
    assertThat(reader(r).refunded(BigInteger.TWO).send()).isTrue();
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, BOB.getAddress()).send()).isEqualTo(b);
    revertsMined(BOB, r, BigInteger.ZERO, refundCall(2, BOB.getAddress(), b), "AlreadyRefunded(2)");
    ok(ALICE, r, refundCall(4, DEV.getAddress(), c));

    // Carol pays the refunds out (claimFor): each depositor gets exactly its deposit.
    BigInteger bobBefore = chain.balance(BOB.getAddress());
    BigInteger devBefore = chain.balance(DEV.getAddress());
    TransactionReceipt paid = ok(CAROL, r, calls().claimFor(BigInteger.ZERO, BOB.getAddress()).encodeFunctionCall());
    gas("claimFor (to an address with no code)", paid);
    ok(CAROL, r, calls().claimFor(BigInteger.ZERO, DEV.getAddress()).encodeFunctionCall());
    assertThat(chain.balance(BOB.getAddress())).isEqualTo(bobBefore.add(b));
    assertThat(chain.balance(DEV.getAddress())).isEqualTo(devBefore.add(c));
    assertThat(chain.balance(r)).as("what is left: Alice's consumed deposit").isEqualTo(a);
    reverts(CAROL, r, calls().claimFor(BigInteger.ZERO, BOB.getAddress()).encodeFunctionCall(), "NothingToClaim()");
  }

  // ------------------------------------------------------------------ claims and re-entrancy

  private static String deployClaimer(String rollup) throws Exception {
    return chain.deploy(chain.contracts.dir().resolve("test/ReentrantClaimer.sol"), "ReentrantClaimer", new Address(rollup));
  }

  @Test
  void claimForPaysTheAddressOnlyAndNeitherClaimNorClaimForCanBeReentered() throws Exception {
    String r = deploy(DEPTH, 100, L1Chain.emptyRoot(DEPTH));
    chain.setBalance(r, ETH);
    String viaClaim = deployClaimer(r);
    String viaClaimFor = deployClaimer(r);
    BigInteger w1 = BigInteger.valueOf(1_000);
    BigInteger w2 = BigInteger.valueOf(2_000);
    BigInteger w3 = BigInteger.valueOf(3_000);
    // Withdrawals to the two attackers, to Alice, and to a contract that refuses ETH (the test verifier).
    byte[] b0 =
        new Pubdata(r)
            .deposit(0, (L1Deposit) queue(r).get(0))
            .withdrawal(1, viaClaim, w1)
            .withdrawal(1, viaClaimFor, w2)
            .withdrawal(1, ALICE.getAddress(), w3)
            .withdrawal(1, anyProof, w3)
            .build(0);
    ok(DEV, r, commitCall(b0, Fr.of(9)));

    ok(BOB, viaClaim, L1Chain.encode("attack"));
    assertThat(chain.read(viaClaim, "received")).as("paid once").isEqualTo(BigInteger.ONE);
    assertThat(chain.read(viaClaim, "reentries")).isEqualTo(BigInteger.TWO);
    assertThat(chain.read(viaClaim, "reentriesReverted")).as("claim() and claimFor(itself) from its receive() both reverted").isEqualTo(BigInteger.TWO);
    assertThat(chain.balance(viaClaim)).isEqualTo(w1);

    ok(BOB, viaClaimFor, L1Chain.encode("attackClaimFor"));
    assertThat(chain.read(viaClaimFor, "received")).isEqualTo(BigInteger.ONE);
    assertThat(chain.read(viaClaimFor, "reentriesReverted")).isEqualTo(BigInteger.TWO);
    assertThat(chain.balance(viaClaimFor)).isEqualTo(w2);

    // Anyone may pay Alice; only Alice is paid, and she pays no gas for it.
    BigInteger aliceBefore = chain.balance(ALICE.getAddress());
    BigInteger carolBefore = chain.balance(CAROL.getAddress());
    TransactionReceipt paid = ok(CAROL, r, calls().claimFor(BigInteger.ZERO, ALICE.getAddress()).encodeFunctionCall());
    assertThat(chain.balance(ALICE.getAddress())).isEqualTo(aliceBefore.add(w3));
    assertThat(chain.balance(CAROL.getAddress())).isEqualTo(carolBefore.subtract(L1Chain.fee(paid)));
    reverts(CAROL, r, calls().claimFor(BigInteger.ZERO, ALICE.getAddress()).encodeFunctionCall(), "NothingToClaim()");
    reverts(CAROL, r, calls().claimFor(BigInteger.ZERO, DEV.getAddress()).encodeFunctionCall(), "NothingToClaim()");
    // A receiver that refuses ETH keeps its credit.
    revertsMined(CAROL, r, BigInteger.ZERO, calls().claimFor(BigInteger.ZERO, anyProof).encodeFunctionCall(), "TransferFailed()");
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, anyProof).send()).isEqualTo(w3);
  }

  @Test
  void anExitCannotBeReenteredFromTheClaimThatPaysIt() throws Exception {
    String r = deploy(DEPTH, 3, L1Chain.emptyRoot(DEPTH));
    String claimer = deployClaimer(r);
    Account owned = new Account(2, KEY_2, claimer, BigInteger.valueOf(4_321), 1);
    StateTree t = tree(DEPTH, List.of(new Account(0, OPERATOR_KEY, DEV.getAddress(), BigInteger.ZERO, 0), owned));
    chain.setBalance(r, owned.balance()); // what the account holds on L2, so that the claim can pay it
    ok(DEV, r, commitCall(new Pubdata(r).deposit(0, (L1Deposit) queue(r).get(0)).build(0), t.root()));
    // The contract deposits as an owner (request 1), which no batch consumes.
    ok(BOB, claimer, BigInteger.valueOf(50), L1Chain.encode("depositAsOwner", new Bytes32(KEY_2.toBytes())));
    assertThat(((L1Deposit) queue(r).get(1)).owner()).isEqualTo(l1(claimer));
    startExodus(r, 1);

    MerkleProof p = t.proof(2);
    List<Bytes32> sibs = new ArrayList<>();
    for (Fr s : p.siblings()) {
      sibs.add(new Bytes32(s.toBytes()));
    }
    ok(
        BOB,
        claimer,
        L1Chain.encode(
            "exitAndClaim",
            new Uint32(owned.index()),
            new Bytes32(owned.keyHash().toBytes()),
            new Uint128(owned.balance()),
            new Uint64(owned.nonce()),
            new DynamicArray<>(Bytes32.class, sibs)));
    assertThat(chain.read(claimer, "received")).as("paid once").isEqualTo(BigInteger.ONE);
    assertThat(chain.read(claimer, "reentries")).isEqualTo(BigInteger.valueOf(3));
    assertThat(chain.read(claimer, "reentriesReverted")).as("claim(), claimFor(itself) and the same exit() from its receive() all reverted").isEqualTo(BigInteger.valueOf(3));
    assertThat(chain.balance(claimer)).isEqualTo(owned.balance());
    assertThat(reader(r).exited(BigInteger.TWO).send()).isTrue();
    assertThat(reader(r).pendingWithdrawal(BigInteger.ZERO, claimer).send()).isZero();
    // Its deposit is refunded to it too (it was the depositor), once.
    ok(CAROL, r, refundCall(1, claimer, BigInteger.valueOf(50)));
    reverts(CAROL, r, refundCall(1, claimer, BigInteger.valueOf(50)), "AlreadyRefunded(1)");
  }
}
