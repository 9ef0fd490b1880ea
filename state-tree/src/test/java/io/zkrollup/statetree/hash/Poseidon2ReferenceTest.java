package io.zkrollup.statetree.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lazily reduced Poseidon2 against a textbook BigInteger permutation written from the
 * definition (same round keys, every operation reduced mod p), on random inputs and on the largest
 * ones, where lazy reduction is closest to its bounds.
 */
class Poseidon2ReferenceTest {

  private static final BigInteger P = Fr.MODULUS;
  private final Poseidon2 poseidon2 = new Poseidon2();

  private static BigInteger[] referencePermute(BigInteger a, BigInteger b) {
    String[][] keys = Poseidon2RoundKeys.ROUND_KEYS;
    BigInteger[] s = {a, b};
    external(s);
    int half = Poseidon2.FULL_ROUNDS / 2;
    for (int r = 0; r < keys.length; r++) {
      boolean full = r < half || r >= half + Poseidon2.PARTIAL_ROUNDS;
      if (full) {
        for (int j = 0; j < 2; j++) {
          s[j] = s[j].add(new BigInteger(keys[r][j], 16)).modPow(BigInteger.valueOf(5), P);
        }
        external(s);
      } else {
        s[0] = s[0].add(new BigInteger(keys[r][0], 16)).modPow(BigInteger.valueOf(5), P);
        BigInteger sum = s[0].add(s[1]);
        s[0] = s[0].add(sum).mod(P);
        s[1] = s[1].shiftLeft(1).add(sum).mod(P);
      }
    }
    return s;
  }

  private static void external(BigInteger[] s) {
    BigInteger sum = s[0].add(s[1]);
    s[0] = s[0].add(sum).mod(P);
    s[1] = s[1].add(sum).mod(P);
  }

  @Test
  void matchesTheTextbookPermutation() {
    SplittableRandom random = new SplittableRandom(77);
    BigInteger[] edges = {BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P.subtract(BigInteger.TWO), P.shiftRight(1)};
    for (int i = 0; i < 600; i++) {
      BigInteger a = i < 25 ? edges[i / 5] : random(random);
      BigInteger b = i < 25 ? edges[i % 5] : random(random);
      BigInteger[] want = referencePermute(a, b);
      Fr[] got = poseidon2.permute(Fr.of(a), Fr.of(b));
      assertThat(got[0].toBigInteger()).as("permute(%s, %s)[0]", a, b).isEqualTo(want[0]);
      assertThat(got[1].toBigInteger()).as("permute(%s, %s)[1]", a, b).isEqualTo(want[1]);
    }
  }

  private static BigInteger random(SplittableRandom random) {
    if (random.nextInt(4) == 0) {
      return P.subtract(BigInteger.valueOf(random.nextLong(1, 1 << 30))); // near p
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return new BigInteger(1, bytes).mod(P);
  }
}
