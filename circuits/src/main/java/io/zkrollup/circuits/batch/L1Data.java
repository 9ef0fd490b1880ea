package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * What L1 receives of a batch and hashes into the public input {@code pubdataHash}
 * (docs/protocol.md, "Validium"), immutable.
 *
 * <ul>
 *   <li>{@link DataAvailability#ROLLUP}: the whole {@link PublicData}.
 *   <li>{@link DataAvailability#VALIDIUM}: the public data with every transfer chunk replaced by 10
 *       zero bytes, followed by {@code txHash} (32 bytes): the Poseidon2 hash of the transfer
 *       chunks, packed three to a field element. Deposits, withdrawals and the header stay where
 *       they are, so L1 reads them the same way in both modes.
 * </ul>
 *
 * {@link #hash()} is {@code SHA-256(l1Data) mod 2^253}.
 */
public final class L1Data {

  /** Bytes of {@code txHash} at the end of validium L1 data. */
  public static final int TX_HASH_BYTES = Fr.BYTES;

  /** Transfer chunks packed into one field element of the txHash input (3 × 80 bits < 254). */
  static final int CHUNKS_PER_ELEMENT = 3;

  private final DataAvailability mode;
  private final PublicData onChain;
  private final byte[] bytes;

  private L1Data(DataAvailability mode, PublicData onChain, byte[] bytes) {
    this.mode = mode;
    this.onChain = onChain;
    this.bytes = bytes;
  }

  /** The L1 data size for {@code slots} slots in {@code mode}. */
  public static int size(int slots, DataAvailability mode) {
    return PublicData.size(slots) + (mode == DataAvailability.VALIDIUM ? TX_HASH_BYTES : 0);
  }

  /**
   * The L1 data of a batch's full public data.
   *
   * @param poseidon2 the hasher of {@code txHash} (validium only)
   */
  public static L1Data of(PublicData publicData, DataAvailability mode, Poseidon2 poseidon2) {
    Objects.requireNonNull(publicData, "publicData");
    Objects.requireNonNull(mode, "mode");
    if (mode == DataAvailability.ROLLUP) {
      return new L1Data(mode, publicData, publicData.bytes());
    }
    byte[] zeroed = publicData.bytes();
    int slots = publicData.slots();
    int chunks = PublicData.headerBytes(slots);
    for (int j = 0; j < slots; j++) {
      if (publicData.opCode(j) == OpCode.TRANSFER.code()) {
        Arrays.fill(zeroed, chunks + j * PublicData.CHUNK_BYTES, chunks + (j + 1) * PublicData.CHUNK_BYTES, (byte) 0);
      }
    }
    byte[] bytes = Arrays.copyOf(zeroed, zeroed.length + TX_HASH_BYTES);
    byte[] txHash = txHash(publicData, Objects.requireNonNull(poseidon2, "poseidon2")).toBytes();
    System.arraycopy(txHash, 0, bytes, zeroed.length, TX_HASH_BYTES);
    return new L1Data(mode, PublicData.decode(slots, zeroed), bytes);
  }

  /**
   * Reads L1 data of a batch of {@code slots} slots, as L1 receives it. Does not check {@code
   * txHash} or that transfer chunks are zero: the proof binds both.
   *
   * @throws IllegalArgumentException if the length is not {@link #size(int, DataAvailability)}
   */
  public static L1Data decode(int slots, DataAvailability mode, byte[] bytes) {
    Objects.requireNonNull(mode, "mode");
    int expected = size(slots, mode);
    if (bytes.length != expected) {
      throw new IllegalArgumentException(
          mode.label() + " L1 data of " + slots + " slots is " + expected + " bytes, got " + bytes.length);
    }
    PublicData onChain = PublicData.decode(slots, Arrays.copyOf(bytes, PublicData.size(slots)));
    return new L1Data(mode, onChain, bytes.clone());
  }

  /**
   * {@code txHash} of a batch's public data: {@code T_j} is slot {@code j}'s chunk if it is a
   * transfer and zero otherwise (also past the last slot); {@code e_k = T_3k ‖ T_3k+1 ‖ T_3k+2} as
   * a 240-bit big-endian integer; {@code txHash} is the Poseidon2 Merkle–Damgård hash of {@code
   * e_0 … e_⌈B/3⌉−1} (IV 0, the tree's compression).
   */
  public static Fr txHash(PublicData publicData, Poseidon2 poseidon2) {
    int slots = publicData.slots();
    Fr[] elements = new Fr[(slots + CHUNKS_PER_ELEMENT - 1) / CHUNKS_PER_ELEMENT];
    byte[] packed = new byte[CHUNKS_PER_ELEMENT * PublicData.CHUNK_BYTES];
    for (int k = 0; k < elements.length; k++) {
      Arrays.fill(packed, (byte) 0);
      for (int i = 0; i < CHUNKS_PER_ELEMENT; i++) {
        int j = CHUNKS_PER_ELEMENT * k + i;
        if (j < slots && publicData.opCode(j) == OpCode.TRANSFER.code()) {
          System.arraycopy(publicData.chunk(j), 0, packed, i * PublicData.CHUNK_BYTES, PublicData.CHUNK_BYTES);
        }
      }
      elements[k] = Fr.of(new BigInteger(1, packed));
    }
    return poseidon2.hash(elements);
  }

  /** The mode. */
  public DataAvailability mode() {
    return mode;
  }

  /**
   * The public data as L1 sees it: in validium mode with zero transfer chunks (L1 reads the
   * header, op codes, deposits and withdrawals from it).
   */
  public PublicData onChain() {
    return onChain;
  }

  /** The bytes L1 receives (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The size in bytes. */
  public int length() {
    return bytes.length;
  }

  /** The public input {@code pubdataHash = SHA-256(l1Data) mod 2^253}. */
  public Fr hash() {
    return PublicData.sha256Mod253(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1Data other && mode == other.mode && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * mode.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "L1Data[" + mode.label() + ", slots=" + onChain.slots() + ", bytes=" + bytes.length + "]";
  }
}
