package io.zkrollup.circuits.tx;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;

/**
 * An operation its account owner signs (docs/protocol.md, "Signed message"): the owner signs one
 * field element
 *
 * <pre>
 * msg = compress(e1, compress(e2, e3))
 * e1  = opCode·2^184 + rollupId·2^152 + from·2^120 + nonce·2^56 + maxFee16·2^40
 * e2  = amount
 * e3  = to (transfer) | l1Address as a 160-bit integer (withdrawal)
 * </pre>
 */
public sealed interface SignableOp permits Transfer, Withdrawal {

  /** The op code (transfer or withdrawal). */
  OpCode opCode();

  /** The signer's account index. */
  long from();

  /** The exact amount (for a transfer, the value of its float16). */
  BigInteger amount();

  /** The most the signer pays as batch fee; float16-representable. */
  BigInteger maxFee();

  /** The signer's account nonce this op consumes. */
  long nonce();

  /** The destination as the message's {@code e3} and the witness's {@code dest}. */
  BigInteger dest();

  /** The float16 of {@link #maxFee()}. */
  default Float16 maxFee16() {
    return Float16.encode(maxFee());
  }

  /**
   * {@code e1}: the op code, rollup id, signer, nonce and max fee packed into one field element.
   *
   * @throws IllegalArgumentException if the rollup id is not 32 bits
   */
  default Fr e1(long rollupId) {
    Ranges.checkU32("rollupId", rollupId);
    BigInteger e1 =
        BigInteger.valueOf(opCode().code())
            .shiftLeft(184)
            .or(BigInteger.valueOf(rollupId).shiftLeft(152))
            .or(BigInteger.valueOf(from()).shiftLeft(120))
            .or(BigInteger.valueOf(nonce()).shiftLeft(56))
            .or(BigInteger.valueOf(maxFee16().bits()).shiftLeft(40));
    return Fr.of(e1);
  }

  /** {@code e2}: the exact amount. */
  default Fr e2() {
    return Fr.of(amount());
  }

  /** {@code e3}: {@link #dest()}. */
  default Fr e3() {
    return Fr.of(dest());
  }

  /** The field element the owner signs: {@code compress(e1, compress(e2, e3))}. */
  default Fr message(Poseidon2 poseidon2, long rollupId) {
    return poseidon2.compress(e1(rollupId), poseidon2.compress(e2(), e3()));
  }

  /** Signs the op's {@link #message} for {@code rollupId}. */
  default SignedOp sign(EdDsaPrivateKey key, Poseidon2 poseidon2, long rollupId) {
    return new SignedOp(this, key.publicKey(), key.sign(message(poseidon2, rollupId)));
  }
}
