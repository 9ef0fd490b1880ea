package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicDataTest {

  // A rollup id with its top bit set: the header holds it as 8 unsigned bytes.
  private static final BatchHeader HEADER = new BatchHeader(0xF102030405060708L, 0x1122334455667788L, 0x0A0B0C0DL, 0x0102);
  private static final String HEADER_HEX = "f102030405060708" + "1122334455667788" + "0a0b0c0d" + "0000000000000000000000000000" + "0102";
  private static final L1Address ADDR = L1Address.fromHex("00112233445566778899aabbccddeeff01020304");
  private static final Fr ID_HASH = Fr.fromHex("0x2c278895b2c39ec89448dcfb310d81a2b78f2ebd0671bb68d490dbe7d9bc4162");

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static PubdataOp.Transfer transfer(long from, long to, long amount) {
    return new PubdataOp.Transfer(from, to, Float16.encode(amount));
  }

  @Test
  void withdrawalThenTwoTransfersInSixSlots() {
    List<PubdataOp> ops = List.of(
        new PubdataOp.Withdrawal(0x11, 0x1234, ADDR, new BigInteger("1000000000000000000")),
        transfer(2, 3, 20470), // float16 e=1 m=2047: 0x0fff
        transfer(0xffffffffL, 0, 12340)); // e=1 m=1234: 0x0800 | 0x04d2
    PublicData pd = PublicData.encode(HEADER, 6, ops);
    String expected =
        HEADER_HEX
            + "c050" // op codes 3,0,0,0 | 1,1 then 4 unused zero bits
            + "00000011" + "1234" + "00112233445566778899aabbccddeeff01020304" + "0000000000000de0b6b3a7640000" // 4 chunks
            + "00000002" + "00000003" + "0fff"
            + "ffffffff" + "00000000" + "0cd2";
    assertThat(hex(pd.bytes())).isEqualTo(expected);
    assertThat(pd.length()).isEqualTo(98).isEqualTo(PublicData.size(6));
    assertThat(PublicData.headerBytes(6)).isEqualTo(38);
    assertThat(List.of(pd.opCode(0), pd.opCode(1), pd.opCode(2), pd.opCode(3), pd.opCode(4), pd.opCode(5)))
        .containsExactly(3, 0, 0, 0, 1, 1);
    assertThat(hex(pd.chunk(4))).isEqualTo("00000002000000030fff");
    // SHA-256 computed with Python's hashlib: fa4379cb…; its 3 high bits are cleared.
    assertThat(hex(pd.sha256())).isEqualTo("fa4379cbe66e7839122b05d0759d289c394372d0c101c6b3890b4d28f8bed742");
    assertThat(pd.hash()).isEqualTo(Fr.fromHex("0x1a4379cbe66e7839122b05d0759d289c394372d0c101c6b3890b4d28f8bed742"));
    assertThat(pd.ops()).isEqualTo(ops);
    assertThat(pd.header()).isEqualTo(HEADER);
    assertThat(PublicData.decode(6, pd.bytes()).header()).isEqualTo(HEADER);
  }

  @Test
  void transferThenDepositThenPaddingInSevenSlots() {
    BigInteger maxDeposit = BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE);
    List<PubdataOp> ops = List.of(transfer(1, 2, 5), new PubdataOp.Deposit(9, maxDeposit, ID_HASH));
    PublicData pd = PublicData.encode(HEADER, 7, ops);
    String expected =
        HEADER_HEX
            + "6000" // op codes 1,2,0,0 | 0,0,0 then 2 unused zero bits
            + "00000001" + "00000002" + "0005"
            + "00" + "00000009" + "ffffffffffffffffffffffffff" + "2c278895b2c39ec89448dcfb310d81a2b78f2ebd0671bb68d490dbe7d9bc4162"
            + "00000000000000000000";
    assertThat(hex(pd.bytes())).isEqualTo(expected);
    assertThat(pd.length()).isEqualTo(108).isEqualTo(PublicData.size(7));
    assertThat(pd.slots()).isEqualTo(7);
    assertThat(pd.ops()).isEqualTo(ops);
  }

  @Test
  void forcedWithdrawalsPaidAndRefused() {
    BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    List<PubdataOp> ops = List.of(
        new PubdataOp.ForcedWithdrawal(0x0a0b0c0dL, 0xffff, ADDR, max, true),
        new PubdataOp.ForcedWithdrawal(3, 0, ADDR, BigInteger.TWO, false));
    PublicData pd = PublicData.encode(HEADER, 10, ops);
    String expected =
        HEADER_HEX
            + "8020" + "00" // op codes 2,0,0,0 | 0,2,0,0 | 0,0 then 4 unused zero bits
            + "01" + "0a0b0c0d" + "ffff" + "00112233445566778899aabbccddeeff01020304" + "ff".repeat(16) + "00".repeat(7)
            + "02" + "00000003" + "0000" + "00112233445566778899aabbccddeeff01020304" + "00".repeat(15) + "02" + "00".repeat(7);
    assertThat(hex(pd.bytes())).isEqualTo(expected);
    assertThat(pd.ops()).isEqualTo(ops);
    assertThat(((PubdataOp.ForcedWithdrawal) pd.ops().get(0)).kind()).isEqualTo(PublicData.KIND_FORCED_PAID);
    assertThat(((PubdataOp.ForcedWithdrawal) pd.ops().get(1)).kind()).isEqualTo(PublicData.KIND_FORCED_REFUSED);
  }

  @Test
  void malformedPublicDataIsNotReadAsOps() {
    byte[] good = PublicData.encode(HEADER, 10, List.of(new PubdataOp.ForcedWithdrawal(3, 7, ADDR, BigInteger.TWO, false))).bytes();
    int chunks = PublicData.headerBytes(10);
    byte[] kind3 = good.clone();
    kind3[chunks] = 3;
    assertThatThrownBy(() -> PublicData.decode(10, kind3).ops()).hasMessageContaining("kind 3");
    byte[] padding = good.clone();
    padding[chunks + 49] = 1;
    assertThatThrownBy(() -> PublicData.decode(10, padding).ops()).hasMessageContaining("padding");
    byte[] continuation = good.clone();
    continuation[PublicData.FIXED_HEADER_BYTES] |= 1; // slot 3 a transfer inside the forced withdrawal
    assertThatThrownBy(() -> PublicData.decode(10, continuation).ops()).hasMessageContaining("slot 3 continues");
    byte[] noop = good.clone();
    noop[chunks + 50] = 1; // slot 5, a no-op, with data
    assertThatThrownBy(() -> PublicData.decode(10, noop).ops()).hasMessageContaining("no-op with a non-zero chunk");
    byte[] pastEnd = PublicData.encode(HEADER, 4, List.of()).bytes();
    pastEnd[PublicData.FIXED_HEADER_BYTES] = (byte) 0x80; // a priority op in slot 0 of 4
    assertThatThrownBy(() -> PublicData.decode(4, pastEnd).ops()).hasMessageContaining("past the last slot");
    byte[] nonCanonical = PublicData.encode(HEADER, 5, List.of(new PubdataOp.Deposit(1, BigInteger.ONE, ID_HASH))).bytes();
    java.util.Arrays.fill(nonCanonical, PublicData.headerBytes(5) + 18, PublicData.headerBytes(5) + 50, (byte) 0xff);
    assertThatThrownBy(() -> PublicData.decode(5, nonCanonical).ops()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyBatchIsAHeaderAndZeroChunks() {
    PublicData pd = PublicData.encode(HEADER, 1, List.of());
    assertThat(hex(pd.bytes())).isEqualTo(HEADER_HEX + "00" + "00000000000000000000");
    assertThat(PublicData.size(4)).isEqualTo(36 + 1 + 40);
    assertThat(PublicData.size(5)).isEqualTo(36 + 2 + 50);
    assertThat(pd.ops()).isEmpty();
  }

  @Test
  void theLastSlotOfAFullBitmapByteIsItsLowBits() {
    List<PubdataOp> ops = List.of(transfer(0, 1, 1), transfer(0, 1, 1), transfer(0, 1, 1), transfer(0, 1, 1), transfer(0, 1, 1));
    PublicData pd = PublicData.encode(HEADER, 5, ops);
    assertThat(hex(pd.bytes()).substring(72, 76)).isEqualTo("5540");
  }

  @Test
  void opsThatDoNotFitAreRefused() {
    PubdataOp w = new PubdataOp.Withdrawal(1, 0, L1Address.of(new byte[20]), BigInteger.ONE);
    assertThatThrownBy(() -> PublicData.encode(HEADER, 3, List.of(w)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 4 slots");
    assertThatThrownBy(() -> PublicData.encode(HEADER, 4, List.of(new PubdataOp.Deposit(1, BigInteger.ONE, ID_HASH))))
        .hasMessageContaining("needs 5 slots");
    assertThatThrownBy(() -> PublicData.encode(HEADER, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    PublicData.encode(HEADER, 4, List.of(w));
  }

  @Test
  void bytesAreACopy() {
    PublicData pd = PublicData.encode(HEADER, 1, List.of());
    pd.bytes()[0] = 9;
    assertThat(pd.bytes()[0]).isEqualTo((byte) 0xf1);
    assertThat(pd).isEqualTo(PublicData.encode(HEADER, 1, List.of()));
  }
}
