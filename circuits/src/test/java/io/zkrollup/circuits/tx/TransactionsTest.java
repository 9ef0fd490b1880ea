package io.zkrollup.circuits.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransactionsTest {

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  /** A 64-bit rollup id with its top bit set (a negative {@code long}, read as unsigned). */
  private static final long ROLLUP = 0xFBCD_0123_4567_89ABL;
  private static final L1Address ADDR = L1Address.fromHex("0x00112233445566778899aabbccddeeff01020304");

  private static EdDsaPrivateKey key(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  @Test
  void transferE1PacksTheFieldsAtTheDocumentedBitOffsets() {
    Transfer t = new Transfer(5, 9, 1234, 20, 7, 0x1234);
    // 1·2^208 + 0xFBCD0123456789AB·2^144 + 5·2^112 + 7·2^48 + 20·2^32 + 0x1234, written out by hand.
    assertThat(t.e1(ROLLUP)).isEqualTo(Fr.fromHex("0x1fbcd0123456789ab000000050000000000000007001400001234"));
    assertThat(t.e2()).isEqualTo(Fr.of(1234));
    assertThat(t.e3()).isEqualTo(Fr.of(9));
    assertThat(t.message(POSEIDON2, ROLLUP))
        .isEqualTo(POSEIDON2.compress(t.e1(ROLLUP), POSEIDON2.compress(Fr.of(1234), Fr.of(9))));
  }

  @Test
  void withdrawalE1AtTheLimitsAndE3IsTheAddress() {
    BigInteger maxFee = Float16.MAX_VALUE;
    Withdrawal w = new Withdrawal(0xffffffffL, ADDR, AccountMax.MAX_112, maxFee, Long.MAX_VALUE, Ranges.MAX_TOKEN);
    // 3·2^208 + (2^64-1)·2^144 + (2^32-1)·2^112 + (2^63-1)·2^48 + 0xffff·2^32 + 0xffff.
    assertThat(w.e1(-1L)).isEqualTo(Fr.fromHex("0x3ffffffffffffffffffffffff7fffffffffffffffffff0000ffff"));
    assertThat(w.e2().toBigInteger()).isEqualTo(AccountMax.MAX_112);
    assertThat(w.e3().toBigInteger()).isEqualTo(new BigInteger("00112233445566778899aabbccddeeff01020304", 16));
    assertThat(w.dest().bitLength()).isLessThanOrEqualTo(160);
  }

  @Test
  void theTransferAmountInTheMessageIsTheFloatValue() {
    Transfer t = new Transfer(1, 2, BigInteger.valueOf(20470), BigInteger.ZERO, 0);
    assertThat(t.amount16()).isEqualTo(new Float16(1, 2047));
    assertThat(t.e2()).isEqualTo(Fr.of(20470));
  }

  @Test
  void signaturesVerifyOnlyForTheSignedOpAndRollup() {
    EdDsaPrivateKey k = key(1);
    Transfer t = new Transfer(5, 9, 1234, 20, 7);
    SignedOp s = t.sign(k, POSEIDON2, ROLLUP);
    assertThat(s.verify(POSEIDON2, ROLLUP)).isTrue();
    assertThat(s.opCode()).isEqualTo(OpCode.TRANSFER);
    assertThat(s.verify(POSEIDON2, ROLLUP + 1)).as("another rollup").isFalse();
    assertThat(s.verify(POSEIDON2, ROLLUP ^ (1L << 40))).as("another rollup in the high 32 bits").isFalse();
    assertThat(new SignedOp(new Transfer(5, 9, 1234, 20, 7, 1), s.publicKey(), s.signature()).verify(POSEIDON2, ROLLUP))
        .as("another token")
        .isFalse();
    assertThat(new SignedOp(new Transfer(5, 9, 1234, 20, 8), s.publicKey(), s.signature()).verify(POSEIDON2, ROLLUP))
        .as("another nonce")
        .isFalse();
    assertThat(new SignedOp(t, key(2).publicKey(), s.signature()).verify(POSEIDON2, ROLLUP)).as("another key").isFalse();

    Withdrawal w = new Withdrawal(5, ADDR, BigInteger.TEN, BigInteger.ONE, 0);
    SignedOp sw = w.sign(k, POSEIDON2, ROLLUP);
    assertThat(sw.verify(POSEIDON2, ROLLUP)).isTrue();
    Withdrawal other = new Withdrawal(5, L1Address.of(new byte[20]), BigInteger.TEN, BigInteger.ONE, 0);
    assertThat(new SignedOp(other, sw.publicKey(), sw.signature()).verify(POSEIDON2, ROLLUP)).as("another address").isFalse();
  }

  @Test
  void theOpCodeSeparatesTransfersFromWithdrawals() {
    // A transfer to index 7 and a withdrawal to address 7 have the same e2 and e3; e1 differs.
    Transfer t = new Transfer(1, 7, 10, 0, 0);
    byte[] seven = new byte[20];
    seven[19] = 7;
    Withdrawal w = new Withdrawal(1, L1Address.of(seven), BigInteger.TEN, BigInteger.ZERO, 0);
    assertThat(t.e3()).isEqualTo(w.e3());
    assertThat(t.message(POSEIDON2, 1)).isNotEqualTo(w.message(POSEIDON2, 1));
  }

  @Test
  void rangesAreChecked() {
    BigInteger one = BigInteger.ONE;
    assertThatThrownBy(() -> new Transfer(1L << 32, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
    assertThatThrownBy(() -> new Transfer(-1, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Transfer(0, 1L << 32, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to");
    assertThatThrownBy(() -> new Transfer(0, 1, 2048, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transfer amount 2048");
    assertThatThrownBy(() -> new Transfer(0, 1, 1, 12345, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFee 12345");
    assertThatThrownBy(() -> new Transfer(0, 1, 1, 0, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce");
    assertThatThrownBy(() -> new Transfer(0, 1, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);

    new Withdrawal(0, ADDR, AccountMax.MAX_112, one, 0);
    assertThatThrownBy(() -> new Withdrawal(0, ADDR, one.shiftLeft(112), one, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2^112");
    assertThatThrownBy(() -> new Withdrawal(0, ADDR, one, one, 0, 1 << 16)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    assertThatThrownBy(() -> new Transfer(0, 1, 1, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    assertThatThrownBy(() -> new Withdrawal(0, ADDR, one, BigInteger.valueOf(2049), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFee");
    assertThatThrownBy(() -> new Withdrawal(1L << 32, ADDR, one, one, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Withdrawal(0, null, one, one, 0)).isInstanceOf(NullPointerException.class);

    new Deposit(0xffffffffL, Fr.ONE, ADDR, one.shiftLeft(104).subtract(one));
    assertThatThrownBy(() -> new Deposit(0, Fr.ONE, ADDR, one.shiftLeft(104))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2^104");
    assertThatThrownBy(() -> new Deposit(0, Fr.ONE, ADDR, one.negate())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deposit(1L << 32, Fr.ONE, ADDR, one)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deposit(0, Fr.ONE, null, one)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Deposit(0, Fr.ONE, ADDR, one, 1 << 16)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");

    new ForcedWithdrawal(0xffffffffL, ADDR, AccountMax.MAX_128);
    assertThatThrownBy(() -> new ForcedWithdrawal(0, ADDR, one.shiftLeft(128))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2^128");
    assertThatThrownBy(() -> new ForcedWithdrawal(1L << 32, ADDR, one)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ForcedWithdrawal(0, null, one)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ForcedWithdrawal(0, ADDR, one, 1 << 16)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
  }

  @Test
  void l1AddressesAreTwentyBytesAndImmutable() {
    byte[] bytes = ADDR.toBytes();
    bytes[0] = 9;
    assertThat(ADDR.toBytes()[0]).isZero();
    assertThat(ADDR).isEqualTo(L1Address.fromHex("00112233445566778899aabbccddeeff01020304"));
    assertThat(ADDR).hasToString("0x00112233445566778899aabbccddeeff01020304");
    assertThatThrownBy(() -> L1Address.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> L1Address.fromHex("0x00")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ADDR.owner()).isEqualTo(io.zkrollup.statetree.Owner.fromHex("00112233445566778899aabbccddeeff01020304"));
    assertThat(L1Address.of(ADDR.owner())).isEqualTo(ADDR);
  }

  @Test
  void opCodesAndChunks() {
    assertThat(OpCode.NOOP.code()).isZero();
    assertThat(OpCode.TRANSFER.code()).isEqualTo(1);
    assertThat(OpCode.PRIORITY.code()).isEqualTo(2);
    assertThat(OpCode.WITHDRAWAL.code()).isEqualTo(3);
    assertThat(OpCode.TRANSFER.chunks()).isEqualTo(1);
    assertThat(OpCode.WITHDRAWAL.chunks()).isEqualTo(4);
    assertThat(OpCode.PRIORITY.chunks()).isEqualTo(5);
    assertThat(OpCode.PRIORITY.signed()).isFalse();
    assertThat(new Deposit(1, Fr.ONE, ADDR, BigInteger.ONE).opCode()).isEqualTo(OpCode.PRIORITY);
    assertThat(new Deposit(1, Fr.ONE, ADDR, BigInteger.ONE).kind()).isZero();
    assertThat(new ForcedWithdrawal(1, ADDR, BigInteger.ONE).opCode()).isEqualTo(OpCode.PRIORITY);
    assertThat(new ForcedWithdrawal(1, ADDR, BigInteger.ONE).kind()).isEqualTo(1);
    assertThat(OpCode.WITHDRAWAL.signed()).isTrue();
  }

  /** 2^128 - 1. */
  private static final class AccountMax {
    static final BigInteger MAX_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    static final BigInteger MAX_112 = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
  }
}
