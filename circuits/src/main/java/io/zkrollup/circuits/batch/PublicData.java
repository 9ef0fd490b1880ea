package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A batch's public data (docs/protocol.md, "Public data"), immutable:
 *
 * <pre>
 * pubdata = header ‖ chunk_0 ‖ … ‖ chunk_{B−1}
 * header  = rollupId (4) ‖ batchNumber (8) ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉)
 * </pre>
 *
 * {@code opCodes} holds 2 bits per slot, slot 0 in the two most significant bits of the first byte,
 * unused low bits zero. Each slot has a 10-byte chunk: a transfer {@code from (4) ‖ to (4) ‖ amount
 * float16 (2)}; a withdrawal spans 4 chunks, {@code from (4) ‖ l1Address (20) ‖ amount (16)}; a
 * deposit 5, {@code to (4) ‖ amount (14) ‖ keyHash (32)}; the continuation slots are no-ops
 * (code 0) and a plain no-op's chunk is zero. Integers are unsigned big-endian.
 *
 * <p>{@link #hash()} is the public input {@code pubdataHash = SHA-256(pubdata) mod 2^253} in
 * rollup mode; in validium mode L1 gets {@link L1Data} instead, and its hash is the input.
 */
public final class PublicData {

  /** Bytes of a slot's chunk. */
  public static final int CHUNK_BYTES = 10;

  /** Header bytes before the op-code bitmap: rollupId, batchNumber, operator, fee. */
  public static final int FIXED_HEADER_BYTES = 4 + 8 + 4 + 16;

  private static final int HASH_BITS = 253;

  private final int slots;
  private final byte[] bytes;

  private PublicData(int slots, byte[] bytes) {
    this.slots = slots;
    this.bytes = bytes;
  }

  /** The header size for {@code slots} slots: {@code 32 + ⌈B/4⌉}. */
  public static int headerBytes(int slots) {
    return FIXED_HEADER_BYTES + (slots + 3) / 4;
  }

  /** The public-data size for {@code slots} slots: {@code 32 + ⌈B/4⌉ + 10·B}. */
  public static int size(int slots) {
    return headerBytes(slots) + CHUNK_BYTES * slots;
  }

  /**
   * Encodes a batch whose ops occupy the slots in order from slot 0, each op spanning {@link
   * OpCode#chunks()} slots, and the remaining slots are no-ops. Does not check the ops against
   * any state (that is the batch builder's job).
   *
   * @throws IllegalArgumentException if the ops do not fit in {@code slots} slots, or {@code
   *     slots} is not 1..65535
   */
  public static PublicData encode(BatchHeader header, int slots, List<? extends BatchOp> ops) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(ops, "ops");
    BatchWitness.checkSlots(slots);
    ByteBuffer b = ByteBuffer.allocate(size(slots));
    b.putInt((int) header.rollupId());
    b.putLong(header.batchNumber());
    b.putInt((int) header.operator());
    putUnsigned(b, header.fee(), 16);
    int bitmap = FIXED_HEADER_BYTES;
    int chunks = headerBytes(slots);
    int slot = 0;
    for (BatchOp op : ops) {
      Objects.requireNonNull(op, "op");
      int span = op.opCode().chunks();
      if (slot + span > slots) {
        throw new IllegalArgumentException(
            "a " + op.opCode() + " needs " + span + " slots from slot " + slot + " but the batch has " + slots);
      }
      int code = op.opCode().code();
      b.put(bitmap + slot / 4, (byte) (b.get(bitmap + slot / 4) | (code << (6 - 2 * (slot % 4)))));
      b.position(chunks + slot * CHUNK_BYTES);
      writeChunks(b, op);
      slot += span;
    }
    return new PublicData(slots, b.array());
  }

  private static void writeChunks(ByteBuffer b, BatchOp op) {
    if (op instanceof Deposit d) {
      b.putInt((int) d.to());
      putUnsigned(b, d.amount(), 14);
      b.put(d.keyHash().toBytes());
    } else if (signable(op) instanceof Transfer t) {
      b.putInt((int) t.from());
      b.putInt((int) t.to());
      b.putShort((short) t.amount16().bits());
    } else {
      Withdrawal w = (Withdrawal) signable(op);
      b.putInt((int) w.from());
      b.put(w.l1Address().toBytes());
      putUnsigned(b, w.amount(), 16);
    }
  }

  /** The transfer or withdrawal of a signed op, verified or not (verification changes no byte). */
  private static SignableOp signable(BatchOp op) {
    return op instanceof VerifiedOp v ? v.signed().op() : ((SignedOp) op).op();
  }

  /** Writes {@code value} as {@code width} unsigned big-endian bytes (the caller checked the range). */
  private static void putUnsigned(ByteBuffer b, BigInteger value, int width) {
    byte[] raw = value.toByteArray(); // may have a leading sign byte
    int n = Math.min(raw.length, width);
    if (value.signum() < 0 || value.bitLength() > 8 * width) {
      throw new IllegalArgumentException(value + " does not fit " + width + " bytes");
    }
    for (int i = 0; i < width - n; i++) {
      b.put((byte) 0);
    }
    b.put(raw, raw.length - n, n);
  }

  /**
   * Reads public data of a batch of {@code slots} slots, as L1 receives it.
   *
   * @throws IllegalArgumentException if the length is not {@link #size(int) size(slots)}
   */
  public static PublicData decode(int slots, byte[] bytes) {
    if (slots < 1 || slots > 0xffff) {
      throw new IllegalArgumentException("slots must be 1..65535, got " + slots);
    }
    if (bytes.length != size(slots)) {
      throw new IllegalArgumentException("public data of " + slots + " slots is " + size(slots) + " bytes, got " + bytes.length);
    }
    return new PublicData(slots, bytes.clone());
  }

  /**
   * The data of the op starting at {@code slot}: its chunk and the continuation chunks after it
   * ({@code chunks} of them in all).
   *
   * @throws IndexOutOfBoundsException if the op would run past the last slot
   */
  public byte[] opData(int slot, int chunks) {
    Objects.checkFromIndexSize(slot, chunks, slots);
    int from = headerBytes(slots) + slot * CHUNK_BYTES;
    return Arrays.copyOfRange(bytes, from, from + chunks * CHUNK_BYTES);
  }

  /** The number of slots B. */
  public int slots() {
    return slots;
  }

  /** The encoded bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The size in bytes. */
  public int length() {
    return bytes.length;
  }

  /** The op code of a slot, read back from the header bitmap. */
  public int opCode(int slot) {
    Objects.checkIndex(slot, slots);
    return (bytes[FIXED_HEADER_BYTES + slot / 4] >>> (6 - 2 * (slot % 4))) & 3;
  }

  /** The 10-byte chunk of a slot (a copy). */
  public byte[] chunk(int slot) {
    Objects.checkIndex(slot, slots);
    int from = headerBytes(slots) + slot * CHUNK_BYTES;
    return Arrays.copyOfRange(bytes, from, from + CHUNK_BYTES);
  }

  /** {@code SHA-256(pubdata)}, 32 bytes. */
  public byte[] sha256() {
    return sha256(bytes);
  }

  /**
   * {@code SHA-256(pubdata) mod 2^253} (the 3 high bits cleared): the public input {@code
   * pubdataHash} in rollup mode. In validium mode it is {@link L1Data#hash()}.
   */
  public Fr hash() {
    return sha256Mod253(bytes);
  }

  /** {@code SHA-256(data) mod 2^253}: how both modes turn what L1 receives into a field element. */
  static Fr sha256Mod253(byte[] data) {
    BigInteger digest = new BigInteger(1, sha256(data));
    return Fr.of(digest.mod(BigInteger.ONE.shiftLeft(HASH_BITS)));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicData other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PublicData[slots=" + slots + ", bytes=" + bytes.length + "]";
  }
}
