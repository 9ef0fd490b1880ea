package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account as the state tree commits to it (docs/protocol.md, "Leaf layout"): the hash of the
 * owner's Baby Jubjub public key, the balance and the nonce. The leaf value is
 *
 * <pre>
 * keyHash = compress(pubKeyX, pubKeyY)
 * leaf    = compress(keyHash, balance · 2^64 + nonce)
 * </pre>
 *
 * An index with no account holds the empty leaf 0 instead.
 *
 * <p>Ranges: the balance is below {@code 2^128} and the nonce below {@code 2^63} (a non-negative
 * Java {@code long}). They make the packing {@code balance · 2^64 + nonce} injective and below
 * {@code 2^192 < p}; the circuit range-checks both wherever it opens a leaf, so a prover cannot move
 * value between the two parts. The leaf stores only the key's hash, so a receiver's or a deposit's
 * leaf can be recomputed without the key (one compression instead of two).
 *
 * @param keyHash {@code compress(pubKeyX, pubKeyY)} of the owner's public key; see {@link #keyHash}
 * @param balance the balance in the rollup asset's smallest unit, {@code 0 ≤ balance < 2^128}
 * @param nonce the number of transactions the account has sent, {@code ≥ 0}
 */
public record AccountLeaf(Fr keyHash, BigInteger balance, long nonce) {

  /** Balances are below {@code 2^BALANCE_BITS}. */
  public static final int BALANCE_BITS = 128;

  /** The largest balance, {@code 2^128 - 1}. */
  public static final BigInteger MAX_BALANCE = BigInteger.ONE.shiftLeft(BALANCE_BITS).subtract(BigInteger.ONE);

  /** The nonce occupies the low {@code NONCE_SHIFT} bits of the packed value. */
  public static final int NONCE_SHIFT = 64;

  /** The leaf value of an index without an account. */
  public static final Fr EMPTY_LEAF = Fr.ZERO;

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the balance is negative or ≥ 2^128, or the nonce negative
   */
  public AccountLeaf {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(balance, "balance");
    if (balance.signum() < 0 || balance.bitLength() > BALANCE_BITS) {
      throw new IllegalArgumentException("balance must be in [0, 2^128), got " + balance);
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be in [0, 2^63), got " + nonce);
    }
  }

  /** What a leaf stores of a public key: {@code compress(pubKeyX, pubKeyY)}. */
  public static Fr keyHash(Poseidon2 poseidon2, Fr pubKeyX, Fr pubKeyY) {
    return poseidon2.compress(Objects.requireNonNull(pubKeyX, "pubKeyX"), Objects.requireNonNull(pubKeyY, "pubKeyY"));
  }

  /** The account of a public key: its {@link #keyHash} with the given balance and nonce. */
  public static AccountLeaf of(Poseidon2 poseidon2, Fr pubKeyX, Fr pubKeyY, BigInteger balance, long nonce) {
    return new AccountLeaf(keyHash(poseidon2, pubKeyX, pubKeyY), balance, nonce);
  }

  /** The second compression input: {@code balance · 2^64 + nonce}, below {@code 2^192}. */
  public Fr packedBalanceNonce() {
    return Fr.of(balance.shiftLeft(NONCE_SHIFT).or(BigInteger.valueOf(nonce)));
  }

  /** The leaf value: {@code compress(keyHash, balance · 2^64 + nonce)}. */
  public Fr hash(Poseidon2 poseidon2) {
    return poseidon2.compress(keyHash, packedBalanceNonce());
  }

  /** The same account with another balance (range-checked). */
  public AccountLeaf withBalance(BigInteger newBalance) {
    return new AccountLeaf(keyHash, newBalance, nonce);
  }

  /** The same account with another nonce (range-checked). */
  public AccountLeaf withNonce(long newNonce) {
    return new AccountLeaf(keyHash, balance, newNonce);
  }
}
