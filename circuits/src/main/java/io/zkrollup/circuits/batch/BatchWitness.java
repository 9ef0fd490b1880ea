package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything the batch circuit needs besides its parameters, immutable; {@link #toBytes()} is the
 * "ZKBW" v3 format Java hands to the native prover (docs/protocol.md, "Batch witness", "The witness
 * (v2)" and "Protocol v3"):
 *
 * <pre>
 * "ZKBW" (4 bytes) ‖ version 3 (1 byte) ‖ B (2 bytes, big-endian) ‖ D (1 byte)
 * then 32-byte canonical big-endian field elements:
 * oldRoot, newRoot, batchNumber, pubdataHash
 * rollupId, operator, fee
 * operatorKeyHash, operatorOwnerToken, operatorBalance, operatorNonce, operatorSiblings[D]
 * per slot: opCode, amountExp, amountMantissa, amount, maxFeeExp, maxFeeMantissa, dest, priorityKind, token,
 *           sender.index, sender.pubKeyX, sender.pubKeyY, sender.ownerToken, sender.balance, sender.nonce,
 *           sender.siblings[D],
 *           sig.Rx, sig.Ry, sig.S,
 *           receiver.index, receiver.keyHash, receiver.ownerToken, receiver.balance, receiver.nonce,
 *           receiver.isEmpty, receiver.siblings[D]
 * </pre>
 *
 * That is {@code 8 + 32·(11 + D + B·(24 + 2·D))} bytes ({@link #serializedSize}).
 *
 * @param slots the number of slots B, 1..65535
 * @param depth the tree depth D, 1..32
 * @param publicInputs oldRoot, newRoot, batchNumber, pubdataHash
 * @param header rollupId (64 bits, written unsigned), operator and fee (and the batch number, equal
 *     to the public input's)
 * @param operator the operator's account opened against the root after the last slot, before the
 *     fees are credited
 * @param slotWitnesses one per slot, in order
 */
public record BatchWitness(
    int slots, int depth, PublicInputs publicInputs, BatchHeader header, Operator operator, List<Slot> slotWitnesses) {

  /** The format's magic bytes. */
  public static final byte[] MAGIC = "ZKBW".getBytes(StandardCharsets.US_ASCII);

  /** The format version. */
  public static final int VERSION = 3;

  /** Bytes before the first field element: magic, version, B, D. */
  public static final int PREAMBLE_BYTES = 8;

  /** The most slots a batch has (B is 2 bytes). */
  public static final int MAX_SLOTS = 0xffff;

  /** The deepest tree a batch supports (public data has 4-byte indices). */
  public static final int MAX_DEPTH = 32;

  /** Field elements per slot besides the two sibling paths. */
  public static final int SLOT_SCALARS = 24;

  /** Field elements before the slots besides the operator's siblings. */
  public static final int GLOBAL_SCALARS = 4 + 3 + 4;

  /**
   * Validates the shape.
   *
   * @throws IllegalArgumentException if B or D is out of range, the slot count is not B, or a
   *     sibling path is not D long, or the batch numbers differ
   */
  public BatchWitness {
    checkSlots(slots);
    checkDepth(depth);
    Objects.requireNonNull(publicInputs, "publicInputs");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(operator, "operator");
    slotWitnesses = List.copyOf(slotWitnesses);
    if (slotWitnesses.size() != slots) {
      throw new IllegalArgumentException("a batch of " + slots + " slots has " + slots + " slot witnesses, got " + slotWitnesses.size());
    }
    if (publicInputs.batchNumber() != header.batchNumber()) {
      throw new IllegalArgumentException("public input batchNumber " + publicInputs.batchNumber() + " differs from the header's " + header.batchNumber());
    }
    checkPath("operator", operator.siblings(), depth);
    for (int i = 0; i < slots; i++) {
      checkPath("slot " + i + " sender", slotWitnesses.get(i).sender().siblings(), depth);
      checkPath("slot " + i + " receiver", slotWitnesses.get(i).receiver().siblings(), depth);
    }
  }

  /** The size of {@link #toBytes()}: {@code 8 + 32·(11 + D + B·(24 + 2·D))}. */
  public static int serializedSize(int slots, int depth) {
    checkSlots(slots);
    checkDepth(depth);
    long elements = GLOBAL_SCALARS + depth + (long) slots * (SLOT_SCALARS + 2L * depth);
    return Math.toIntExact(PREAMBLE_BYTES + Fr.BYTES * elements);
  }

  /** The "ZKBW" v3 bytes (see the class comment). */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(serializedSize(slots, depth));
    out.put(MAGIC).put((byte) VERSION).putShort((short) slots).put((byte) depth);
    for (Fr e : publicInputs.toList()) {
      put(out, e);
    }
    put(out, Ranges.unsignedRollupId(header.rollupId()));
    put(out, header.operator());
    put(out, header.fee());
    put(out, operator.keyHash());
    put(out, operator.ownerToken());
    put(out, operator.balance());
    put(out, operator.nonce());
    operator.siblings().forEach(s -> put(out, s));
    for (Slot s : slotWitnesses) {
      put(out, s.opCode().code());
      put(out, s.amount16().exponent());
      put(out, s.amount16().mantissa());
      put(out, s.amount());
      put(out, s.maxFee16().exponent());
      put(out, s.maxFee16().mantissa());
      put(out, s.dest());
      put(out, s.priorityKind());
      put(out, s.token());
      Signer sender = s.sender();
      put(out, sender.index());
      put(out, sender.pubKeyX());
      put(out, sender.pubKeyY());
      put(out, sender.ownerToken());
      put(out, sender.balance());
      put(out, sender.nonce());
      sender.siblings().forEach(x -> put(out, x));
      put(out, s.signature().r().x());
      put(out, s.signature().r().y());
      put(out, s.signature().s());
      Account receiver = s.receiver();
      put(out, receiver.index());
      put(out, receiver.keyHash());
      put(out, receiver.ownerToken());
      put(out, receiver.balance());
      put(out, receiver.nonce());
      put(out, receiver.isEmpty() ? 1 : 0);
      receiver.siblings().forEach(x -> put(out, x));
    }
    if (out.hasRemaining()) {
      throw new IllegalStateException("witness layout wrote " + out.position() + " of " + out.capacity() + " bytes");
    }
    return out.array();
  }

  private static void put(ByteBuffer out, Fr e) {
    out.put(e.toBytes());
  }

  private static void put(ByteBuffer out, long v) {
    put(out, Fr.of(v));
  }

  private static void put(ByteBuffer out, BigInteger v) {
    put(out, Fr.of(v));
  }

  static void checkSlots(int slots) {
    if (slots < 1 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException("a batch has 1.." + MAX_SLOTS + " slots, got " + slots);
    }
  }

  static void checkDepth(int depth) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("batches support tree depths 1.." + MAX_DEPTH + " (4-byte indices), got " + depth);
    }
  }

  private static void checkPath(String what, List<Fr> siblings, int depth) {
    if (siblings.size() != depth) {
      throw new IllegalArgumentException(what + " has " + siblings.size() + " siblings, the tree depth is " + depth);
    }
  }

  private static List<Fr> zeroPath(int depth) {
    return Collections.nCopies(depth, Fr.ZERO);
  }

  /**
   * The operator's account, opened against the root after the last slot (before the fee credit).
   * Its token (in {@code ownerToken}) is the batch's fee token.
   *
   * @param keyHash its key hash
   * @param ownerToken its {@code owner·2^32 + token}
   * @param balance its balance before the credit
   * @param nonce its nonce
   * @param siblings its Merkle path, bottom-up
   */
  public record Operator(Fr keyHash, BigInteger ownerToken, BigInteger balance, long nonce, List<Fr> siblings) {
    /** Copies the path. */
    public Operator {
      Objects.requireNonNull(keyHash, "keyHash");
      Objects.requireNonNull(ownerToken, "ownerToken");
      Objects.requireNonNull(balance, "balance");
      siblings = List.copyOf(siblings);
    }
  }

  /**
   * A slot's {@code sender}: the signer of a transfer or withdrawal, opened in the root before the
   * slot; in unsigned slots index, balance, nonce and path are zero and the key is the {@link
   * DummySignature} key.
   *
   * @param index the account index
   * @param pubKeyX the signer's public key x
   * @param pubKeyY the signer's public key y
   * @param ownerToken the account's {@code owner·2^32 + token}
   * @param balance the balance before the slot
   * @param nonce the nonce before the slot
   * @param siblings the Merkle path, bottom-up
   */
  public record Signer(long index, Fr pubKeyX, Fr pubKeyY, BigInteger ownerToken, BigInteger balance, long nonce, List<Fr> siblings) {
    /** Copies the path. */
    public Signer {
      Objects.requireNonNull(pubKeyX, "pubKeyX");
      Objects.requireNonNull(pubKeyY, "pubKeyY");
      Objects.requireNonNull(ownerToken, "ownerToken");
      Objects.requireNonNull(balance, "balance");
      siblings = List.copyOf(siblings);
    }

    /** The {@code sender} of an unsigned slot. */
    public static Signer dummy(int depth) {
      EdDsaPublicKey key = DummySignature.PUBLIC_KEY;
      return new Signer(0, key.point().x(), key.point().y(), BigInteger.ZERO, BigInteger.ZERO, 0, zeroPath(depth));
    }
  }

  /**
   * A slot's {@code receiver}: the account a transfer credits (opened after the {@code sender}'s
   * update) or the account of a priority op (opened in the root before the slot); all zero
   * otherwise.
   *
   * @param index the account index
   * @param keyHash the account's key hash (a deposit's if the leaf was empty; 0 for a forced
   *     withdrawal from an empty leaf)
   * @param ownerToken the account's {@code owner·2^32 + token} (likewise)
   * @param balance the balance before the slot (0 if empty)
   * @param nonce the nonce (0 if empty)
   * @param isEmpty whether the leaf was empty (priority ops only)
   * @param siblings the Merkle path, bottom-up
   */
  public record Account(long index, Fr keyHash, BigInteger ownerToken, BigInteger balance, long nonce, boolean isEmpty, List<Fr> siblings) {
    /** Copies the path. */
    public Account {
      Objects.requireNonNull(keyHash, "keyHash");
      Objects.requireNonNull(ownerToken, "ownerToken");
      Objects.requireNonNull(balance, "balance");
      siblings = List.copyOf(siblings);
    }

    /** The {@code receiver} of a slot without one. */
    public static Account unused(int depth) {
      return new Account(0, Fr.ZERO, BigInteger.ZERO, BigInteger.ZERO, 0, false, zeroPath(depth));
    }

    /** An empty leaf opened at {@code index} (a forced withdrawal from no account). */
    public static Account empty(long index, List<Fr> siblings) {
      return new Account(index, Fr.ZERO, BigInteger.ZERO, BigInteger.ZERO, 0, true, siblings);
    }
  }

  /**
   * One slot.
   *
   * @param opCode the slot's op (continuation slots of multi-chunk ops are {@link OpCode#NOOP})
   * @param priorityKind a priority op's kind (0 deposit, 1 forced withdrawal); 0 for other ops
   * @param token a signed op's token (its sender's), a forced withdrawal's requested token; 0 for a
   *     deposit or a no-op
   * @param amount16 the transfer amount's float16; zero for other ops
   * @param amount the exact amount (a transfer's float value); zero for no-ops
   * @param maxFee16 the signed max fee's float16; zero for unsigned ops
   * @param dest a transfer's or deposit's {@code to}, a withdrawal's L1 address, a forced
   *     withdrawal's requester; zero for no-ops
   * @param sender the signer
   * @param signature the signer's signature, or the {@link DummySignature}
   * @param receiver the account a transfer credits or a deposit goes to
   */
  public record Slot(
      OpCode opCode,
      int priorityKind,
      int token,
      Float16 amount16,
      BigInteger amount,
      Float16 maxFee16,
      BigInteger dest,
      Signer sender,
      EdDsaSignature signature,
      Account receiver) {
    /** Checks for nulls and the kind. */
    public Slot {
      Objects.requireNonNull(opCode, "opCode");
      if (priorityKind != 0 && (priorityKind != 1 || opCode != OpCode.PRIORITY)) {
        throw new IllegalArgumentException("priorityKind is 0, or 1 for a forced withdrawal, got " + priorityKind + " for a " + opCode);
      }
      Ranges.checkToken("token", token);
      Objects.requireNonNull(amount16, "amount16");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(maxFee16, "maxFee16");
      Objects.requireNonNull(dest, "dest");
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(receiver, "receiver");
    }

    /** A no-op (padding or continuation) slot. */
    public static Slot noop(int depth) {
      return new Slot(
          OpCode.NOOP, 0, 0, Float16.ZERO, BigInteger.ZERO, Float16.ZERO, BigInteger.ZERO, Signer.dummy(depth), DummySignature.SIGNATURE, Account.unused(depth));
    }
  }
}
