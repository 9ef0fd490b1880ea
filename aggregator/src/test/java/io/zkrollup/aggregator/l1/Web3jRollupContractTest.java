package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The parts of the node's L1 client that need no chain: the priority queue's request bytes and
 * rolling-hash check ({@link PriorityQueue}), revert names from Rollup.sol's ABI ({@link
 * RevertReason}), key files.
 */
class Web3jRollupContractTest {

  @TempDir Path dir;

  private static final L1Address ALICE = L1Address.fromHex("0x" + "a1".repeat(20));
  private static final L1Address BOB = L1Address.fromHex("0x" + "b2".repeat(20));

  private static L1Deposit deposit(long index, long keyHash, BigInteger amount) {
    Fr k = Fr.of(BigInteger.valueOf(keyHash));
    return new L1Deposit(index, k, ALICE, AccountId.idHash(new Poseidon2(), k, ALICE), amount, BOB);
  }

  /** Deposits and forced withdrawals interleaved. */
  private static List<PriorityRequest> queue(int n) {
    List<PriorityRequest> q = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      q.add(i % 2 == 0 ? deposit(i, 100 + i, BigInteger.valueOf(1000L * (i + 1))) : new L1ForcedWithdrawal(i, i, ALICE, BigInteger.valueOf(7L * i)));
    }
    return q;
  }

  private static byte[] queueHash(List<PriorityRequest> q, int upTo) {
    byte[] h = new byte[32];
    for (int i = 0; i < upTo; i++) {
      h = PriorityQueue.next(h, q.get(i));
    }
    return h;
  }

  @Test
  void requestBytesAreTheSpecsLayouts() {
    L1Deposit d = deposit(0, 5, BigInteger.valueOf(0x0102));
    byte[] db = d.requestBytes();
    assertThat(db).hasSize(1 + 32 + 13);
    assertThat(db[0]).isZero();
    assertThat(Arrays.copyOfRange(db, 1, 33)).isEqualTo(d.idHash().toBytes());
    assertThat(Arrays.copyOfRange(db, 33, 46)).isEqualTo(Numeric.toBytesPadded(BigInteger.valueOf(0x0102), 13));
    // idHash = compress(keyHash, owner · 2^32 + 0)
    assertThat(d.idHash()).isEqualTo(new Poseidon2().compress(Fr.of(BigInteger.valueOf(5)), Fr.of(ALICE.toBigInteger().shiftLeft(32))));

    // v3: 0x01 ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16).
    byte[] fb = new L1ForcedWithdrawal(3, 0x01020304L, 0xABCD, BOB, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)).requestBytes();
    assertThat(fb).hasSize(1 + 4 + 2 + 20 + 16);
    assertThat(fb[0]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(fb, 1, 5)).containsExactly(1, 2, 3, 4);
    assertThat(Arrays.copyOfRange(fb, 5, 7)).containsExactly(0xAB, 0xCD);
    assertThat(Arrays.copyOfRange(fb, 7, 27)).isEqualTo(BOB.toBytes());
    assertThat(Arrays.copyOfRange(fb, 27, 43)).containsOnly((byte) 0xff);
    assertThat(Arrays.copyOfRange(new L1ForcedWithdrawal(3, 1, BOB, BigInteger.ONE).requestBytes(), 5, 7)).as("ETH is token 0").containsExactly(0, 0);
    assertThatThrownBy(() -> new L1ForcedWithdrawal(0, 1, 1 << 16, BOB, BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class);

    assertThatThrownBy(() -> deposit(0, 1, BigInteger.ONE.shiftLeft(104))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new L1ForcedWithdrawal(0, 1, BOB, BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new L1ForcedWithdrawal(0, 1L << 32, BOB, BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPageOfRequestsMustReproduceTheQueueHash() {
    List<PriorityRequest> q = queue(5);
    byte[] start = queueHash(q, 1);
    byte[] end = queueHash(q, 4);
    assertThat(PriorityQueue.matches(1, 4, q.subList(1, 4), start, end)).isTrue();

    List<PriorityRequest> tampered = new ArrayList<>(q.subList(1, 4));
    L1Deposit two = (L1Deposit) q.get(2);
    tampered.set(1, new L1Deposit(2, two.keyHash(), two.owner(), two.idHash(), two.amount().add(BigInteger.ONE), two.depositor()));
    assertThat(PriorityQueue.matches(1, 4, tampered, start, end)).as("an amount changed").isFalse();
    List<PriorityRequest> otherId = new ArrayList<>(q.subList(1, 4));
    otherId.set(1, new L1Deposit(2, two.keyHash(), two.owner(), Fr.of(BigInteger.valueOf(999)), two.amount(), two.depositor()));
    assertThat(PriorityQueue.matches(1, 4, otherId, start, end)).as("an id hash changed").isFalse();
    List<PriorityRequest> otherRequester = new ArrayList<>(q.subList(1, 4));
    otherRequester.set(0, new L1ForcedWithdrawal(1, 1, BOB, ((L1ForcedWithdrawal) q.get(1)).amount()));
    assertThat(PriorityQueue.matches(1, 4, otherRequester, start, end)).as("a forced withdrawal's requester changed").isFalse();
    List<PriorityRequest> swapped = List.of(q.get(2), q.get(1), q.get(3));
    assertThat(PriorityQueue.matches(1, 4, swapped, start, end)).as("reordered").isFalse();
    assertThat(PriorityQueue.matches(1, 4, q.subList(1, 3), start, end)).as("one missing").isFalse();
    List<PriorityRequest> reindexed = List.of(q.get(1), new L1Deposit(7, two.keyHash(), two.owner(), two.idHash(), two.amount(), two.depositor()), q.get(3));
    assertThat(PriorityQueue.matches(1, 4, reindexed, start, end)).as("an index out of place").isFalse();
  }

  @Test
  void namesRollupSolsCustomErrorsWithTheirArgumentsFromItsAbi() {
    assertThat(RevertReason.declared())
        .containsExactlyInAnyOrder(
            "AccountOutOfRange(uint32)",
            "AlreadyExited(uint32)",
            "AlreadyRefunded(uint64)",
            "BatchOutOfOrder(uint64,uint64)",
            "DeadlineNotPassed(uint64,uint256)",
            "DepositAmountOutOfRange(uint256)",
            "DepositBelowMinimum(uint16,uint256,uint256)",
            "DepositCapExceeded(uint16,uint256,uint256)",
            "DepthOutOfRange(uint8)",
            "ExitProofInvalid()",
            "Exodus()",
            "ForcedWithdrawalAmountZero()",
            "InvalidProof()",
            "KeyHashNotCanonical(bytes32)",
            "MalformedPubdata()",
            "NoPendingRequest()",
            "NoSuchRequest(uint64)",
            "NotAContract(address)",
            "NotADeposit(uint64)",
            "NotAFieldElement(uint256)",
            "NotInExodus()",
            "NotTokenGovernor(address)",
            "NothingToClaim()",
            "OwnerIsZero()",
            "ReentrancyGuardReentrantCall()",
            "RefundMismatch(uint64)",
            "RequestConsumed(uint64)",
            "RequestsMismatch()",
            "SafeERC20FailedOperation(address)",
            "TokenAlreadyListed(address,uint16)",
            "TooManyRequests(uint64,uint64)",
            "TooManyTokens()",
            "TreeFull(uint64)",
            "TransferFailed()",
            "UnknownToken(uint16)",
            "WrongProofLength(uint256,uint256)",
            "WrongRollup(uint64,uint64)");
    String selector = Hash.sha3String("BatchOutOfOrder(uint64,uint64)").substring(2, 10);
    String data = "0x" + selector + "0".repeat(63) + "3" + "0".repeat(63) + "2";
    assertThat(RevertReason.decode(data)).isEqualTo("BatchOutOfOrder(3, 2)");
    assertThat(RevertReason.decode("0x" + Hash.sha3String("InvalidProof()").substring(2, 10))).isEqualTo("InvalidProof()");
    String key = "0x" + Hash.sha3String("KeyHashNotCanonical(bytes32)").substring(2, 10) + "ab".repeat(32);
    assertThat(RevertReason.decode(key)).isEqualTo("KeyHashNotCanonical(0x" + "ab".repeat(32) + ")");
    // Error(string), as require(…, "message") reverts.
    String errorString = "0x08c379a0" + "0".repeat(62) + "20" + "0".repeat(63) + "2" + "6869" + "0".repeat(60);
    assertThat(RevertReason.decode(errorString)).isEqualTo("Error(hi)");
    assertThat(RevertReason.decode("0x12345678")).isEqualTo("revert 0x12345678");
  }

  @Test
  void readsAHexKeyFileAndNeverEchoesABadOne() throws Exception {
    Path good = dir.resolve("good.key");
    Files.writeString(good, "  0x" + "ab".repeat(32) + "\n");
    assertThat(Web3jRollupContract.readKeyFile(good).getEcKeyPair().getPrivateKey()).isEqualTo(new BigInteger("ab".repeat(32), 16));

    Path bad = dir.resolve("bad.key");
    Files.writeString(bad, "secretsecret");
    assertThatThrownBy(() -> Web3jRollupContract.readKeyFile(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secretsecret");
    Path zero = dir.resolve("zero.key");
    Files.writeString(zero, "00".repeat(32));
    assertThatThrownBy(() -> Web3jRollupContract.readKeyFile(zero)).hasMessageContaining("zero key");
    assertThatThrownBy(() -> Web3jRollupContract.readKeyFile(dir.resolve("missing.key"))).hasMessageContaining("cannot read");
  }
}
