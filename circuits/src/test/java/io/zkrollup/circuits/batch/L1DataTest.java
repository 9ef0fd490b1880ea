package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class L1DataTest {

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final BatchHeader HEADER = new BatchHeader(7, 3, 0, 1);
  private static final String WITHDRAWAL_CHUNKS =
      "00000011" + "0000" + "00112233445566778899aabbccddeeff01020304" + "0000000000000de0b6b3a7640000";

  /** A withdrawal (slots 0..3), then transfers in slots 4 and 5. */
  private static PublicData withdrawalThenTwoTransfers(PubdataOp.Transfer first, PubdataOp.Transfer second) {
    return PublicData.encode(
        HEADER,
        6,
        List.of(
            new PubdataOp.Withdrawal(0x11, 0, L1Address.fromHex("00112233445566778899aabbccddeeff01020304"), new BigInteger("1000000000000000000")),
            first,
            second));
  }

  private static PubdataOp.Transfer transfer(long from, long to, long amount) {
    return new PubdataOp.Transfer(from, to, Float16.encode(amount));
  }

  private static final PubdataOp.Transfer T1 = transfer(2, 3, 20470); // chunk 00000002 00000003 0fff
  private static final PubdataOp.Transfer T2 = transfer(0xffffffffL, 0, 12340); // chunk ffffffff 00000000 0cd2

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void rollupL1DataIsThePublicData() {
    PublicData pd = withdrawalThenTwoTransfers(T1, T2);
    L1Data l1 = L1Data.of(pd, DataAvailability.ROLLUP, POSEIDON2);
    assertThat(l1.bytes()).isEqualTo(pd.bytes());
    assertThat(l1.hash()).isEqualTo(pd.hash());
    assertThat(L1Data.size(6, DataAvailability.ROLLUP)).isEqualTo(PublicData.size(6));
  }

  @Test
  void validiumZeroesTransferChunksInPlaceAndAppendsTheirHash() throws Exception {
    PublicData pd = withdrawalThenTwoTransfers(T1, T2);
    L1Data l1 = L1Data.of(pd, DataAvailability.VALIDIUM, POSEIDON2);
    byte[] bytes = l1.bytes();
    assertThat(bytes).hasSize(PublicData.size(6) + 32).hasSize(L1Data.size(6, DataAvailability.VALIDIUM));
    int chunks = PublicData.headerBytes(6);
    // Header and op codes unchanged; the withdrawal's 4 chunks unchanged; both transfer chunks zero.
    assertThat(Arrays.copyOf(bytes, chunks)).isEqualTo(Arrays.copyOf(pd.bytes(), chunks));
    assertThat(hex(Arrays.copyOfRange(bytes, chunks, chunks + 40))).isEqualTo(WITHDRAWAL_CHUNKS);
    assertThat(hex(Arrays.copyOfRange(bytes, chunks + 40, chunks + 60))).isEqualTo("0".repeat(40));
    assertThat(l1.onChain().opCode(4)).isEqualTo(1);
    assertThat(l1.onChain().chunk(4)).isEqualTo(new byte[10]);

    // txHash: e_0 = slots 0..2 (no transfers) = 0; e_1 = T_3 ‖ T_4 ‖ T_5 with T_3 = 0.
    Fr e1 = Fr.fromHex("0x" + "00000000000000000000" + "00000002000000030fff" + "ffffffff000000000cd2");
    Fr txHash = POSEIDON2.hash(Fr.ZERO, e1);
    assertThat(L1Data.txHash(pd, POSEIDON2)).isEqualTo(txHash);
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)).isEqualTo(txHash.toBytes());

    BigInteger sha = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(l1.hash()).isEqualTo(Fr.of(sha.mod(BigInteger.ONE.shiftLeft(253))));
    assertThat(l1.hash()).isNotEqualTo(pd.hash());
  }

  @Test
  void txHashBindsTheOrderAndTheContentOfTransfers() {
    Fr ordered = L1Data.txHash(withdrawalThenTwoTransfers(T1, T2), POSEIDON2);
    Fr swapped = L1Data.txHash(withdrawalThenTwoTransfers(T2, T1), POSEIDON2);
    Fr otherAmount = L1Data.txHash(withdrawalThenTwoTransfers(transfer(2, 3, 20460), T2), POSEIDON2);
    assertThat(swapped).isNotEqualTo(ordered);
    assertThat(otherAmount).isNotEqualTo(ordered);
  }

  @Test
  void aBatchWithoutTransfersHashesZeroElements() {
    PublicData pd = PublicData.encode(HEADER, 7, List.of());
    assertThat(L1Data.txHash(pd, POSEIDON2)).isEqualTo(POSEIDON2.hash(Fr.ZERO, Fr.ZERO, Fr.ZERO)); // ⌈7/3⌉ = 3 elements
  }

  @Test
  void decodeReadsWhatL1ReceivesAndRefusesOtherLengths() {
    PublicData pd = withdrawalThenTwoTransfers(T1, T2);
    L1Data l1 = L1Data.of(pd, DataAvailability.VALIDIUM, POSEIDON2);
    L1Data read = L1Data.decode(6, DataAvailability.VALIDIUM, l1.bytes());
    assertThat(read).isEqualTo(l1);
    assertThat(read.hash()).isEqualTo(l1.hash());
    assertThat(read.onChain().opData(0, 4)).isEqualTo(HexFormat.of().parseHex(WITHDRAWAL_CHUNKS));

    assertThatThrownBy(() -> L1Data.decode(6, DataAvailability.VALIDIUM, pd.bytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validium L1 data of 6 slots is 130 bytes, got 98");
    assertThatThrownBy(() -> L1Data.decode(6, DataAvailability.ROLLUP, l1.bytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rollup L1 data of 6 slots is 98 bytes");
  }

  /**
   * The Go side's vectors ({@code native/testdata/validium_vectors.txt}, written and checked by
   * {@code native/batch/validium_test.go}): the same L1 data, txHash and pubdataHash from the same
   * public data, so the node's L1 data is what the circuit hashes.
   */
  @Test
  void agreesWithTheGoVectors() throws Exception {
    String dir = System.getProperty("zkprover.testdata");
    assertThat(dir).as("system property zkprover.testdata (set by the build)").isNotNull();
    HexFormat hex = HexFormat.of();
    List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(dir, "validium_vectors.txt")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
    for (String line : lines) {
      String[] f = line.split(" ");
      assertThat(f).as(line).hasSize(6);
      assertThat(f[0]).isEqualTo("validium");
      int slots = Integer.parseInt(f[1]);
      PublicData pd = PublicData.decode(slots, hex.parseHex(f[2]));
      L1Data l1 = L1Data.of(pd, DataAvailability.VALIDIUM, POSEIDON2);
      assertThat(hex(l1.bytes())).as("l1Data, B=%d", slots).isEqualTo(f[3]);
      assertThat(hex(L1Data.txHash(pd, POSEIDON2).toBytes())).as("txHash, B=%d", slots).isEqualTo(f[4]);
      assertThat(hex(l1.hash().toBytes())).as("pubdataHash, B=%d", slots).isEqualTo(f[5]);
      // The public data reads back as ops and encodes to the same bytes.
      assertThat(PublicData.encode(pd.header(), slots, pd.ops())).as("ops of B=%d", slots).isEqualTo(pd);
    }
  }

  @Test
  void modesHaveStableCodesAndLabels() {
    assertThat(DataAvailability.ofCode(0)).isEqualTo(DataAvailability.ROLLUP);
    assertThat(DataAvailability.ofLabel("validium").code()).isEqualTo(1);
    assertThatThrownBy(() -> DataAvailability.ofCode(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 rollup, 1 validium");
    assertThatThrownBy(() -> DataAvailability.ofLabel("plasma")).isInstanceOf(IllegalArgumentException.class);
  }
}
