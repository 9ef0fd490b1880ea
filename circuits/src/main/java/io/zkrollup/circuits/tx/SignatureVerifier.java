package io.zkrollup.circuits.tx;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies the signatures of signed ops for one rollup and turns those that verify into {@link
 * VerifiedOp}s, with the transaction hash (the signed message) and the key hash the later rules
 * need.
 *
 * <p>Keeps the key hashes of the keys it has seen (a returning sender costs no hash), so it is not
 * thread-safe: one per verifying thread.
 */
public final class SignatureVerifier {

  /** Enough for the active senders; past it the cache starts over rather than growing without bound. */
  private static final int KEY_HASHES = 1 << 16;

  private final Poseidon2 poseidon2;
  private final long rollupId;
  private final Map<EdDsaPublicKey, Fr> keyHashes = new HashMap<>();

  /**
   * @param poseidon2 the hash of messages and keys
   * @param rollupId the rollup the signatures must be for (64 bits, read as unsigned)
   */
  public SignatureVerifier(Poseidon2 poseidon2, long rollupId) {
    this.poseidon2 = Objects.requireNonNull(poseidon2, "poseidon2");
    this.rollupId = rollupId;
  }

  /**
   * Verifies {@code op}'s signature of its message for this rollup.
   *
   * @return the verified op, or null if the signature does not verify (null rather than an empty
   *     Optional: this runs once per submitted op and allocates nothing it does not keep)
   */
  public VerifiedOp verify(SignedOp op) {
    Fr message = op.op().message(poseidon2, rollupId);
    if (!op.publicKey().verify(op.signature(), message)) {
      return null;
    }
    Fr keyHash = keyHashes.get(op.publicKey());
    if (keyHash == null) {
      keyHash = AccountLeaf.keyHash(poseidon2, op.publicKey().point().x(), op.publicKey().point().y());
      if (keyHashes.size() >= KEY_HASHES) {
        keyHashes.clear();
      }
      keyHashes.put(op.publicKey(), keyHash);
    }
    return new VerifiedOp(op, message, keyHash);
  }
}
