package io.zkrollup.statetree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AccountLeafTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  @Test
  void leafIsTheMerkleDamgardHashOfTheFourFieldsInOrder() {
    Fr x = Fr.of(11);
    Fr y = Fr.of(22);
    AccountLeaf leaf = new AccountLeaf(x, y, BigInteger.valueOf(1000), 3);
    assertThat(leaf.fields()).containsExactly(x, y, Fr.of(1000), Fr.of(3));
    assertThat(leaf.hash(poseidon2)).isEqualTo(poseidon2.hash(x, y, Fr.of(1000), Fr.of(3)));
    // Field order matters: swapping balance and nonce changes the leaf.
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(new AccountLeaf(x, y, BigInteger.valueOf(3), 1000).hash(poseidon2));
    // A funded account never hashes to the empty leaf.
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(AccountLeaf.EMPTY_LEAF);
  }

  @Test
  void rangesAreEnforced() {
    Fr k = Fr.ONE;
    AccountLeaf max = new AccountLeaf(k, k, AccountLeaf.MAX_BALANCE, Long.MAX_VALUE);
    assertThat(max.fields().get(2).toBigInteger()).isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
    assertThatThrownBy(() -> new AccountLeaf(k, k, BigInteger.ONE.shiftLeft(128), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^128");
    assertThatThrownBy(() -> new AccountLeaf(k, k, BigInteger.valueOf(-1), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountLeaf(k, k, BigInteger.ZERO, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountLeaf(null, k, BigInteger.ZERO, 0)).isInstanceOf(NullPointerException.class);
  }
}
