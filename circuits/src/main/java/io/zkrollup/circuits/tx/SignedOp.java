package io.zkrollup.circuits.tx;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.Objects;

/**
 * A {@link Transfer} or {@link Withdrawal} with its signer's public key and signature. The key is
 * carried because the state tree stores only its hash; the batch builder checks that it hashes to
 * the signer account's key hash and that the signature is valid.
 *
 * @param op the signed operation
 * @param publicKey the signer's public key
 * @param signature the signature of {@code op.message(poseidon2, rollupId)}
 */
public record SignedOp(SignableOp op, EdDsaPublicKey publicKey, EdDsaSignature signature) implements BatchOp {

  /** Checks for nulls. */
  public SignedOp {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(signature, "signature");
  }

  @Override
  public OpCode opCode() {
    return op.opCode();
  }

  /** Whether the signature is valid for the op in the rollup {@code rollupId}. */
  public boolean verify(Poseidon2 poseidon2, long rollupId) {
    return publicKey.verify(signature, op.message(poseidon2, rollupId));
  }
}
