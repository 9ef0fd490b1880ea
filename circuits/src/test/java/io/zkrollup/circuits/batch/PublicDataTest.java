package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicDataTest {

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final EdDsaPrivateKey KEY = EdDsaPrivateKey.fromSeed(new byte[] {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
  private static final BatchHeader HEADER = new BatchHeader(0x01020304L, 0x1122334455667788L, 0x0A0B0C0DL, 0x0102);
  private static final String HEADER_HEX = "01020304" + "1122334455667788" + "0a0b0c0d" + "0000000000000000000000000000" + "0102";

  private static BatchOp signed(io.zkrollup.circuits.tx.SignableOp op) {
    return op.sign(KEY, POSEIDON2, HEADER.rollupId());
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void withdrawalThenTwoTransfersInSixSlots() {
    List<BatchOp> ops = List.of(
        signed(new Withdrawal(0x11, L1Address.fromHex("00112233445566778899aabbccddeeff01020304"),
            new BigInteger("1000000000000000000"), BigInteger.TEN, 0)),
        signed(new Transfer(2, 3, 20470, 0, 0)), // float16 e=1 m=2047: 0x0fff
        signed(new Transfer(0xffffffffL, 0, 12340, 0, 0))); // e=1 m=1234: 0x0800 | 0x04d2
    PublicData pd = PublicData.encode(HEADER, 6, ops);
    String expected =
        HEADER_HEX
            + "c050" // op codes 3,0,0,0 | 1,1 then 4 unused zero bits
            + "00000011" + "00112233445566778899aabbccddeeff01020304" + "00000000000000000de0b6b3a7640000" // 4 chunks
            + "00000002" + "00000003" + "0fff"
            + "ffffffff" + "00000000" + "0cd2";
    assertThat(hex(pd.bytes())).isEqualTo(expected);
    assertThat(pd.length()).isEqualTo(94).isEqualTo(PublicData.size(6));
    assertThat(PublicData.headerBytes(6)).isEqualTo(34);
    assertThat(List.of(pd.opCode(0), pd.opCode(1), pd.opCode(2), pd.opCode(3), pd.opCode(4), pd.opCode(5)))
        .containsExactly(3, 0, 0, 0, 1, 1);
    assertThat(hex(pd.chunk(4))).isEqualTo("00000002000000030fff");
    // SHA-256 computed with Python's hashlib: 516472e4…; its 3 high bits (010) are cleared.
    assertThat(hex(pd.sha256())).isEqualTo("516472e4083b5b618893e650b16623f8169d8ae05bda0b2e01dffacac8436c04");
    assertThat(pd.hash()).isEqualTo(Fr.fromHex("0x116472e4083b5b618893e650b16623f8169d8ae05bda0b2e01dffacac8436c04"));
  }

  @Test
  void transferThenDepositThenPaddingInSevenSlots() {
    Fr keyHash = Fr.fromHex("0x2c278895b2c39ec89448dcfb310d81a2b78f2ebd0671bb68d490dbe7d9bc4162");
    BigInteger maxDeposit = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
    List<BatchOp> ops = List.of(signed(new Transfer(1, 2, 5, 0, 0)), new Deposit(9, keyHash, maxDeposit));
    PublicData pd = PublicData.encode(HEADER, 7, ops);
    String expected =
        HEADER_HEX
            + "6000" // op codes 1,2,0,0 | 0,0,0 then 2 unused zero bits
            + "00000001" + "00000002" + "0005"
            + "00000009" + "ffffffffffffffffffffffffffff" + "2c278895b2c39ec89448dcfb310d81a2b78f2ebd0671bb68d490dbe7d9bc4162"
            + "00000000000000000000";
    assertThat(hex(pd.bytes())).isEqualTo(expected);
    assertThat(pd.length()).isEqualTo(104).isEqualTo(PublicData.size(7));
    assertThat(pd.slots()).isEqualTo(7);
  }

  @Test
  void anEmptyBatchIsAHeaderAndZeroChunks() {
    PublicData pd = PublicData.encode(HEADER, 1, List.of());
    assertThat(hex(pd.bytes())).isEqualTo(HEADER_HEX + "00" + "00000000000000000000");
    assertThat(PublicData.size(4)).isEqualTo(32 + 1 + 40);
    assertThat(PublicData.size(5)).isEqualTo(32 + 2 + 50);
  }

  @Test
  void theLastSlotOfAFullBitmapByteIsItsLowBits() {
    List<BatchOp> ops = List.of(
        signed(new Transfer(0, 1, 1, 0, 0)), signed(new Transfer(0, 1, 1, 0, 1)),
        signed(new Transfer(0, 1, 1, 0, 2)), signed(new Transfer(0, 1, 1, 0, 3)),
        signed(new Transfer(0, 1, 1, 0, 4)));
    PublicData pd = PublicData.encode(HEADER, 5, ops);
    assertThat(hex(pd.bytes()).substring(64, 68)).isEqualTo("5540");
  }

  @Test
  void opsThatDoNotFitAreRefused() {
    BatchOp w = signed(new Withdrawal(1, L1Address.of(new byte[20]), BigInteger.ONE, BigInteger.ZERO, 0));
    assertThatThrownBy(() -> PublicData.encode(HEADER, 3, List.of(w)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 4 slots");
    assertThatThrownBy(() -> PublicData.encode(HEADER, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    PublicData.encode(HEADER, 4, List.of(w));
  }

  @Test
  void bytesAreACopy() {
    PublicData pd = PublicData.encode(HEADER, 1, List.of());
    pd.bytes()[0] = 9;
    assertThat(pd.bytes()[0]).isEqualTo((byte) 1);
    assertThat(pd).isEqualTo(PublicData.encode(HEADER, 1, List.of()));
  }
}
