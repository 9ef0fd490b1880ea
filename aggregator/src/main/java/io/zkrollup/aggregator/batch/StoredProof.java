package io.zkrollup.aggregator.batch;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A verified proof of a batch.
 *
 * @param system the proof system's label ({@code groth16}, {@code plonk})
 * @param proof the proof bytes as gnark writes them
 * @param proveMillis how long proving took
 */
public record StoredProof(String system, byte[] proof, long proveMillis) {

  /** Checks for nulls. */
  public StoredProof {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(proof, "proof");
  }

  byte[] encode() {
    byte[] label = system.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(4 + label.length + 8 + 4 + proof.length)
        .putInt(label.length).put(label).putLong(proveMillis).putInt(proof.length).put(proof).array();
  }

  static StoredProof decode(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    byte[] label = new byte[b.getInt()];
    b.get(label);
    long millis = b.getLong();
    byte[] proof = new byte[b.getInt()];
    b.get(proof);
    return new StoredProof(new String(label, java.nio.charset.StandardCharsets.US_ASCII), proof, millis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredProof p && system.equals(p.system) && Arrays.equals(proof, p.proof) && proveMillis == p.proveMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(system, Arrays.hashCode(proof), proveMillis);
  }

  @Override
  public String toString() {
    return "StoredProof[" + system + ", " + proof.length + " bytes, " + proveMillis + " ms]";
  }
}
