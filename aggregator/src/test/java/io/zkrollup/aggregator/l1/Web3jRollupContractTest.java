package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

/**
 * The parts of the node's L1 client that need no chain: the queue check ({@link DepositQueue}),
 * revert names from Rollup.sol's ABI ({@link RevertReason}), key files.
 */
class Web3jRollupContractTest {

  @TempDir Path dir;

  private static List<L1Deposit> queue(int n) {
    List<L1Deposit> q = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      q.add(new L1Deposit(i, Fr.of(BigInteger.valueOf(100 + i)), BigInteger.valueOf(1000L * (i + 1))));
    }
    return q;
  }

  /** queueHash[i] for the first {@code upTo} entries of {@code q}, as Rollup.sol computes it. */
  private static byte[] queueHash(List<L1Deposit> q, int upTo) {
    byte[] h = new byte[32];
    for (int i = 0; i < upTo; i++) {
      h = DepositQueue.next(h, q.get(i).keyHash(), q.get(i).amount());
    }
    return h;
  }

  @Test
  void depositsAreTakenOnlyIfTheyReproduceTheContractsQueueHash() {
    List<L1Deposit> q = queue(5);
    byte[] start = queueHash(q, 1);
    byte[] end = queueHash(q, 4);
    assertThat(DepositQueue.matches(1, 4, q.subList(1, 4), start, end)).isTrue();

    List<L1Deposit> tampered = new ArrayList<>(q.subList(1, 4));
    tampered.set(1, new L1Deposit(2, q.get(2).keyHash(), q.get(2).amount().add(BigInteger.ONE)));
    assertThat(DepositQueue.matches(1, 4, tampered, start, end)).as("an amount changed").isFalse();
    List<L1Deposit> otherKey = new ArrayList<>(q.subList(1, 4));
    otherKey.set(0, new L1Deposit(1, Fr.of(BigInteger.valueOf(999)), q.get(1).amount()));
    assertThat(DepositQueue.matches(1, 4, otherKey, start, end)).as("a key hash changed").isFalse();
    List<L1Deposit> swapped = List.of(q.get(2), q.get(1), q.get(3));
    assertThat(DepositQueue.matches(1, 4, swapped, start, end)).as("reordered").isFalse();
    assertThat(DepositQueue.matches(1, 4, q.subList(1, 3), start, end)).as("one missing").isFalse();
    List<L1Deposit> reindexed = List.of(q.get(1), new L1Deposit(7, q.get(2).keyHash(), q.get(2).amount()), q.get(3));
    assertThat(DepositQueue.matches(1, 4, reindexed, start, end)).as("an index out of place").isFalse();
  }

  @Test
  void namesRollupSolsCustomErrorsWithTheirArgumentsFromItsAbi() {
    assertThat(RevertReason.declared())
        .containsExactlyInAnyOrder(
            "BatchOutOfOrder(uint64,uint64)", "DepositAmountOutOfRange(uint256)", "DepositCapExceeded(uint256,uint256)", "DepositsMismatch()", "InvalidProof()",
            "KeyHashNotCanonical(bytes32)", "MalformedPubdata()", "NothingToClaim()", "TooManyDeposits(uint64,uint64)", "TransferFailed()", "WrongRollup(uint32,uint32)");
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
