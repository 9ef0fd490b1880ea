package io.zkrollup.aggregator.batch;

import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.field.Fr;
import java.nio.ByteBuffer;
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
 * @param publicData the public data for L1
 */
public record StoredBatch(long number, long sealIndex, int ops, PublicInputs publicInputs, byte[] witness, byte[] publicData) {

  /** Checks for nulls. */
  public StoredBatch {
    Objects.requireNonNull(publicInputs, "publicInputs");
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(publicData, "publicData");
  }

  /** The root before the batch. */
  public Fr oldRoot() {
    return publicInputs.oldRoot();
  }

  /** The root after the batch. */
  public Fr newRoot() {
    return publicInputs.newRoot();
  }

  byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 4 + 3 * Fr.BYTES + 4 + witness.length + 4 + publicData.length);
    b.putLong(number).putLong(sealIndex).putInt(ops);
    b.put(publicInputs.oldRoot().toBytes()).put(publicInputs.newRoot().toBytes()).put(publicInputs.pubdataHash().toBytes());
    b.putInt(witness.length).put(witness);
    b.putInt(publicData.length).put(publicData);
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
    return new StoredBatch(number, sealIndex, ops, new PublicInputs(oldRoot, newRoot, number, pubdataHash), witness, publicData);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredBatch other
        && number == other.number
        && sealIndex == other.sealIndex
        && ops == other.ops
        && publicInputs.equals(other.publicInputs)
        && java.util.Arrays.equals(witness, other.witness)
        && java.util.Arrays.equals(publicData, other.publicData);
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
