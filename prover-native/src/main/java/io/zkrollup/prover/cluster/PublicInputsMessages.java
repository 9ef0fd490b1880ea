package io.zkrollup.prover.cluster;

import com.google.protobuf.ByteString;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.field.Fr;

/** Converts public inputs to and from the {@code zkrollup.v1.PublicInputs} message. */
public final class PublicInputsMessages {

  private PublicInputsMessages() {}

  /** The message for {@code inputs}: field elements as 32-byte big-endian. */
  public static io.zkrollup.api.v1.PublicInputs toProto(PublicInputs inputs) {
    return io.zkrollup.api.v1.PublicInputs.newBuilder()
        .setOldRoot(ByteString.copyFrom(inputs.oldRoot().toBytes()))
        .setNewRoot(ByteString.copyFrom(inputs.newRoot().toBytes()))
        .setBatchNumber(inputs.batchNumber())
        .setPubdataHash(ByteString.copyFrom(inputs.pubdataHash().toBytes()))
        .build();
  }

  /**
   * Reads the message.
   *
   * @throws IllegalArgumentException if a field element is not 32 bytes below the modulus, or the
   *     batch number is out of range
   */
  public static PublicInputs fromProto(io.zkrollup.api.v1.PublicInputs m) {
    return new PublicInputs(
        element(m.getOldRoot(), "old_root"), element(m.getNewRoot(), "new_root"), m.getBatchNumber(), element(m.getPubdataHash(), "pubdata_hash"));
  }

  private static Fr element(ByteString bytes, String name) {
    if (bytes.size() != Fr.BYTES) {
      throw new IllegalArgumentException(name + " must be " + Fr.BYTES + " bytes, got " + bytes.size());
    }
    return Fr.fromBytes(bytes.toByteArray());
  }
}
