package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.ExtendedPoints.POINT;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.TMP;
import static io.zkrollup.circuits.eddsa.FieldOps.L;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * An EdDSA private key, derived from a 32-byte seed exactly as gnark-crypto's {@code
 * eddsa.GenerateKey} derives it when its random source yields the seed; signatures are
 * byte-identical to gnark-crypto's {@code PrivateKey.Sign} with Poseidon2 as the challenge hash.
 *
 * <ul>
 *   <li>Key: H = Blake2b-512(seed). The scalar s is H[0..31] read little-endian after RFC 8032
 *       pruning (clear the 3 low bits and bit 255, set bit 254); the nonce source is H[32..63];
 *       A = s·B.
 *   <li>Signing one field element m: r = the first 32 bytes of Blake2b-512(nonce source ‖ m as 32
 *       big-endian bytes), read big-endian; R = r·B; h = Poseidon2(R.x, R.y, A.x, A.y, m); S = (r +
 *       h·s) mod ORDER. Signing is deterministic.
 * </ul>
 *
 * <p>Immutable and thread-safe. The base-point multiplications do not branch on or index by secret
 * data, but the scalar arithmetic modulo the order uses {@code BigInteger}, which is not
 * constant-time, and the JVM cannot wipe secrets: keep signing with long-lived keys off shared
 * hosts. {@link #toString()} does not reveal the key.
 */
public final class EdDsaPrivateKey {

  /** Size in bytes of a seed. */
  public static final int SEED_BYTES = 32;

  private final BigInteger scalar;
  private final byte[] nonceSource;
  private final EdDsaPublicKey publicKey;

  private EdDsaPrivateKey(BigInteger scalar, byte[] nonceSource, EdDsaPublicKey publicKey) {
    this.scalar = scalar;
    this.nonceSource = nonceSource;
    this.publicKey = publicKey;
  }

  /**
   * The key gnark-crypto's {@code GenerateKey} derives from {@code seed}.
   *
   * @param seed 32 bytes of secret randomness (not modified)
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static EdDsaPrivateKey fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException(
          "an EdDSA seed is " + SEED_BYTES + " bytes, got " + seed.length);
    }
    byte[] h = blake2b512(seed);
    byte[] nonceSource = Arrays.copyOfRange(h, 32, 64);
    h[0] &= (byte) 0xf8;
    h[31] &= (byte) 0x7f;
    h[31] |= (byte) 0x40;
    byte[] bigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = h[31 - i];
    }
    BigInteger scalar = new BigInteger(1, bigEndian);
    Arrays.fill(h, (byte) 0);
    Arrays.fill(bigEndian, (byte) 0);
    EdwardsPoint a = BabyJubjub.multiplyBase(scalar);
    if (a.isIdentity()) {
      // s = 16·ORDER is a valid pruned scalar: probability about 2^-250 per seed.
      throw new IllegalArgumentException("this seed derives the identity as public key");
    }
    return new EdDsaPrivateKey(scalar, nonceSource, EdDsaPublicKey.ofTrusted(a));
  }

  /** The public key A = s·B. */
  public EdDsaPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs one field element (the rollup signs a Poseidon2 hash of the transaction).
   *
   * @throws IllegalStateException in the case gnark-crypto would produce an undecodable signature
   *     (S = 0, probability about 2^-251)
   */
  public EdDsaSignature sign(Fr message) {
    Objects.requireNonNull(message, "message");
    byte[] nonceInput = new byte[32 + Fr.BYTES];
    System.arraycopy(nonceSource, 0, nonceInput, 0, 32);
    message.writeBytes(nonceInput, 32);
    byte[] nonceHash = blake2b512(nonceInput);
    BigInteger nonce = new BigInteger(1, Arrays.copyOf(nonceHash, 32));
    Arrays.fill(nonceHash, (byte) 0);

    long[] p = new long[POINT];
    ScalarMul.mulBase(p, 0, BabyJubjub.reducedLimbs(nonce));
    long[] r = new long[2 * L];
    ExtendedPoints.toAffine(r, 0, r, L, p, 0, new long[TMP]);

    long[] h = new long[FieldOps.WORDS];
    Challenge.compute(h, r, publicKey.point().limbs(), message);
    BigInteger challenge = toBigInteger(h);
    BigInteger s = challenge.multiply(scalar).add(nonce).mod(BabyJubjub.ORDER);
    if (s.signum() == 0) {
      throw new IllegalStateException("signature with S = 0; gnark-crypto could not decode it");
    }
    return EdDsaSignature.ofTrusted(EdwardsPoint.fromTrustedLimbs(r, 0, r, L), s);
  }

  private static BigInteger toBigInteger(long[] plain) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[31 - i] = (byte) (plain[i / 8] >>> (8 * (i % 8)));
    }
    return new BigInteger(1, be);
  }

  private static byte[] blake2b512(byte[] in) {
    Blake2bDigest digest = new Blake2bDigest(512);
    digest.update(in, 0, in.length);
    byte[] out = new byte[64];
    digest.doFinal(out, 0);
    return out;
  }

  /** Names the public key only. */
  @Override
  public String toString() {
    return "EdDsaPrivateKey[publicKey=" + publicKey + "]";
  }
}
