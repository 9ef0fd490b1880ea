package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account as the state tree commits to it (docs/protocol.md, "Leaf layout" and "Accounts have an
 * owner"): the hash of its Baby Jubjub public key, its L1 owner and token, the balance and the
 * nonce. The leaf value is
 *
 * <pre>
 * keyHash    = compress(pubKeyX, pubKeyY)
 * ownerToken = owner · 2^32 + token
 * idHash     = compress(keyHash, ownerToken)
 * leaf       = compress(idHash, balance · 2^64 + nonce)
 * </pre>
 *
 * An index with no account holds the empty leaf 0 instead. An account is (key, owner, token): a
 * deposit goes to the account with its idHash, so the same key may have accounts of several owners.
 *
 * <p>Ranges: the balance is below {@code 2^128} and the nonce below {@code 2^63} (a non-negative
 * Java {@code long}). They make the packing {@code balance · 2^64 + nonce} injective and below
 * {@code 2^192 < p}; the circuit range-checks both wherever it opens a leaf, so a prover cannot move
 * value between the two parts. The token is below {@code 2^16} (protocol v3: a 16-bit id in a
 * 32-bit slot whose high 16 bits are 0) and the owner below {@code 2^160}, so {@code ownerToken <
 * 2^192 < p} is injective too. The leaf stores only the key's hash, so a
 * receiver's or a deposit's leaf can be recomputed without the key.
 *
 * @param keyHash {@code compress(pubKeyX, pubKeyY)} of the account's key; see {@link #keyHash}
 * @param owner the L1 address that owns the account
 * @param token the account's token, {@code 0 ≤ token < 2^16}: {@link #ETH} (0) or a listed ERC-20
 *     token (1 … 65,535, in the order L1 lists them)
 * @param balance the balance in the token's smallest unit, {@code 0 ≤ balance < 2^128}
 * @param nonce the number of transactions the account has sent, {@code ≥ 0}
 */
public record AccountLeaf(Fr keyHash, Owner owner, long token, BigInteger balance, long nonce) {

  /** The token of ETH. */
  public static final long ETH = 0;

  /** The width of the token's slot in {@code ownerToken = owner · 2^TOKEN_BITS + token}. */
  public static final int TOKEN_BITS = 32;

  /** Token ids are below {@code 2^TOKEN_ID_BITS} (bits 16–31 of the slot are 0). */
  public static final int TOKEN_ID_BITS = 16;

  /** The largest token id, {@code 2^16 - 1}. */
  public static final long MAX_TOKEN = (1L << TOKEN_ID_BITS) - 1;

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
   * @throws IllegalArgumentException if the balance is negative or ≥ 2^128, the nonce negative or
   *     the token outside {@code [0, 2^16)}
   */
  public AccountLeaf {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(balance, "balance");
    if (token < 0 || token > MAX_TOKEN) {
      throw new IllegalArgumentException("token must be in [0, 2^16), got " + token);
    }
    if (balance.signum() < 0 || balance.bitLength() > BALANCE_BITS) {
      throw new IllegalArgumentException("balance must be in [0, 2^128), got " + balance);
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be in [0, 2^63), got " + nonce);
    }
  }

  /** An ETH account ({@code token} {@link #ETH}). */
  public AccountLeaf(Fr keyHash, Owner owner, BigInteger balance, long nonce) {
    this(keyHash, owner, ETH, balance, nonce);
  }

  /** What a leaf stores of a public key: {@code compress(pubKeyX, pubKeyY)}. */
  public static Fr keyHash(Poseidon2 poseidon2, Fr pubKeyX, Fr pubKeyY) {
    return poseidon2.compress(Objects.requireNonNull(pubKeyX, "pubKeyX"), Objects.requireNonNull(pubKeyY, "pubKeyY"));
  }

  /** {@code owner · 2^32 + token}, below {@code 2^192}. */
  public static BigInteger ownerToken(Owner owner, long token) {
    return owner.address().shiftLeft(TOKEN_BITS).or(BigInteger.valueOf(token));
  }

  /** The identity of the account of {@code keyHash}, {@code owner} and {@code token}: {@code compress(keyHash, ownerToken)}. */
  public static Fr idHash(Poseidon2 poseidon2, Fr keyHash, Owner owner, long token) {
    return poseidon2.compress(Objects.requireNonNull(keyHash, "keyHash"), Fr.of(ownerToken(owner, token)));
  }

  /** The ETH account of a public key and owner, with the given balance and nonce. */
  public static AccountLeaf of(Poseidon2 poseidon2, Fr pubKeyX, Fr pubKeyY, Owner owner, BigInteger balance, long nonce) {
    return new AccountLeaf(keyHash(poseidon2, pubKeyX, pubKeyY), owner, ETH, balance, nonce);
  }

  /** This account's {@code owner · 2^32 + token}. */
  public BigInteger ownerToken() {
    return ownerToken(owner, token);
  }

  /** This account's {@code idHash = compress(keyHash, ownerToken)}. */
  public Fr idHash(Poseidon2 poseidon2) {
    return idHash(poseidon2, keyHash, owner, token);
  }

  /** Whether this is the account of {@code keyHash}, {@code owner} and {@code token} (the same idHash). */
  public boolean isAccountOf(Fr keyHash, Owner owner, long token) {
    return this.keyHash.equals(keyHash) && this.owner.equals(owner) && this.token == token;
  }

  /** The second compression input: {@code balance · 2^64 + nonce}, below {@code 2^192}. */
  public Fr packedBalanceNonce() {
    return Fr.of(balance.shiftLeft(NONCE_SHIFT).or(BigInteger.valueOf(nonce)));
  }

  /** The leaf value: {@code compress(idHash, balance · 2^64 + nonce)}. */
  public Fr hash(Poseidon2 poseidon2) {
    return poseidon2.compress(idHash(poseidon2), packedBalanceNonce());
  }

  /** The same account with another balance (range-checked). */
  public AccountLeaf withBalance(BigInteger newBalance) {
    return new AccountLeaf(keyHash, owner, token, newBalance, nonce);
  }

  /** The same account with another nonce (range-checked). */
  public AccountLeaf withNonce(long newNonce) {
    return new AccountLeaf(keyHash, owner, token, balance, newNonce);
  }
}
