package io.zkrollup.circuits.tx;

import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * A {@link SignedOp} whose signature was verified for the node's rollup, with the two hashes that
 * verification computed: the signed message (the transaction's hash) and the signer key's hash.
 *
 * <p>Only two ways make one, both deliberate: {@link SignatureVerifier#verify}, which checks the
 * signature, and {@link #fromRecord}, which reads back a durable record that only verified ops
 * reach (the node's journal). A plain {@code SignedOp} never becomes one by accident, so the batch
 * builder can trust these ({@code BatchBuilder.Signatures.TRUST_VERIFIED}) without checking the
 * signature again, while audits re-check them ({@code VERIFY_ALL}).
 */
public final class VerifiedOp implements BatchOp {

  private final SignedOp signed;
  private final Fr txHash;
  private final Fr keyHash;

  VerifiedOp(SignedOp signed, Fr txHash, Fr keyHash) {
    this.signed = Objects.requireNonNull(signed, "signed");
    this.txHash = Objects.requireNonNull(txHash, "txHash");
    this.keyHash = Objects.requireNonNull(keyHash, "keyHash");
  }

  /**
   * An op read back from a record written after it was verified, such as the node's journal.
   * Checks nothing: whoever calls this vouches that the record holds only ops that {@link
   * SignatureVerifier} verified, with the hashes it computed.
   *
   * @param signed the op, its key and signature
   * @param txHash the signed message, as recorded
   * @param keyHash the hash of the signer's key, as recorded
   */
  public static VerifiedOp fromRecord(SignedOp signed, Fr txHash, Fr keyHash) {
    return new VerifiedOp(signed, txHash, keyHash);
  }

  /** The op, its signer's key and signature. */
  public SignedOp signed() {
    return signed;
  }

  /** The signed message {@code op.message(poseidon2, rollupId)}, which identifies the transaction. */
  public Fr txHash() {
    return txHash;
  }

  /** {@code compress(pkX, pkY)} of the signer's key, compared with the account's. */
  public Fr keyHash() {
    return keyHash;
  }

  @Override
  public OpCode opCode() {
    return signed.opCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedOp other && signed.equals(other.signed) && txHash.equals(other.txHash) && keyHash.equals(other.keyHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signed, txHash, keyHash);
  }

  @Override
  public String toString() {
    return "VerifiedOp[signed=" + signed + ", txHash=" + txHash + ", keyHash=" + keyHash + "]";
  }
}
