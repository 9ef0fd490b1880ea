package io.zkrollup.sdk;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * An account key: EdDSA on Baby Jubjub derived from a 32-byte seed exactly as gnark-crypto derives
 * it (docs/eddsa.md). The seed is the secret; the public key signs for every account the key holds;
 * the key hash, {@code compress(pkX, pkY)}, is what an L1 deposit names and what {@link
 * RollupClient#findAccounts(Fr)} looks accounts up by. In protocol v2 an account is (key, L1
 * owner, token), so one key can hold several accounts.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the public key only.
 */
public final class AccountKey {

  /** Bytes in a seed. */
  public static final int SEED_BYTES = EdDsaPrivateKey.SEED_BYTES;

  private final byte[] seed;
  private final EdDsaPrivateKey key;
  private final Fr keyHash;

  private AccountKey(byte[] seed) {
    this.seed = seed.clone();
    this.key = EdDsaPrivateKey.fromSeed(this.seed);
    EdDsaPublicKey a = key.publicKey();
    this.keyHash = AccountLeaf.keyHash(Hashing.POSEIDON2, a.point().x(), a.point().y());
  }

  /**
   * The key derived from {@code seed}.
   *
   * @param seed 32 bytes of secret randomness (copied)
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static AccountKey fromSeed(byte[] seed) {
    return new AccountKey(Objects.requireNonNull(seed, "seed"));
  }

  /** A new key from a random seed of {@code random}. */
  public static AccountKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    Objects.requireNonNull(random, "random").nextBytes(seed);
    return new AccountKey(seed);
  }

  /** A new key from a random seed of a fresh {@link SecureRandom}. */
  public static AccountKey generate() {
    return generate(new SecureRandom());
  }

  /** A copy of the seed: the secret, for a key file ({@link KeyFile#write}). */
  public byte[] seed() {
    return seed.clone();
  }

  /** The private key that signs (what {@link Wallet} signs with). */
  public EdDsaPrivateKey privateKey() {
    return key;
  }

  /** The public key. */
  public EdDsaPublicKey publicKey() {
    return key.publicKey();
  }

  /** The key hash {@code compress(pkX, pkY)}: what a deposit names and accounts are found by. */
  public Fr keyHash() {
    return keyHash;
  }

  /** Equal keys have equal seeds. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AccountKey other && java.security.MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return key.publicKey().hashCode();
  }

  /** The public key only, never the seed. */
  @Override
  public String toString() {
    return "AccountKey[publicKey=" + key.publicKey() + "]";
  }
}
