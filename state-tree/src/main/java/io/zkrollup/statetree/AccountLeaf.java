package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * An account as the state tree commits to it (docs/protocol.md, "Leaf layout"): the owner's Baby
 * Jubjub public key, the balance and the nonce. The leaf value is the Poseidon2 Merkle–Damgård hash
 * of {@code (pubKeyX, pubKeyY, balance, nonce)}, each a canonical field element. An index with no
 * account holds the empty leaf 0 instead.
 *
 * <p>Ranges: the balance is below {@code 2^128} and the nonce below {@code 2^63} (a non-negative
 * Java {@code long}). Both are far below the field modulus, so a sum of two balances or a nonce
 * increment can never wrap around in the circuit; the circuit range-checks both. The key
 * coordinates are any canonical field elements here; whether they are a point on the curve is the
 * signature code's concern.
 *
 * @param pubKeyX the x coordinate of the owner's public key
 * @param pubKeyY the y coordinate of the owner's public key
 * @param balance the balance in the rollup asset's smallest unit, {@code 0 ≤ balance < 2^128}
 * @param nonce the number of transactions the account has sent, {@code ≥ 0}
 */
public record AccountLeaf(Fr pubKeyX, Fr pubKeyY, BigInteger balance, long nonce) {

  /** Balances are below {@code 2^BALANCE_BITS}. */
  public static final int BALANCE_BITS = 128;

  /** The largest balance, {@code 2^128 - 1}. */
  public static final BigInteger MAX_BALANCE = BigInteger.ONE.shiftLeft(BALANCE_BITS).subtract(BigInteger.ONE);

  /** The leaf value of an index without an account. */
  public static final Fr EMPTY_LEAF = Fr.ZERO;

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the balance is negative or ≥ 2^128, or the nonce negative
   */
  public AccountLeaf {
    Objects.requireNonNull(pubKeyX, "pubKeyX");
    Objects.requireNonNull(pubKeyY, "pubKeyY");
    Objects.requireNonNull(balance, "balance");
    if (balance.signum() < 0 || balance.bitLength() > BALANCE_BITS) {
      throw new IllegalArgumentException("balance must be in [0, 2^128), got " + balance);
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be ≥ 0, got " + nonce);
    }
  }

  /** The four hashed fields, in order: pubKeyX, pubKeyY, balance, nonce. */
  public List<Fr> fields() {
    return List.of(pubKeyX, pubKeyY, Fr.of(balance), Fr.of(nonce));
  }

  /** The leaf value: {@code Poseidon2-MD(pubKeyX, pubKeyY, balance, nonce)}. */
  public Fr hash(Poseidon2 poseidon2) {
    return poseidon2.hash(fields());
  }
}
