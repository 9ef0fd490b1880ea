package io.zkrollup.statetree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AccountLeafTest {

  private final Poseidon2 poseidon2 = new Poseidon2();
  private static final Owner OWNER = Owner.fromHex("0x00112233445566778899aabbccddeeff01020304");

  @Test
  void leafIsTheIdHashCompressedWithPackedBalanceNonce() {
    Fr x = Fr.of(11);
    Fr y = Fr.of(22);
    Fr keyHash = AccountLeaf.keyHash(poseidon2, x, y);
    assertThat(keyHash).isEqualTo(poseidon2.compress(x, y));
    AccountLeaf leaf = new AccountLeaf(keyHash, OWNER, BigInteger.valueOf(1000), 3);
    assertThat(leaf.token()).isEqualTo(AccountLeaf.ETH);
    BigInteger ownerToken = OWNER.address().shiftLeft(32);
    assertThat(leaf.ownerToken()).isEqualTo(ownerToken);
    Fr idHash = poseidon2.compress(keyHash, Fr.of(ownerToken));
    assertThat(leaf.idHash(poseidon2)).isEqualTo(idHash).isEqualTo(AccountLeaf.idHash(poseidon2, keyHash, OWNER, 0));
    Fr packed = Fr.of(BigInteger.valueOf(1000).multiply(BigInteger.TWO.pow(64)).add(BigInteger.valueOf(3)));
    assertThat(leaf.packedBalanceNonce()).isEqualTo(packed);
    assertThat(leaf.hash(poseidon2)).isEqualTo(poseidon2.compress(idHash, packed));
    assertThat(AccountLeaf.of(poseidon2, x, y, OWNER, BigInteger.valueOf(1000), 3)).isEqualTo(leaf);
    // Swapping balance and nonce changes the leaf; a funded account never hashes to the empty leaf.
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(new AccountLeaf(keyHash, OWNER, BigInteger.valueOf(3), 1000).hash(poseidon2));
    assertThat(leaf.hash(poseidon2)).isNotEqualTo(AccountLeaf.EMPTY_LEAF);
  }

  @Test
  void theSameKeyWithAnotherOwnerOrTokenIsAnotherAccount() {
    Fr keyHash = Fr.of(5);
    AccountLeaf mine = new AccountLeaf(keyHash, OWNER, BigInteger.TEN, 0);
    AccountLeaf theirs = new AccountLeaf(keyHash, Owner.ZERO, BigInteger.TEN, 0);
    AccountLeaf token = new AccountLeaf(keyHash, OWNER, 1, BigInteger.TEN, 0);
    assertThat(mine.idHash(poseidon2)).isNotEqualTo(theirs.idHash(poseidon2)).isNotEqualTo(token.idHash(poseidon2));
    assertThat(mine.hash(poseidon2)).isNotEqualTo(theirs.hash(poseidon2));
    assertThat(mine.isAccountOf(keyHash, OWNER, 0)).isTrue();
    assertThat(mine.isAccountOf(keyHash, Owner.ZERO, 0)).isFalse();
    assertThat(mine.isAccountOf(keyHash, OWNER, 1)).isFalse();
    assertThat(mine.isAccountOf(Fr.of(6), OWNER, 0)).isFalse();
  }

  @Test
  void matchesValuesComputedWithGnarkCrypto() {
    // Computed with gnark-crypto v0.21.0 through native/internal/batchbuild (Account.IdHash, Leaf):
    // keyHash = compress(11, 22), idHash = compress(keyHash, owner·2^32), then compress(idHash, 1000·2^64 + 3).
    AccountLeaf leaf = AccountLeaf.of(poseidon2, Fr.of(11), Fr.of(22), OWNER, BigInteger.valueOf(1000), 3);
    assertThat(leaf.keyHash()).isEqualTo(Fr.fromHex("0x29e8d47779c437f55821775c45e8faefe0decd8fae37538f27e66a5bbd897347"));
    assertThat(leaf.idHash(poseidon2)).isEqualTo(Fr.fromHex("0x0e03fa370dfb81c6c834e5f30fb53c3b3b6a51a841e05efd927109ca2a68653a"));
    assertThat(leaf.hash(poseidon2)).isEqualTo(Fr.fromHex("0x018ab7e262dbb709a487dcda78dcac4cd31ac5fedadce9f022a54dccc5b415a7"));
  }

  @Test
  void packingPutsTheNonceInTheLow64Bits() {
    AccountLeaf max = new AccountLeaf(Fr.ONE, Owner.ZERO, AccountLeaf.MAX_BALANCE, Long.MAX_VALUE);
    BigInteger packed = max.packedBalanceNonce().toBigInteger();
    assertThat(packed.bitLength()).isEqualTo(192);
    assertThat(packed.shiftRight(64)).isEqualTo(AccountLeaf.MAX_BALANCE);
    assertThat(packed.longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(new AccountLeaf(Fr.ONE, Owner.ZERO, BigInteger.ZERO, 0).packedBalanceNonce()).isEqualTo(Fr.ZERO);
  }

  @Test
  void withersKeepTheOtherFields() {
    AccountLeaf leaf = new AccountLeaf(Fr.of(5), OWNER, 7, BigInteger.TEN, 2);
    assertThat(leaf.withBalance(BigInteger.ONE)).isEqualTo(new AccountLeaf(Fr.of(5), OWNER, 7, BigInteger.ONE, 2));
    assertThat(leaf.withNonce(3)).isEqualTo(new AccountLeaf(Fr.of(5), OWNER, 7, BigInteger.TEN, 3));
    assertThatThrownBy(() -> leaf.withBalance(BigInteger.ONE.shiftLeft(128))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesAreEnforced() {
    Fr k = Fr.ONE;
    new AccountLeaf(k, OWNER, (1L << 16) - 1, AccountLeaf.MAX_BALANCE, Long.MAX_VALUE);
    assertThatThrownBy(() -> new AccountLeaf(k, OWNER, BigInteger.ONE.shiftLeft(128), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^128");
    assertThatThrownBy(() -> new AccountLeaf(k, OWNER, BigInteger.valueOf(-1), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountLeaf(k, OWNER, BigInteger.ZERO, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> new AccountLeaf(k, OWNER, 1L << 16, BigInteger.ZERO, 0)).hasMessageContaining("token");
    assertThat(new AccountLeaf(k, OWNER, AccountLeaf.MAX_TOKEN, BigInteger.ZERO, 0).ownerToken())
        .isEqualTo(OWNER.address().shiftLeft(32).add(BigInteger.valueOf(0xffff)));
    assertThatThrownBy(() -> new AccountLeaf(k, OWNER, -1, BigInteger.ZERO, 0)).hasMessageContaining("token");
    assertThatThrownBy(() -> new AccountLeaf(null, OWNER, BigInteger.ZERO, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccountLeaf(k, null, BigInteger.ZERO, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AccountLeaf.keyHash(poseidon2, null, k)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ownersAreTwentyBytes() {
    assertThat(OWNER.toBytes()).hasSize(20).isEqualTo(java.util.HexFormat.of().parseHex("00112233445566778899aabbccddeeff01020304"));
    assertThat(Owner.of(OWNER.toBytes())).isEqualTo(OWNER);
    assertThat(OWNER).hasToString("0x00112233445566778899aabbccddeeff01020304");
    assertThat(Owner.ZERO.toBytes()).isEqualTo(new byte[20]);
    Owner max = Owner.fromHex("ff".repeat(20));
    assertThat(max.address().bitLength()).isEqualTo(160);
    assertThat(Owner.of(max.toBytes())).isEqualTo(max);
    assertThatThrownBy(() -> new Owner(BigInteger.ONE.shiftLeft(160))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Owner(BigInteger.valueOf(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Owner.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
  }
}
