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
  void leafIsTwoCompressionsOfKeyHashAndPackedBalanceNonce() {
    Fr x = Fr.of(11);
    Fr y = Fr.of(22);
    Fr keyHash = AccountLeaf.keyHash(poseidon2, x, y);
    assertThat(keyHash).isEqualTo(poseidon2.compress(x, y));
    AccountLeaf leaf = new AccountLeaf(keyHash, BigInteger.valueOf(1000), 3);
    Fr packed = Fr.of(BigInteger.valueOf(1000).multiply(BigInteger.TWO.pow(64)).add(BigInteger.valueOf(3)));
    assertThat(leaf.packedBalanceNonce()).isEqualTo(packed);
    assertThat(leaf.hash(poseidon2)).isEqualTo(poseidon2.compress(keyHash, packed));
    assertThat(AccountLeaf.of(poseidon2, x, y, BigInteger.valueOf(1000), 3)).isEqualTo(leaf);
    // Swapping balance and nonce changes the leaf; a funded account never hashes to the empty leaf.
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(new AccountLeaf(keyHash, BigInteger.valueOf(3), 1000).hash(poseidon2));
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(AccountLeaf.EMPTY_LEAF);
  }

  @Test
  void matchesValuesComputedWithGnarkCrypto() {
    // Computed with gnark-crypto v0.21.0: poseidon2.NewPermutation(2, 6, 50).Compress, first
    // compress(11, 22), then compress(that, 1000·2^64 + 3).
    AccountLeaf leaf = AccountLeaf.of(poseidon2, Fr.of(11), Fr.of(22), BigInteger.valueOf(1000), 3);
    assertThat(leaf.keyHash()).isEqualTo(Fr.fromHex("0x29e8d47779c437f55821775c45e8faefe0decd8fae37538f27e66a5bbd897347"));
    assertThat(leaf.hash(poseidon2)).isEqualTo(Fr.fromHex("0x2c278895b2c39ec89448dcfb310d81a2b78f2ebd0671bb68d490dbe7d9bc4162"));
  }

  @Test
  void packingPutsTheNonceInTheLow64Bits() {
    AccountLeaf max = new AccountLeaf(Fr.ONE, AccountLeaf.MAX_BALANCE, Long.MAX_VALUE);
    BigInteger packed = max.packedBalanceNonce().toBigInteger();
    assertThat(packed.bitLength()).isEqualTo(192);
    assertThat(packed.shiftRight(64)).isEqualTo(AccountLeaf.MAX_BALANCE);
    assertThat(packed.longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(new AccountLeaf(Fr.ONE, BigInteger.ZERO, 0).packedBalanceNonce()).isEqualTo(Fr.ZERO);
  }

  @Test
  void withersKeepTheOtherFields() {
    AccountLeaf leaf = new AccountLeaf(Fr.of(5), BigInteger.TEN, 2);
    assertThat(leaf.withBalance(BigInteger.ONE)).isEqualTo(new AccountLeaf(Fr.of(5), BigInteger.ONE, 2));
    assertThat(leaf.withNonce(3)).isEqualTo(new AccountLeaf(Fr.of(5), BigInteger.TEN, 3));
    assertThatThrownBy(() -> leaf.withBalance(BigInteger.ONE.shiftLeft(128))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesAreEnforced() {
    Fr k = Fr.ONE;
    new AccountLeaf(k, AccountLeaf.MAX_BALANCE, Long.MAX_VALUE);
    assertThatThrownBy(() -> new AccountLeaf(k, BigInteger.ONE.shiftLeft(128), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^128");
    assertThatThrownBy(() -> new AccountLeaf(k, BigInteger.valueOf(-1), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountLeaf(k, BigInteger.ZERO, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> new AccountLeaf(null, BigInteger.ZERO, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AccountLeaf.keyHash(poseidon2, null, k)).isInstanceOf(NullPointerException.class);
  }
}
