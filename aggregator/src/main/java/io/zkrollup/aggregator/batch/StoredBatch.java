package io.zkrollup.aggregator.batch;

import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.field.Fr;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A built batch as the node keeps it: what a prover needs (the witness) and what L1 needs (the
 * public data), with its place in the journal.
 *
 * @param number the batch number
 * @param sealIndex the journal index of its seal entry (its ops are the entries before it, back to
 *     the previous seal)
 * @param ops how many ops (signed ops and deposits) it has
 * @param publicInputs old root, new root, batch number and public-data hash
 * @param witness the witness bytes for the prover
 * @param publicData the full public data (what the node serves; docs/protocol.md, "Public data")
 * @param l1Data what L1 receives: the public data itself in rollup mode, the public data with zero
 *     transfer chunks and {@code txHash} in validium mode (docs/protocol.md, "Validium")
 */
public record StoredBatch(long number, long sealIndex, int ops, PublicInputs publicInputs, byte[] witness, byte[] publicData, byte[] l1Data) {

  /** Checks for nulls. */
  public StoredBatch {
    Objects.requireNonNull(publicInputs, "publicInputs");
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(publicData, "publicData");
    Objects.requireNonNull(l1Data, "l1Data");
  }

  /** A rollup-mode batch: L1 receives the public data itself. */
  public StoredBatch(long number, long sealIndex, int ops, PublicInputs publicInputs, byte[] witness, byte[] publicData) {
    this(number, sealIndex, ops, publicInputs, witness, publicData, publicData);
  }

  /** The root before the batch. */
  public Fr oldRoot() {
    return publicInputs.oldRoot();
  }

  /** The root after the batch. */
  public Fr newRoot() {
    return publicInputs.newRoot();
  }

  /**
   * The stored form. In validium mode the L1 data follows the public data; a rollup batch (and
   * every batch stored before validium existed) ends after the public data.
   */
  byte[] encode() {
    boolean separate = !Arrays.equals(l1Data, publicData);
    ByteBuffer b = ByteBuffer.allocate(
        8 + 8 + 4 + 3 * Fr.BYTES + 4 + witness.length + 4 + publicData.length + (separate ? 4 + l1Data.length : 0));
    b.putLong(number).putLong(sealIndex).putInt(ops);
    b.put(publicInputs.oldRoot().toBytes()).put(publicInputs.newRoot().toBytes()).put(publicInputs.pubdataHash().toBytes());
    b.putInt(witness.length).put(witness);
    b.putInt(publicData.length).put(publicData);
    if (separate) {
      b.putInt(l1Data.length).put(l1Data);
    }
    return b.array();
  }

  static StoredBatch decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long number = b.getLong();
    long sealIndex = b.getLong();
    int ops = b.getInt();
    Fr oldRoot = Fr.fromBytes(bytes, b.position());
    Fr newRoot = Fr.fromBytes(bytes, b.position() + Fr.BYTES);
    Fr pubdataHash = Fr.fromBytes(bytes, b.position() + 2 * Fr.BYTES);
    b.position(b.position() + 3 * Fr.BYTES);
    byte[] witness = new byte[b.getInt()];
    b.get(witness);
    byte[] publicData = new byte[b.getInt()];
    b.get(publicData);
    byte[] l1Data = publicData;
    if (b.hasRemaining()) {
      l1Data = new byte[b.getInt()];
      b.get(l1Data);
    }
    return new StoredBatch(number, sealIndex, ops, new PublicInputs(oldRoot, newRoot, number, pubdataHash), witness, publicData, l1Data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredBatch other
        && number == other.number
        && sealIndex == other.sealIndex
        && ops == other.ops
        && publicInputs.equals(other.publicInputs)
        && Arrays.equals(witness, other.witness)
        && Arrays.equals(publicData, other.publicData)
        && Arrays.equals(l1Data, other.l1Data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, sealIndex, publicInputs);
  }

  @Override
  public String toString() {
    return "StoredBatch[" + number + ", seal at " + sealIndex + ", " + ops + " ops, " + publicInputs + "]";
  }
}
