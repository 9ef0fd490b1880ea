package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A batch's public data (docs/protocol.md, "Public data" and "Protocol v3"), immutable:
 *
 * <pre>
 * pubdata = header ‖ chunk_0 ‖ … ‖ chunk_{B−1}
 * header  = rollupId (8) ‖ batchNumber (8) ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉)
 * </pre>
 *
 * {@code opCodes} holds 2 bits per slot, slot 0 in the two most significant bits of the first byte,
 * unused low bits zero. Each slot has a 10-byte chunk: a transfer {@code from (4) ‖ to (4) ‖ amount
 * float16 (2)}; a withdrawal spans 4 chunks, {@code from (4) ‖ token (2) ‖ l1Address (20) ‖ amount
 * (14)}; a priority op 5, a deposit {@code 0x00 ‖ to (4) ‖ amount (13) ‖ idHash (32)} and a forced
 * withdrawal {@code kind ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16) ‖ 0 (7)}, kind 1
 * paid or 2 refused; the continuation slots are no-ops (code 0) and a plain no-op's chunk is zero.
 * Integers are unsigned big-endian. The ops are {@link PubdataOp}s.
 *
 * <p>{@link #hash()} is the public input {@code pubdataHash = SHA-256(pubdata) mod 2^253} in
 * rollup mode; in validium mode L1 gets {@link L1Data} instead, and its hash is the input.
 */
public final class PublicData {

  /** Bytes of a slot's chunk. */
  public static final int CHUNK_BYTES = 10;

  /** Header bytes before the op-code bitmap: rollupId, batchNumber, operator, fee. */
  public static final int FIXED_HEADER_BYTES = 8 + 8 + 4 + 16;

  /** The first byte of a deposit's chunks. */
  public static final int KIND_DEPOSIT = 0;

  /** The first byte of a paid forced withdrawal's chunks. */
  public static final int KIND_FORCED_PAID = 1;

  /** The first byte of a refused forced withdrawal's chunks. */
  public static final int KIND_FORCED_REFUSED = 2;

  private static final int HASH_BITS = 253;
  private static final int DEPOSIT_AMOUNT_BYTES = 13;
  private static final int AMOUNT_BYTES = 16;
  private static final int WITHDRAWAL_AMOUNT_BYTES = 14;
  private static final int FORCED_PADDING_BYTES = 7;

  private final int slots;
  private final byte[] bytes;

  private PublicData(int slots, byte[] bytes) {
    this.slots = slots;
    this.bytes = bytes;
  }

  /** The header size for {@code slots} slots: {@code 36 + ⌈B/4⌉}. */
  public static int headerBytes(int slots) {
    return FIXED_HEADER_BYTES + (slots + 3) / 4;
  }

  /** The public-data size for {@code slots} slots: {@code 36 + ⌈B/4⌉ + 10·B}. */
  public static int size(int slots) {
    return headerBytes(slots) + CHUNK_BYTES * slots;
  }

  /**
   * Encodes a batch whose ops occupy the slots in order from slot 0, each op spanning {@link
   * OpCode#chunks()} slots, and the remaining slots are no-ops. Does not check the ops against any
   * state (that is the batch builder's job).
   *
   * @throws IllegalArgumentException if the ops do not fit in {@code slots} slots, or {@code
   *     slots} is not 1..65535
   */
  public static PublicData encode(BatchHeader header, int slots, List<? extends PubdataOp> ops) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(ops, "ops");
    BatchWitness.checkSlots(slots);
    ByteBuffer b = ByteBuffer.allocate(size(slots));
    b.putLong(header.rollupId());
    b.putLong(header.batchNumber());
    b.putInt((int) header.operator());
    putUnsigned(b, header.fee(), 16);
    int bitmap = FIXED_HEADER_BYTES;
    int chunks = headerBytes(slots);
    int slot = 0;
    for (PubdataOp op : ops) {
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

  private static void writeChunks(ByteBuffer b, PubdataOp op) {
    if (op instanceof PubdataOp.Transfer t) {
      b.putInt((int) t.from());
      b.putInt((int) t.to());
      b.putShort((short) t.amount().bits());
    } else if (op instanceof PubdataOp.Withdrawal w) {
      b.putInt((int) w.from());
      b.putShort((short) w.token());
      b.put(w.to().toBytes());
      putUnsigned(b, w.amount(), WITHDRAWAL_AMOUNT_BYTES);
    } else if (op instanceof PubdataOp.Deposit d) {
      b.put((byte) KIND_DEPOSIT);
      b.putInt((int) d.to());
      putUnsigned(b, d.amount(), DEPOSIT_AMOUNT_BYTES);
      b.put(d.idHash().toBytes());
    } else {
      PubdataOp.ForcedWithdrawal f = (PubdataOp.ForcedWithdrawal) op;
      b.put((byte) f.kind());
      b.putInt((int) f.account());
      b.putShort((short) f.token());
      b.put(f.requester().toBytes());
      putUnsigned(b, f.amount(), AMOUNT_BYTES); // then 7 zero bytes, as allocated
    }
  }

  /**
   * The header read back: rollup id (64 bits, unsigned), batch number, operator and fee, as {@link
   * #encode} wrote them.
   *
   * @throws IllegalArgumentException if the batch number has its top bit set (no encoder writes it)
   */
  public BatchHeader header() {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, FIXED_HEADER_BYTES);
    long rollupId = b.getLong();
    long batchNumber = b.getLong();
    long operator = Integer.toUnsignedLong(b.getInt());
    return new BatchHeader(rollupId, batchNumber, operator, new BigInteger(1, bytes(b, AMOUNT_BYTES)));
  }

  /**
   * The ops of the batch, in slot order, read back from the op codes and chunks (no-ops left out).
   *
   * @throws IllegalArgumentException if the data is not well formed: an op whose chunks run past the
   *     last slot or whose continuation slots are not no-ops, a priority op of an unknown kind, a
   *     forced withdrawal with non-zero padding, a no-op with a non-zero chunk, or a deposit's
   *     idHash that is not a canonical field element
   */
  public List<PubdataOp> ops() {
    List<PubdataOp> out = new ArrayList<>();
    int slot = 0;
    while (slot < slots) {
      int code = opCode(slot);
      if (code == OpCode.NOOP.code()) {
        if (!Arrays.equals(chunk(slot), new byte[CHUNK_BYTES])) {
          throw new IllegalArgumentException("slot " + slot + " is a no-op with a non-zero chunk");
        }
        slot++;
        continue;
      }
      OpCode op = code == OpCode.TRANSFER.code() ? OpCode.TRANSFER : code == OpCode.WITHDRAWAL.code() ? OpCode.WITHDRAWAL : OpCode.PRIORITY;
      if (slot + op.chunks() > slots) {
        throw new IllegalArgumentException("the " + op + " of slot " + slot + " runs past the last slot");
      }
      for (int k = 1; k < op.chunks(); k++) {
        if (opCode(slot + k) != OpCode.NOOP.code()) {
          throw new IllegalArgumentException("slot " + (slot + k) + " continues the " + op + " of slot " + slot + " but is not a no-op");
        }
      }
      out.add(readOp(slot, op, ByteBuffer.wrap(opData(slot, op.chunks()))));
      slot += op.chunks();
    }
    return out;
  }

  private static PubdataOp readOp(int slot, OpCode op, ByteBuffer b) {
    switch (op) {
      case TRANSFER -> {
        return new PubdataOp.Transfer(Integer.toUnsignedLong(b.getInt()), Integer.toUnsignedLong(b.getInt()), Float16.fromBits(Short.toUnsignedInt(b.getShort())));
      }
      case WITHDRAWAL -> {
        return new PubdataOp.Withdrawal(
            Integer.toUnsignedLong(b.getInt()), Short.toUnsignedInt(b.getShort()), L1Address.of(bytes(b, 20)), new BigInteger(1, bytes(b, WITHDRAWAL_AMOUNT_BYTES)));
      }
      default -> {
        int kind = Byte.toUnsignedInt(b.get());
        long account = Integer.toUnsignedLong(b.getInt());
        if (kind == KIND_DEPOSIT) {
          BigInteger amount = new BigInteger(1, bytes(b, DEPOSIT_AMOUNT_BYTES));
          return new PubdataOp.Deposit(account, amount, Fr.fromBytes(bytes(b, Fr.BYTES)));
        }
        if (kind != KIND_FORCED_PAID && kind != KIND_FORCED_REFUSED) {
          throw new IllegalArgumentException("the priority op of slot " + slot + " has kind " + kind + " (0 deposit, 1 or 2 forced withdrawal)");
        }
        int token = Short.toUnsignedInt(b.getShort());
        L1Address requester = L1Address.of(bytes(b, 20));
        BigInteger amount = new BigInteger(1, bytes(b, AMOUNT_BYTES));
        if (!Arrays.equals(bytes(b, b.remaining()), new byte[FORCED_PADDING_BYTES])) {
          throw new IllegalArgumentException("the forced withdrawal of slot " + slot + " has non-zero padding");
        }
        return new PubdataOp.ForcedWithdrawal(account, token, requester, amount, kind == KIND_FORCED_PAID);
      }
    }
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
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
