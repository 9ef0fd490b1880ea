package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.utils.Numeric;

/**
 * The token rules of Rollup.sol v3 (docs/protocol.md, "Rollup.sol (v3)") against hostile tokens, on
 * anvil with real transactions and no proofs: listing (the governor's alone, once per contract, not
 * an EOA, at most 65,535), deposits that queue what the rollup received (a fee-on-transfer token),
 * deposits of tokens that return false, revert or re-enter refused with nothing queued, the walk of
 * {@code commitBatch} over v3's withdrawal chunk and forced withdrawal (credits per token), exits
 * per token, and, in exodus, refunds and claims per token: each user gets exactly its own tokens
 * back, and a token that returns false, reverts, re-enters or rebases fails only its own holders'
 * claims, whose credit stays pending.
 *
 * <p>The test tokens are {@code contracts/test/TestTokens.sol} (TEST ONLY). Batches are public data
 * built here from the spec, committed against {@code contracts/test/AcceptAnyProofVerifier.sol},
 * which accepts every proof: these tests are about the contract's token rules, not proofs. Prints
 * the gas of the token entry points (docs/benchmarks.md, "L1 gas").
 */
class TokenRulesIT {

  private static final int SLOTS = 32;
  private static final int DEPTH = 4;
  private static final long DEADLINE = 5;
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  private static final BigInteger ZERO = BigInteger.ZERO;

  /** Storage slots of Rollup.sol (solc's layout of its state variables, in order). */
  private static final int LISTED_TOKENS_SLOT = 6;

  /** anvil's dev accounts: 0 deploys (owns the operator's accounts, is the token governor), the others are users. */
  private static final Credentials DEV = LocalAnvil.devAccount(0);

  private static final Credentials ALICE = LocalAnvil.devAccount(1);
  private static final Credentials BOB = LocalAnvil.devAccount(2);
  private static final Credentials CAROL = LocalAnvil.devAccount(3);

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final Fr OPERATOR_KEY = Fr.of(1001);
  private static final Fr KEY_1 = Fr.of(1002);
  private static final Fr KEY_2 = Fr.of(1003);

  private static final String[] TOKENS = {"TestToken", "FeeOnTransferToken", "FalseReturningToken", "BlocklistToken", "ReentrantToken", "RebasingToken"};

  @TempDir static Path dir;
  private static L1Chain chain;
  private static String anyProof;
  private static Map<String, String> tokenCode;
  private static final Map<String, String> GAS = new TreeMap<>();

  @BeforeAll
  static void startAnvil() throws Exception {
    chain = L1Chain.start(dir);
    anyProof = chain.deploy(chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol"), "AcceptAnyProofVerifier");
    tokenCode = chain.compileAll(chain.contracts.dir().resolve("test/TestTokens.sol"), TOKENS);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      StringBuilder s = new StringBuilder();
      GAS.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-72s %9s%n", k, v)));
      System.out.printf(Locale.ROOT, "L1 gas of Rollup.sol v3's token functions (anvil 1.7.1, solc 0.8.30, 200 runs; gasUsed of the transaction, 21,000 and calldata included):%n%s", s);
      chain.close();
    }
  }

  // ------------------------------------------------------------------ contracts and calls

  private static String deploy() throws Exception {
    return deploy(DEPTH);
  }

  private static String deploy(int depth) throws Exception {
    return chain.deployRollup(anyProof, SLOTS, depth, DataAvailability.ROLLUP, DEADLINE, L1Chain.emptyRoot(depth), OPERATOR_KEY);
  }

  private static String token(String name) throws Exception {
    return name.equals("TestToken") ? chain.deployBytecode(tokenCode.get(name), new Utf8String("Test"), new Utf8String("TEST")) : chain.deployBytecode(tokenCode.get(name));
  }

  private static Rollup calls() {
    return chain.reader("0x0000000000000000000000000000000000000000");
  }

  private static Rollup reader(String rollup) {
    return chain.reader(rollup);
  }

  private static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  private static String listCall(String token) {
    return calls().listToken(token).encodeFunctionCall();
  }

  private static String depositTokenCall(long token, BigInteger amount, Fr keyHash, String owner) {
    return calls().depositToken(n(token), amount, keyHash.toBytes(), owner).encodeFunctionCall();
  }

  private static String claimCall(long token) {
    return calls().claim(n(token)).encodeFunctionCall();
  }

  private static String claimForCall(long token, String to) {
    return calls().claimFor(n(token), to).encodeFunctionCall();
  }

  private static String refundCall(long index, String depositor, long token, BigInteger amount) {
    return calls().refundDeposit(n(index), depositor, n(token), amount).encodeFunctionCall();
  }

  private static TransactionReceipt ok(Credentials from, String to, BigInteger value, String data) throws Exception {
    TransactionReceipt r = chain.send(from, to, value, data, L1Chain.GAS_LIMIT);
    assertThat(r.isStatusOK()).as("%s", r).isTrue();
    return r;
  }

  private static TransactionReceipt ok(Credentials from, String to, String data) throws Exception {
    return ok(from, to, ZERO, data);
  }

  /** Asserts by eth_call that {@code data} reverts with {@code error} (RevertReason's naming; addresses in lower case). */
  private static void reverts(Credentials from, String to, BigInteger value, String data, String error) throws IOException {
    assertThat(chain.revertOf(from, to, value, data)).as("reverts with %s", error).hasValue(error);
  }

  private static void reverts(Credentials from, String to, String data, String error) throws IOException {
    reverts(from, to, ZERO, data, error);
  }

  /** Like {@link #reverts}, and also mined: the transaction fails and {@code watched} (the rollup's and the tokens' state) is as before. */
  private static void revertsMined(Credentials from, String rollup, String data, String error, List<String> tokens) throws Exception {
    revertsMinedWithValue(from, rollup, ZERO, data, error, tokens);
  }

  private static void revertsMinedWithValue(Credentials from, String rollup, BigInteger value, String data, String error, List<String> tokens) throws Exception {
    reverts(from, rollup, value, data, error);
    List<Object> before = snapshot(rollup, tokens);
    TransactionReceipt r = chain.send(from, rollup, value, data, L1Chain.GAS_LIMIT);
    assertThat(r.isStatusOK()).as("mined and reverted: %s", error).isFalse();
    assertThat(snapshot(rollup, tokens)).isEqualTo(before);
  }

  /** The queue, ETH, and for each of {@code tokens}: its running total, the rollup's balance, every user's balance and pending credit. */
  private static List<Object> snapshot(String rollup, List<String> tokens) throws Exception {
    Rollup r = reader(rollup);
    BigInteger requests = r.requestCount().send();
    List<Object> s = new ArrayList<>(List.of(requests, Numeric.toHexString(r.queueHash(requests).send()), r.listedTokens().send(), chain.balance(rollup), r.totalDeposited(ZERO).send()));
    for (String t : tokens) {
      BigInteger id = r.tokenId(t).send();
      s.add(r.totalDeposited(id).send());
      s.add(balanceOf(t, rollup));
      for (Credentials c : List.of(DEV, ALICE, BOB, CAROL)) {
        s.add(balanceOf(t, c.getAddress()));
        s.add(r.pendingWithdrawal(id, c.getAddress()).send());
      }
    }
    for (Credentials c : List.of(DEV, ALICE, BOB, CAROL)) {
      s.add(r.pendingWithdrawal(ZERO, c.getAddress()).send());
    }
    return s;
  }

  private static BigInteger balanceOf(String token, String holder) throws IOException {
    return chain.read(token, "balanceOf", new Address(holder));
  }

  /** Mints {@code amount} of {@code token} to {@code user} and approves the rollup for it. */
  private static void fund(String token, Credentials user, String rollup, BigInteger amount) throws Exception {
    ok(user, token, L1Chain.encode("mint", new Address(user.getAddress()), new Uint256(amount)));
    ok(user, token, L1Chain.encode("approve", new Address(rollup), new Uint256(amount)));
  }

  /** {@code user} deposits {@code wei} into its own ETH account of KEY_1; the request's index. */
  private static long depositEth(String rollup, Credentials user, BigInteger wei) throws Exception {
    TransactionReceipt r = ok(user, rollup, wei, calls().deposit(KEY_1.toBytes(), user.getAddress(), ZERO).encodeFunctionCall());
    return Rollup.getDepositEvents(r).get(0).index.longValueExact();
  }

  /** Lists {@code token} (from the governor); its id. */
  private static long list(String rollup, String token) throws Exception {
    TransactionReceipt r = ok(DEV, rollup, listCall(token));
    return Rollup.getTokenListedEvents(r).get(0).id.longValueExact();
  }

  /** {@code user} deposits {@code amount} of token {@code id} into its own account of {@code keyHash}; the Deposit event. */
  private static Rollup.DepositEventResponse depositToken(String rollup, String token, long id, Credentials user, Fr keyHash, BigInteger amount) throws Exception {
    fund(token, user, rollup, amount);
    TransactionReceipt r = ok(user, rollup, depositTokenCall(id, amount, keyHash, user.getAddress()));
    return Rollup.getDepositEvents(r).get(0);
  }

  private static String lower(Credentials c) {
    return lower(c.getAddress());
  }

  private static String lower(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  private static L1Address l1(String address) {
    return L1Address.fromHex(address);
  }

  /** How RevertReason names an error that is not Rollup.sol's (a token's own): {@code revert 0x} selector ‖ ABI words. */
  private static String foreign(String signature, BigInteger... words) {
    StringBuilder s = new StringBuilder("revert 0x").append(Hash.sha3String(signature), 2, 10);
    for (BigInteger w : words) {
      s.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
    }
    return s.toString();
  }

  private static BigInteger word(String address) {
    return Numeric.toBigInt(address);
  }

  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  private static void gas(String what, TransactionReceipt r) {
    GAS.put(what, String.format(Locale.ROOT, "%,d", r.getGasUsed()));
  }

  /** The request bytes of a deposit from the spec, {@code 0x00 ‖ idHash (32) ‖ amount (13)}, hashed onto {@code previous}. */
  private static byte[] nextDepositHash(byte[] previous, Fr idHash, BigInteger amount) {
    byte[] request = ByteBuffer.allocate(1 + 32 + 13).put((byte) 0).put(idHash.toBytes()).put(Numeric.toBytesPadded(amount, 13)).array();
    byte[] in = ByteBuffer.allocate(32 + request.length).put(previous).put(request).array();
    return Hash.sha3(in);
  }

  /** {@code bytes24(keccak256(depositor (20) ‖ token (2) ‖ amount (32)))}. */
  private static byte[] refundCommitment(String depositor, long token, BigInteger amount) {
    byte[] in = ByteBuffer.allocate(20 + 2 + 32).put(Numeric.hexStringToByteArray(depositor)).putShort((short) token).put(Numeric.toBytesPadded(amount, 32)).array();
    return Arrays.copyOf(Hash.sha3(in), 24);
  }

  private static long block() throws IOException {
    return chain.anvil.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  /** Mines past request {@code index}'s deadline (anvil_mine: time travel in blocks) and starts exodus, from Carol. */
  private static void startExodus(String rollup, long index) throws Exception {
    Tuple2<BigInteger, byte[]> meta = reader(rollup).requestMeta(n(index)).send();
    long deadline = meta.component1().longValueExact() + DEADLINE;
    long missing = deadline - block();
    if (missing > 0) {
      chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(n(missing)));
    }
    ok(CAROL, rollup, calls().activateExodus().encodeFunctionCall());
    assertThat(reader(rollup).exodus().send()).isTrue();
  }

  // ------------------------------------------------------------------ listing

  @Test
  void onlyTheGovernorListsAContractOnceAndListingQueuesTheOperatorsFeeAccount() throws Exception {
    String r = deploy();
    String usd = token("TestToken");
    String fee = token("FeeOnTransferToken");
    assertThat(reader(r).tokenGovernor().send()).isEqualToIgnoringCase(DEV.getAddress());
    assertThat(reader(r).listedTokens().send()).isZero();

    revertsMined(ALICE, r, listCall(usd), "NotTokenGovernor(" + lower(ALICE) + ")", List.of());
    revertsMined(DEV, r, listCall(BOB.getAddress()), "NotAContract(" + lower(BOB) + ")", List.of());
    reverts(DEV, r, listCall("0x0000000000000000000000000000000000000000"), "NotAContract(0x0000000000000000000000000000000000000000)");

    byte[] before = reader(r).queueHash(ZERO.add(BigInteger.ONE)).send();
    TransactionReceipt listed = ok(DEV, r, listCall(usd));
    gas("listToken (queues the operator's fee account)", listed);
    Rollup.TokenListedEventResponse e = Rollup.getTokenListedEvents(listed).get(0);
    assertThat(e.id).isEqualTo(BigInteger.ONE);
    assertThat(e.token).isEqualToIgnoringCase(usd);
    assertThat(reader(r).tokenId(usd).send()).isEqualTo(BigInteger.ONE);
    assertThat(reader(r).tokenAddress(BigInteger.ONE).send()).isEqualToIgnoringCase(usd);
    assertThat(reader(r).listedTokens().send()).isEqualTo(BigInteger.ONE);

    // The operator's account of the token: a deposit of 0 into (operatorKeyHash, deployer, 1).
    Rollup.DepositEventResponse d = Rollup.getDepositEvents(listed).get(0);
    Fr idHash = AccountId.idHash(POSEIDON2, OPERATOR_KEY, l1(DEV.getAddress()), 1);
    assertThat(d.index).isEqualTo(BigInteger.ONE);
    assertThat(Fr.fromBytes(d.keyHash)).isEqualTo(OPERATOR_KEY);
    assertThat(d.owner).isEqualToIgnoringCase(DEV.getAddress());
    assertThat(d.token).isEqualTo(BigInteger.ONE);
    assertThat(Fr.fromBytes(d.idHash)).as("compress(keyHash, owner · 2^32 + 1), as Java computes it").isEqualTo(idHash);
    assertThat(d.amount).isZero();
    byte[] expected = nextDepositHash(before, idHash, ZERO);
    assertThat(reader(r).queueHash(BigInteger.TWO).send()).as("queueHash[2] = keccak256(queueHash[1] ‖ 0x00 ‖ idHash ‖ 0 (13))").isEqualTo(expected);
    L1Deposit asNodeSeesIt = new L1Deposit(1, OPERATOR_KEY, l1(DEV.getAddress()), 1, idHash, ZERO, l1(DEV.getAddress()));
    assertThat(PriorityQueue.next(before, asNodeSeesIt)).isEqualTo(expected);
    Tuple2<BigInteger, byte[]> meta = reader(r).requestMeta(BigInteger.ONE).send();
    assertThat(meta.component1()).isEqualTo(listed.getBlockNumber());
    assertThat(meta.component2()).isEqualTo(refundCommitment(DEV.getAddress(), 1, ZERO));

    revertsMined(DEV, r, listCall(usd), "TokenAlreadyListed(" + lower(usd) + ", 1)", List.of(usd));
    assertThat(list(r, fee)).as("ids in listing order").isEqualTo(2);

    // At 65,535 listed tokens every 16-bit id but ETH's is taken (set there: 65,535 listings would take long).
    chain.anvil.call("anvil_setStorageAt", r, Numeric.toHexStringWithPrefixZeroPadded(n(LISTED_TOKENS_SLOT), 64), Numeric.toHexStringWithPrefixZeroPadded(n(65_535), 64));
    assertThat(reader(r).listedTokens().send()).as("slot %d is listedTokens", LISTED_TOKENS_SLOT).isEqualTo(n(65_535));
    revertsMined(DEV, r, listCall(token("TestToken")), "TooManyTokens()", List.of());
  }

  // ------------------------------------------------------------------ deposits

  @Test
  void aTokenDepositQueuesWhatTheRollupReceivedNeverWhatWasAsked() throws Exception {
    String r = deploy();
    String usd = token("TestToken");
    String fee = token("FeeOnTransferToken");
    long usdId = list(r, usd);
    long feeId = list(r, fee);
    BigInteger thousand = n(1_000);

    byte[] before = reader(r).queueHash(n(3)).send();
    fund(usd, ALICE, r, thousand);
    TransactionReceipt first = ok(ALICE, r, depositTokenCall(usdId, thousand, KEY_1, BOB.getAddress()));
    gas("depositToken, a plain ERC-20 (the token's first deposit)", first);
    Rollup.DepositEventResponse e = Rollup.getDepositEvents(first).get(0);
    Fr idHash = AccountId.idHash(POSEIDON2, KEY_1, l1(BOB.getAddress()), usdId);
    assertThat(List.of(e.index, e.token, e.amount)).containsExactly(n(3), n(usdId), thousand);
    assertThat(e.owner).isEqualToIgnoringCase(BOB.getAddress());
    assertThat(e.depositor).isEqualToIgnoringCase(ALICE.getAddress());
    assertThat(Fr.fromBytes(e.idHash)).isEqualTo(idHash);
    assertThat(reader(r).queueHash(n(4)).send()).isEqualTo(nextDepositHash(before, idHash, thousand));
    assertThat(reader(r).requestMeta(n(3)).send().component2()).isEqualTo(refundCommitment(ALICE.getAddress(), usdId, thousand));
    assertThat(balanceOf(usd, r)).isEqualTo(thousand);
    assertThat(balanceOf(usd, ALICE.getAddress())).isZero();
    assertThat(reader(r).totalDeposited(n(usdId)).send()).isEqualTo(thousand);
    assertThat(reader(r).totalDeposited(ZERO).send()).as("ETH's total is its own").isZero();
    fund(usd, ALICE, r, thousand);
    gas("depositToken, a plain ERC-20 (a later deposit)", ok(ALICE, r, depositTokenCall(usdId, thousand, KEY_1, ALICE.getAddress())));

    // 1 % is taken on the way in: L2 is credited with the 990 that arrived.
    fund(fee, BOB, r, thousand);
    TransactionReceipt taxed = ok(BOB, r, depositTokenCall(feeId, thousand, KEY_2, BOB.getAddress()));
    gas("depositToken, a fee-on-transfer ERC-20 (the token's first deposit)", taxed);
    Rollup.DepositEventResponse t = Rollup.getDepositEvents(taxed).get(0);
    assertThat(t.amount).as("what the rollup received").isEqualTo(n(990));
    assertThat(balanceOf(fee, r)).isEqualTo(n(990));
    assertThat(reader(r).totalDeposited(n(feeId)).send()).isEqualTo(n(990));
    assertThat(reader(r).requestMeta(t.index).send().component2()).as("the refund is of what arrived").isEqualTo(refundCommitment(BOB.getAddress(), feeId, n(990)));
    L1Deposit asNodeSeesIt = new L1Deposit(t.index.longValueExact(), KEY_2, l1(BOB.getAddress()), feeId, Fr.fromBytes(t.idHash), t.amount, l1(BOB.getAddress()));
    assertThat(PriorityQueue.next(reader(r).queueHash(t.index).send(), asNodeSeesIt)).isEqualTo(reader(r).queueHash(t.index.add(BigInteger.ONE)).send());

    // The rules: nothing is queued, nothing moves.
    List<String> watched = List.of(usd, fee);
    fund(usd, CAROL, r, BigInteger.ONE.shiftLeft(104));
    revertsMined(CAROL, r, depositTokenCall(0, thousand, KEY_1, CAROL.getAddress()), "UnknownToken(0)", watched);
    revertsMined(CAROL, r, depositTokenCall(3, thousand, KEY_1, CAROL.getAddress()), "UnknownToken(3)", watched);
    revertsMined(CAROL, r, depositTokenCall(usdId, ZERO, KEY_1, CAROL.getAddress()), "DepositAmountOutOfRange(0)", watched);
    BigInteger limit = BigInteger.ONE.shiftLeft(104);
    revertsMined(CAROL, r, depositTokenCall(usdId, limit, KEY_1, CAROL.getAddress()), "DepositAmountOutOfRange(" + limit + ")", watched);
    String pKey = calls().depositToken(n(usdId), thousand, Numeric.toBytesPadded(Fr.MODULUS, 32), CAROL.getAddress()).encodeFunctionCall();
    revertsMined(CAROL, r, pKey, "KeyHashNotCanonical(0x" + Numeric.toHexStringNoPrefixZeroPadded(Fr.MODULUS, 64) + ")", watched);
    revertsMined(CAROL, r, depositTokenCall(usdId, thousand, KEY_1, "0x0000000000000000000000000000000000000000"), "OwnerIsZero()", watched);
    // Without an allowance the token's own transferFrom refuses (OpenZeppelin's ERC20InsufficientAllowance).
    reverts(ALICE, r, depositTokenCall(usdId, thousand, KEY_1, ALICE.getAddress()), foreign("ERC20InsufficientAllowance(address,uint256,uint256)", word(r), ZERO, thousand));

    // Each token's deposits stay below 2^128, apart from every other token's.
    BigInteger nearCap = BigInteger.ONE.shiftLeft(128).subtract(thousand);
    chain.anvil.call("anvil_setStorageAt", r, Numeric.toHexStringWithPrefixZeroPadded(RollupDepositCapIT.totalDepositedSlot(usdId), 64), Numeric.toHexStringWithPrefixZeroPadded(nearCap, 64));
    assertThat(reader(r).totalDeposited(n(usdId)).send()).isEqualTo(nearCap);
    revertsMined(CAROL, r, depositTokenCall(usdId, thousand, KEY_1, CAROL.getAddress()), "DepositCapExceeded(" + usdId + ", " + nearCap + ", " + thousand + ")", watched);
    ok(CAROL, r, depositTokenCall(usdId, thousand.subtract(BigInteger.ONE), KEY_1, CAROL.getAddress()));
    fund(fee, CAROL, r, thousand);
    ok(CAROL, r, depositTokenCall(feeId, thousand, KEY_1, CAROL.getAddress()));
    ok(CAROL, r, ETH, calls().deposit(KEY_1.toBytes(), CAROL.getAddress(), ZERO).encodeFunctionCall());
  }

  @Test
  void onlyTheGovernorSetsAMinimumDepositAndDepositsBelowItOrArrivingBelowItAreRefused() throws Exception {
    String r = deploy();
    String usd = token("TestToken");
    String fee = token("FeeOnTransferToken");
    long usdId = list(r, usd);
    long feeId = list(r, fee);
    String setEth = calls().setMinDeposit(ZERO, n(1_000_000)).encodeFunctionCall();
    reverts(ALICE, r, setEth, "NotTokenGovernor(" + lower(ALICE) + ")");
    reverts(DEV, r, calls().setMinDeposit(n(3), BigInteger.ONE).encodeFunctionCall(), "UnknownToken(3)");
    gas("setMinDeposit", ok(DEV, r, setEth));
    ok(DEV, r, calls().setMinDeposit(n(usdId), n(500)).encodeFunctionCall());
    ok(DEV, r, calls().setMinDeposit(n(feeId), n(1_000)).encodeFunctionCall());
    assertThat(List.of(reader(r).minDeposit(ZERO).send(), reader(r).minDeposit(n(usdId)).send(), reader(r).minDeposit(n(feeId)).send())).containsExactly(n(1_000_000), n(500), n(1_000));

    // Below the minimum: refused, nothing queued, nothing moves.
    List<String> watched = List.of(usd, fee);
    revertsMinedWithValue(CAROL, r, n(999_999), calls().deposit(KEY_1.toBytes(), CAROL.getAddress(), ZERO).encodeFunctionCall(), "DepositBelowMinimum(0, 1000000, 999999)", watched);
    fund(usd, CAROL, r, n(10_000));
    revertsMined(CAROL, r, depositTokenCall(usdId, n(499), KEY_1, CAROL.getAddress()), "DepositBelowMinimum(" + usdId + ", 500, 499)", watched);
    // A fee on transfer cannot slip under it: 1,000 sent is 990 received.
    fund(fee, CAROL, r, n(10_000));
    revertsMined(CAROL, r, depositTokenCall(feeId, n(1_000), KEY_1, CAROL.getAddress()), "DepositBelowMinimum(" + feeId + ", 1000, 990)", watched);

    // At the minimum (what arrives), each is queued.
    ok(CAROL, r, n(1_000_000), calls().deposit(KEY_1.toBytes(), CAROL.getAddress(), ZERO).encodeFunctionCall());
    ok(CAROL, r, depositTokenCall(usdId, n(500), KEY_1, CAROL.getAddress()));
    TransactionReceipt taxed = ok(CAROL, r, depositTokenCall(feeId, n(1_011), KEY_1, CAROL.getAddress()));
    assertThat(Rollup.getDepositEvents(taxed).get(0).amount).isEqualTo(n(1_001));
  }

  @Test
  void aDepositThatWouldNeedALeafOfAFullTreeIsRefusedAndDepositsIntoExistingAccountsGoOn() throws Exception {
    String r = deploy(); // D = 4: 16 leaves; request 0 made the operator's ETH account
    String usd = token("TestToken");
    long usdId = list(r, usd); // the operator's token account: 2
    gas("deposit into a new account (D < 32)", ok(ALICE, r, ETH, calls().deposit(Fr.of(2_000).toBytes(), ALICE.getAddress(), ZERO).encodeFunctionCall()));
    for (int k = 1; k < 14; k++) {
      ok(ALICE, r, ETH, calls().deposit(Fr.of(2_000 + k).toBytes(), ALICE.getAddress(), ZERO).encodeFunctionCall());
    }
    assertThat(reader(r).accountsMade().send()).isEqualTo(n(16));
    assertThat(reader(r).accountMade(idHash(Fr.of(2_000), ALICE, 0)).send()).isTrue();

    // A 17th account, in any token or by listing, is refused; nothing is queued.
    List<String> watched = List.of(usd);
    revertsMinedWithValue(BOB, r, ETH, calls().deposit(KEY_1.toBytes(), BOB.getAddress(), ZERO).encodeFunctionCall(), "TreeFull(16)", watched);
    revertsMinedWithValue(ALICE, r, ETH, calls().deposit(Fr.of(2_000).toBytes(), BOB.getAddress(), ZERO).encodeFunctionCall(), "TreeFull(16)", watched);
    fund(usd, ALICE, r, n(1_000));
    revertsMined(ALICE, r, depositTokenCall(usdId, n(1_000), Fr.of(2_000), ALICE.getAddress()), "TreeFull(16)", watched);
    revertsMined(DEV, r, listCall(token("TestToken")), "TreeFull(16)", watched);

    // Deposits into accounts that exist are queued as before: the queue never holds one the node cannot place.
    gas("deposit into an existing account (D < 32)", ok(BOB, r, ETH, calls().deposit(Fr.of(2_000).toBytes(), ALICE.getAddress(), ZERO).encodeFunctionCall()));
    ok(DEV, r, ETH, calls().deposit(OPERATOR_KEY.toBytes(), DEV.getAddress(), ZERO).encodeFunctionCall());
    assertThat(reader(r).accountsMade().send()).isEqualTo(n(16));
  }

  /** Rollup.sol's idHash of the account (keyHash, owner, token). */
  private static byte[] idHash(Fr keyHash, Credentials owner, long token) {
    return POSEIDON2.compress(keyHash, Fr.of(new BigInteger(owner.getAddress().substring(2), 16).shiftLeft(32).or(n(token)))).toBytes();
  }

  @Test
  void depositsOfTokensThatReturnFalseRevertOrReenterAreRefusedWithNothingQueued() throws Exception {
    String r = deploy();
    String no = token("FalseReturningToken");
    String blocklist = token("BlocklistToken");
    String reentrant = token("ReentrantToken");
    long noId = list(r, no);
    long blockId = list(r, blocklist);
    long reId = list(r, reentrant);
    List<String> watched = List.of(no, blocklist, reentrant);
    BigInteger amount = n(500);

    // false from transferFrom: SafeERC20 refuses it.
    fund(no, ALICE, r, amount);
    ok(DEV, no, L1Chain.encode("setFailing", new Bool(true)));
    revertsMined(ALICE, r, depositTokenCall(noId, amount, KEY_1, ALICE.getAddress()), "SafeERC20FailedOperation(" + lower(no) + ")", watched);

    // A revert of the token's (a blocklist): Alice's deposit fails, Bob's goes through.
    fund(blocklist, ALICE, r, amount);
    fund(blocklist, BOB, r, amount);
    ok(DEV, blocklist, L1Chain.encode("setBlocked", new Address(ALICE.getAddress()), new Bool(true)));
    revertsMined(ALICE, r, depositTokenCall(blockId, amount, KEY_1, ALICE.getAddress()), foreign("Blocked(address)", word(ALICE.getAddress())), watched);
    assertThat(Rollup.getDepositEvents(ok(BOB, r, depositTokenCall(blockId, amount, KEY_2, BOB.getAddress()))).get(0).amount).isEqualTo(amount);

    // Re-entry from transferFrom (a nested deposit of the same token, claims): the guard refuses
    // it. A token that passes the failure on fails its own deposit...
    fund(reentrant, CAROL, r, amount.multiply(BigInteger.TWO));
    ok(DEV, reentrant, L1Chain.encode("arm", new Address(r), new Bool(true), new Bool(false), new Bool(true), new Bytes32(KEY_2.toBytes())));
    revertsMined(CAROL, r, depositTokenCall(reId, amount, KEY_1, CAROL.getAddress()), "ReentrancyGuardReentrantCall()", watched);
    // ...and one that swallows it has its outer deposit counted once, for exactly what arrived.
    ok(DEV, reentrant, L1Chain.encode("arm", new Address(r), new Bool(true), new Bool(false), new Bool(false), new Bytes32(KEY_2.toBytes())));
    BigInteger requests = reader(r).requestCount().send();
    TransactionReceipt once = ok(CAROL, r, depositTokenCall(reId, amount, KEY_1, CAROL.getAddress()));
    List<Rollup.DepositEventResponse> events = Rollup.getDepositEvents(once);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).amount).isEqualTo(amount);
    assertThat(reader(r).requestCount().send()).isEqualTo(requests.add(BigInteger.ONE));
    assertThat(reader(r).totalDeposited(n(reId)).send()).isEqualTo(amount);
    assertThat(balanceOf(reentrant, r)).as("the nested deposit moved nothing").isEqualTo(amount);
    assertThat(chain.read(reentrant, "reentries")).isEqualTo(n(3));
    assertThat(chain.read(reentrant, "reentriesReverted")).as("depositToken, claim and claimFor from transferFrom all reverted").isEqualTo(n(3));
    assertThat(Numeric.toHexStringNoPrefixZeroPadded(chain.read(reentrant, "lastError"), 64)).startsWith(selector("ReentrancyGuardReentrantCall()").substring(2));
  }

  // ------------------------------------------------------------------ batches: v3's chunks, credited per token

  /** v3 public data (docs/protocol.md, "Public data (changes from v2)"), for the Rollup at hand. */
  private static final class Pubdata {
    private final int[] opCodes = new int[SLOTS];
    private final byte[] chunks = new byte[10 * SLOTS];
    private int slot;

    private Pubdata op(int code, byte[] data) {
      opCodes[slot] = code;
      System.arraycopy(data, 0, chunks, 10 * slot, data.length);
      slot += (data.length + 9) / 10;
      return this;
    }

    /** {@code 0x00 ‖ to (4) ‖ amount (13) ‖ idHash (32)}. */
    Pubdata deposit(long to, Rollup.DepositEventResponse d) {
      return op(2, ByteBuffer.allocate(50).put((byte) 0).putInt((int) to).put(Numeric.toBytesPadded(d.amount, 13)).put(d.idHash).array());
    }

    /** {@code kind ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16) ‖ 0 (7)}. */
    Pubdata forced(int kind, long account, long token, String requester, BigInteger amount) {
      return op(2, ByteBuffer.allocate(50).put((byte) kind).putInt((int) account).putShort((short) token).put(Numeric.hexStringToByteArray(requester)).put(Numeric.toBytesPadded(amount, 16)).array());
    }

    /** {@code from (4) ‖ token (2) ‖ l1Address (20) ‖ amount (14)}. */
    Pubdata withdrawal(long from, long token, String to, BigInteger amount) {
      return op(3, ByteBuffer.allocate(40).putInt((int) from).putShort((short) token).put(Numeric.hexStringToByteArray(to)).put(Numeric.toBytesPadded(amount, 14)).array());
    }

    /** Header {@code rollupId (8) ‖ batchNumber (8) ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉)}, then the chunks. */
    byte[] build(long rollupId, long batchNumber) {
      ByteBuffer b = ByteBuffer.allocate(36 + (SLOTS + 3) / 4 + chunks.length);
      b.putLong(rollupId).putLong(batchNumber).putInt(0).put(new byte[16]);
      byte[] codes = new byte[(SLOTS + 3) / 4];
      for (int i = 0; i < SLOTS; i++) {
        codes[i / 4] |= (byte) (opCodes[i] << (6 - 2 * (i % 4)));
      }
      return b.put(codes).put(chunks).array();
    }
  }

  private static String commitCall(byte[] pubdata, Fr newRoot) {
    return calls().commitBatch(pubdata, newRoot.toBigInteger(), new byte[0]).encodeFunctionCall();
  }

  private static List<Rollup.DepositEventResponse> deposits(String rollup) throws IOException {
    List<Rollup.DepositEventResponse> out = new ArrayList<>();
    for (Log log : chain.logs(rollup, Rollup.DEPOSIT_EVENT)) {
      out.add(Rollup.getDepositEventFromLog(log));
    }
    return out;
  }

  @Test
  void theRollupIdIsDerivedAndABatchCreditsWithdrawalsAndPaidForcedWithdrawalsInTheirToken() throws Exception {
    String r = deploy();
    // rollupId = the first 8 bytes of keccak256(abi.encode(chainid, address(this))).
    byte[] encoded = ByteBuffer.allocate(64).put(Numeric.toBytesPadded(n(chain.anvil.chainId()), 32)).put(Numeric.toBytesPadded(word(r), 32)).array();
    long derived = ByteBuffer.wrap(Hash.sha3(encoded)).getLong();
    long rollupId = chain.rollupId(r);
    assertThat(rollupId).isEqualTo(derived);
    assertThat(chain.rollupId(deploy())).as("another deployment, another id").isNotEqualTo(rollupId);

    String usd = token("TestToken");
    long usdId = list(r, usd); // request 1
    depositToken(r, usd, usdId, ALICE, KEY_1, n(1_000)); // request 2
    ok(BOB, r, calls().forceWithdraw(n(2), n(usdId), n(300)).encodeFunctionCall()); // request 3
    reverts(BOB, r, calls().forceWithdraw(n(2), n(2), n(300)).encodeFunctionCall(), "UnknownToken(2)");
    chain.setBalance(r, n(7)); // the ETH an earlier deposit would have brought
    List<Rollup.DepositEventResponse> d = deposits(r);
    Rollup.ForcedWithdrawalRequestedEventResponse f = Rollup.getForcedWithdrawalRequestedEvents(chain.receipt(chain.logs(r, Rollup.FORCEDWITHDRAWALREQUESTED_EVENT).get(0).getTransactionHash())).get(0);
    assertThat(f.token).isEqualTo(n(usdId));
    L1ForcedWithdrawal asNodeSeesIt = new L1ForcedWithdrawal(3, 2, usdId, l1(BOB.getAddress()), n(300));
    assertThat(PriorityQueue.next(reader(r).queueHash(n(3)).send(), asNodeSeesIt)).as("0x01 ‖ account ‖ token ‖ requester ‖ amount").isEqualTo(reader(r).queueHash(n(4)).send());

    Pubdata good = new Pubdata().deposit(0, d.get(0)).deposit(1, d.get(1)).deposit(2, d.get(2)).forced(1, 2, usdId, BOB.getAddress(), n(300));
    byte[] batch = good.withdrawal(2, usdId, ALICE.getAddress(), n(200)).withdrawal(5, 0, CAROL.getAddress(), n(7)).build(rollupId, 0);
    // The forced withdrawal's token is in the queue hash: another token is another request.
    byte[] otherToken = new Pubdata().deposit(0, d.get(0)).deposit(1, d.get(1)).deposit(2, d.get(2)).forced(1, 2, 0, BOB.getAddress(), n(300)).build(rollupId, 0);
    reverts(DEV, r, commitCall(otherToken, Fr.of(5)), "RequestsMismatch()");
    reverts(DEV, r, commitCall(new Pubdata().deposit(0, d.get(0)).build(rollupId + 1, 0), Fr.of(5)), "WrongRollup(" + Long.toUnsignedString(rollupId) + ", " + Long.toUnsignedString(rollupId + 1) + ")");
    TransactionReceipt c = ok(DEV, r, commitCall(batch, Fr.of(5)));
    gas("commitBatch, 3 deposits + 1 forced + 2 withdrawals of two tokens, B = 32 (test verifier)", c);
    assertThat(reader(r).pendingWithdrawal(n(usdId), BOB.getAddress()).send()).isEqualTo(n(300));
    assertThat(reader(r).pendingWithdrawal(n(usdId), ALICE.getAddress()).send()).isEqualTo(n(200));
    assertThat(reader(r).pendingWithdrawal(ZERO, CAROL.getAddress()).send()).isEqualTo(n(7));
    assertThat(reader(r).pendingWithdrawal(ZERO, BOB.getAddress()).send()).as("credits are per token").isZero();
    assertThat(reader(r).pendingWithdrawal(n(usdId), CAROL.getAddress()).send()).isZero();

    TransactionReceipt bob = ok(BOB, r, claimCall(usdId));
    gas("claim(token), a plain ERC-20", bob);
    assertThat(Rollup.getClaimedEvents(bob).get(0).token).isEqualTo(n(usdId));
    assertThat(balanceOf(usd, BOB.getAddress())).isEqualTo(n(300));
    gas("claimFor(token, to), a plain ERC-20", ok(CAROL, r, claimForCall(usdId, ALICE.getAddress())));
    assertThat(balanceOf(usd, ALICE.getAddress())).isEqualTo(n(200));
    BigInteger carol = chain.balance(CAROL.getAddress());
    TransactionReceipt eth = ok(CAROL, r, claimCall(0));
    gas("claim(0), ETH", eth);
    assertThat(chain.balance(CAROL.getAddress())).isEqualTo(carol.add(n(7)).subtract(L1Chain.fee(eth)));
    assertThat(balanceOf(usd, r)).isEqualTo(n(500));
    reverts(BOB, r, claimCall(usdId), "NothingToClaim()");
    reverts(CAROL, r, claimCall(usdId), "NothingToClaim()");
  }

  // ------------------------------------------------------------------ exits per token

  @Test
  void anExitCreditsTheTokenOfTheAccountItProves() throws Exception {
    String r = deploy();
    String usd = token("TestToken");
    long usdId = list(r, usd);
    // Alice has an ETH account and a token account under one key: two leaves, two indices.
    Fr eth = POSEIDON2.compress(AccountId.idHash(POSEIDON2, KEY_1, l1(ALICE.getAddress()), 0), Fr.of(n(40).shiftLeft(64).add(n(1))));
    Fr tok = POSEIDON2.compress(AccountId.idHash(POSEIDON2, KEY_1, l1(ALICE.getAddress()), usdId), Fr.of(n(600).shiftLeft(64).add(n(2))));
    StateTree t = new StateTree(new InMemoryTreeStore(DEPTH), POSEIDON2, 1);
    t.put(1, eth);
    t.put(2, tok);
    t.commit();
    ok(DEV, r, commitCall(new Pubdata().deposit(0, deposits(r).get(0)).build(chain.rollupId(r), 0), t.root()));
    ok(ALICE, usd, L1Chain.encode("mint", new Address(r), new Uint256(n(600)))); // what L2 holds
    chain.setBalance(r, n(40));
    startExodus(r, 1); // request 1 (the token's operator account) was never consumed

    List<byte[]> s2 = new ArrayList<>();
    for (Fr s : t.proof(2).siblings()) {
      s2.add(s.toBytes());
    }
    String wrongToken = calls().exit(n(2), KEY_1.toBytes(), ZERO, n(600), n(2), s2).encodeFunctionCall();
    revertsMined(ALICE, r, wrongToken, "ExitProofInvalid()", List.of(usd));
    TransactionReceipt exited = ok(ALICE, r, calls().exit(n(2), KEY_1.toBytes(), n(usdId), n(600), n(2), s2).encodeFunctionCall());
    gas("exit of a token account, D = 4", exited);
    Rollup.ExitedEventResponse e = Rollup.getExitedEvents(exited).get(0);
    assertThat(List.of(e.account, e.token, e.amount)).containsExactly(n(2), n(usdId), n(600));
    assertThat(reader(r).pendingWithdrawal(n(usdId), ALICE.getAddress()).send()).isEqualTo(n(600));
    assertThat(reader(r).pendingWithdrawal(ZERO, ALICE.getAddress()).send()).isZero();
    List<byte[]> s1 = new ArrayList<>();
    for (Fr s : t.proof(1).siblings()) {
      s1.add(s.toBytes());
    }
    ok(ALICE, r, calls().exit(n(1), KEY_1.toBytes(), ZERO, n(40), n(1), s1).encodeFunctionCall());
    assertThat(reader(r).pendingWithdrawal(ZERO, ALICE.getAddress()).send()).isEqualTo(n(40));
    ok(ALICE, r, claimCall(usdId));
    assertThat(balanceOf(usd, ALICE.getAddress())).isEqualTo(n(600));
  }

  // ------------------------------------------------------------------ exodus: refunds and claims per token

  @Test
  void inExodusEachUserGetsExactlyItsOwnTokensBackAndAHostileTokenFailsOnlyItsOwnHoldersClaims() throws Exception {
    String r = deploy(5); // 19 accounts: more than D = 4's 16 leaves (TreeFull)
    String usd = token("TestToken");
    String fee = token("FeeOnTransferToken");
    String no = token("FalseReturningToken");
    String blocklist = token("BlocklistToken");
    String reentrant = token("ReentrantToken");
    String rebasing = token("RebasingToken");
    long usdId = list(r, usd);
    long feeId = list(r, fee);
    long noId = list(r, no);
    long blockId = list(r, blocklist);
    long reId = list(r, reentrant);
    long rebId = list(r, rebasing);
    List<String> all = List.of(usd, fee, no, blocklist, reentrant, rebasing);

    // Deposits, none ever consumed: what each depositor put in, by token.
    record Dep(Credentials who, long token, BigInteger amount, long index) {}
    List<Dep> deps = new ArrayList<>();
    BigInteger aliceEth = ETH;
    BigInteger carolEth = ETH.divide(BigInteger.TWO);
    deps.add(new Dep(ALICE, 0, aliceEth, depositEth(r, ALICE, aliceEth)));
    deps.add(new Dep(ALICE, usdId, n(1_000), depositToken(r, usd, usdId, ALICE, KEY_1, n(1_000)).index.longValueExact()));
    deps.add(new Dep(ALICE, blockId, n(300), depositToken(r, blocklist, blockId, ALICE, KEY_1, n(300)).index.longValueExact()));
    deps.add(new Dep(BOB, usdId, n(500), depositToken(r, usd, usdId, BOB, KEY_2, n(500)).index.longValueExact()));
    deps.add(new Dep(BOB, feeId, n(990), depositToken(r, fee, feeId, BOB, KEY_2, n(1_000)).index.longValueExact()));
    deps.add(new Dep(BOB, noId, n(700), depositToken(r, no, noId, BOB, KEY_2, n(700)).index.longValueExact()));
    deps.add(new Dep(BOB, reId, n(400), depositToken(r, reentrant, reId, BOB, KEY_2, n(400)).index.longValueExact()));
    deps.add(new Dep(BOB, rebId, n(100), depositToken(r, rebasing, rebId, BOB, KEY_2, n(100)).index.longValueExact()));
    deps.add(new Dep(CAROL, blockId, n(200), depositToken(r, blocklist, blockId, CAROL, KEY_1, n(200)).index.longValueExact()));
    deps.add(new Dep(CAROL, reId, n(100), depositToken(r, reentrant, reId, CAROL, KEY_1, n(100)).index.longValueExact()));
    deps.add(new Dep(CAROL, rebId, n(100), depositToken(r, rebasing, rebId, CAROL, KEY_1, n(100)).index.longValueExact()));
    deps.add(new Dep(CAROL, 0, carolEth, depositEth(r, CAROL, carolEth)));

    reverts(CAROL, r, refundCall(deps.get(1).index(), ALICE.getAddress(), usdId, n(1_000)), "NotInExodus()");
    startExodus(r, 0);
    reverts(DEV, r, listCall(token("TestToken")), "Exodus()");
    fund(usd, ALICE, r, n(1));
    reverts(ALICE, r, depositTokenCall(usdId, n(1), KEY_1, ALICE.getAddress()), "Exodus()");
    reverts(ALICE, r, calls().forceWithdraw(n(1), n(usdId), n(1)).encodeFunctionCall(), "Exodus()");

    // Refunds only to the committed depositor, in the committed token and amount, once.
    Dep aliceUsd = deps.get(1);
    revertsMined(CAROL, r, refundCall(aliceUsd.index(), CAROL.getAddress(), usdId, n(1_000)), "RefundMismatch(" + aliceUsd.index() + ")", all);
    revertsMined(CAROL, r, refundCall(aliceUsd.index(), ALICE.getAddress(), feeId, n(1_000)), "RefundMismatch(" + aliceUsd.index() + ")", all);
    revertsMined(CAROL, r, refundCall(aliceUsd.index(), ALICE.getAddress(), 0, n(1_000)), "RefundMismatch(" + aliceUsd.index() + ")", all);
    revertsMined(CAROL, r, refundCall(deps.get(4).index(), BOB.getAddress(), feeId, n(1_000)), "RefundMismatch(" + deps.get(4).index() + ")", all); // asked, not received
    for (Dep d : deps) {
      TransactionReceipt refunded = ok(CAROL, r, refundCall(d.index(), d.who().getAddress(), d.token(), d.amount()));
      Rollup.DepositRefundedEventResponse e = Rollup.getDepositRefundedEvents(refunded).get(0);
      assertThat(List.of(e.index, e.token, e.amount)).containsExactly(n(d.index()), n(d.token()), d.amount());
      if (d == aliceUsd) {
        gas("refundDeposit of a token deposit", refunded);
      }
    }
    revertsMined(ALICE, r, refundCall(aliceUsd.index(), ALICE.getAddress(), usdId, n(1_000)), "AlreadyRefunded(" + aliceUsd.index() + ")", all);
    // Each user's pending credit per token is the sum of its own deposits of it.
    for (Credentials c : List.of(ALICE, BOB, CAROL)) {
      for (long id : new long[] {0, usdId, feeId, noId, blockId, reId, rebId}) {
        BigInteger own = deps.stream().filter(d -> d.who() == c && d.token() == id).map(Dep::amount).reduce(ZERO, BigInteger::add);
        assertThat(reader(r).pendingWithdrawal(n(id), c.getAddress()).send()).as("%s, token %d", c.getAddress(), id).isEqualTo(own);
      }
    }

    // Now the tokens turn hostile.
    ok(DEV, no, L1Chain.encode("setFailing", new Bool(true)));
    ok(DEV, blocklist, L1Chain.encode("setBlocked", new Address(ALICE.getAddress()), new Bool(true)));
    ok(DEV, reentrant, L1Chain.encode("arm", new Address(r), new Bool(false), new Bool(true), new Bool(false), new Bytes32(KEY_2.toBytes())));
    ok(DEV, rebasing, L1Chain.encode("rebase", new Uint256(ETH.divide(BigInteger.TWO)))); // every balance halves

    // A token that returns false fails its holder's claim, and the credit stays.
    revertsMined(BOB, r, claimCall(noId), "SafeERC20FailedOperation(" + lower(no) + ")", all);
    // A blocklist fails the blocked holder's claim only.
    revertsMined(ALICE, r, claimCall(blockId), foreign("Blocked(address)", word(ALICE.getAddress())), all);
    TransactionReceipt carolBlock = ok(CAROL, r, claimCall(blockId));
    assertThat(balanceOf(blocklist, CAROL.getAddress())).isEqualTo(n(200));
    assertThat(Rollup.getClaimedEvents(carolBlock).get(0).amount).isEqualTo(n(200));
    // A re-entering token: its claimFor(to) and claims from transfer revert; Bob is paid once.
    ok(BOB, r, claimCall(reId));
    assertThat(balanceOf(reentrant, BOB.getAddress())).isEqualTo(n(400));
    assertThat(chain.read(reentrant, "reentries")).isEqualTo(n(3));
    assertThat(chain.read(reentrant, "reentriesReverted")).as("claimFor, claim(token) and claim(ETH) from transfer all reverted").isEqualTo(n(3));
    assertThat(Numeric.toHexStringNoPrefixZeroPadded(chain.read(reentrant, "lastError"), 64)).startsWith(selector("ReentrancyGuardReentrantCall()").substring(2));
    // One that passes the failure on fails its own holder's claim (Carol's), which stays pending.
    ok(DEV, reentrant, L1Chain.encode("arm", new Address(r), new Bool(false), new Bool(true), new Bool(true), new Bytes32(KEY_2.toBytes())));
    revertsMined(CAROL, r, claimCall(reId), "ReentrancyGuardReentrantCall()", all);
    // A rebase down: the first claimer of the token is paid, the last finds too little; no one else is touched.
    TransactionReceipt bobReb = ok(BOB, r, claimCall(rebId));
    assertThat(Rollup.getClaimedEvents(bobReb).get(0).amount).isEqualTo(n(100));
    assertThat(balanceOf(rebasing, BOB.getAddress())).isEqualTo(n(100));
    // (OpenZeppelin's error counts the token's shares: 100 units are 200 shares after the rebase.)
    revertsMined(CAROL, r, claimCall(rebId), foreign("ERC20InsufficientBalance(address,uint256,uint256)", word(r), ZERO, n(200)), all);
    // A fee on the way out is the token's: Bob's claim pays his 990, of which he receives 99 %.
    ok(BOB, r, claimCall(feeId));
    assertThat(balanceOf(fee, BOB.getAddress())).isEqualTo(n(981));
    assertThat(balanceOf(fee, r)).isZero();

    // Every other claim, of ETH and of the tokens that behave, is exact.
    for (Credentials c : List.of(ALICE, BOB, CAROL)) {
      for (Dep d : deps) {
        if (d.who() != c || d.token() != 0) {
          continue;
        }
        BigInteger before = chain.balance(c.getAddress());
        TransactionReceipt claimed = ok(c, r, claimCall(0));
        assertThat(chain.balance(c.getAddress())).as("%s gets its ETH", c.getAddress()).isEqualTo(before.add(d.amount()).subtract(L1Chain.fee(claimed)));
      }
    }
    assertThat(chain.balance(r)).as("all the ETH is paid out").isZero();
    ok(ALICE, r, claimCall(usdId));
    ok(CAROL, r, claimForCall(usdId, BOB.getAddress()));
    assertThat(balanceOf(usd, ALICE.getAddress())).isEqualTo(n(1_000 + 1)); // and the 1 minted for the refused deposit
    assertThat(balanceOf(usd, BOB.getAddress())).isEqualTo(n(500));
    assertThat(balanceOf(usd, r)).isZero();
    reverts(ALICE, r, claimCall(usdId), "NothingToClaim()");
    reverts(CAROL, r, claimCall(usdId), "NothingToClaim()");

    // The failed claims' credits were kept: once the token behaves, its holders are paid in full.
    assertThat(reader(r).pendingWithdrawal(n(noId), BOB.getAddress()).send()).isEqualTo(n(700));
    assertThat(reader(r).pendingWithdrawal(n(blockId), ALICE.getAddress()).send()).isEqualTo(n(300));
    assertThat(reader(r).pendingWithdrawal(n(reId), CAROL.getAddress()).send()).isEqualTo(n(100));
    assertThat(reader(r).pendingWithdrawal(n(rebId), CAROL.getAddress()).send()).isEqualTo(n(100));
    ok(DEV, no, L1Chain.encode("setFailing", new Bool(false)));
    ok(BOB, r, claimCall(noId));
    assertThat(balanceOf(no, BOB.getAddress())).isEqualTo(n(700));
    ok(DEV, blocklist, L1Chain.encode("setBlocked", new Address(ALICE.getAddress()), new Bool(false)));
    ok(ALICE, r, claimCall(blockId));
    assertThat(balanceOf(blocklist, ALICE.getAddress())).isEqualTo(n(300));
    ok(DEV, reentrant, L1Chain.encode("arm", new Address(r), new Bool(false), new Bool(false), new Bool(false), new Bytes32(KEY_2.toBytes())));
    ok(CAROL, r, claimCall(reId));
    assertThat(balanceOf(reentrant, CAROL.getAddress())).isEqualTo(n(100));
  }
}
