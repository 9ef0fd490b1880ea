package io.zkrollup.circuits.tx;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;

/**
 * An operation its account owner signs (docs/protocol.md, "Protocol v3", "Signed message"): the
 * owner signs one field element
 *
 * <pre>
 * msg = compress(e1, compress(e2, e3))
 * e1  = opCode·2^208 + rollupId·2^144 + from·2^112 + nonce·2^48 + maxFee16·2^32 + token
 * e2  = amount
 * e3  = to (transfer) | l1Address as a 160-bit integer (withdrawal)
 * </pre>
 *
 * The rollup id is the deployment's 64-bit id (unsigned) and the token the sender account's: a
 * signature is bound to one deployment and one token. This is the one definition of the message;
 * the circuit computes the same (native/batch, {@code verifySigned}) and the Go vectors check it.
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

  /** The signer account's token, {@code < 2^16} (0 is ETH). */
  int token();

  /** The destination as the message's {@code e3} and the witness's {@code dest}. */
  BigInteger dest();

  /** The float16 of {@link #maxFee()}. */
  default Float16 maxFee16() {
    return Float16.encode(maxFee());
  }

  /**
   * {@code e1}: the op code, rollup id, signer, nonce, max fee and token packed into one field
   * element (below {@code 2^210}).
   *
   * @param rollupId the 64-bit rollup id, read as unsigned
   */
  default Fr e1(long rollupId) {
    BigInteger e1 =
        BigInteger.valueOf(opCode().code())
            .shiftLeft(208)
            .or(Ranges.unsignedRollupId(rollupId).shiftLeft(144))
            .or(BigInteger.valueOf(from()).shiftLeft(112))
            .or(BigInteger.valueOf(nonce()).shiftLeft(48))
            .or(BigInteger.valueOf(maxFee16().bits()).shiftLeft(32))
            .or(BigInteger.valueOf(token()));
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
