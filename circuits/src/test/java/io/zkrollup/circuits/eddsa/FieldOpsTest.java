package io.zkrollup.circuits.eddsa;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The field helpers against BigInteger arithmetic. */
class FieldOpsTest {

  private static final BigInteger P = Fr.MODULUS;
  private final Random random = new Random(42);

  private static long[] limbs(Fr v) {
    long[] l = new long[FieldOps.L];
    v.writeMontgomery(l, 0);
    return l;
  }

  private Fr randomElement() {
    return Fr.reduce(new BigInteger(256, random));
  }

  @Test
  void inverseAndPow() {
    for (int i = 0; i < 50; i++) {
      Fr a = randomElement();
      long[] r = new long[FieldOps.L];
      FieldOps.inverse(r, 0, limbs(a), 0);
      assertThat(Fr.fromMontgomery(r, 0).multiply(a)).isEqualTo(a.isZero() ? Fr.ZERO : Fr.ONE);
      BigInteger e = new BigInteger(1 + random.nextInt(256), random).add(BigInteger.ONE);
      FieldOps.pow(r, 0, limbs(a), 0, new FieldOps.Exponent(e));
      assertThat(Fr.fromMontgomery(r, 0).toBigInteger()).isEqualTo(a.toBigInteger().modPow(e, P));
    }
  }

  @Test
  void squareRootsOfSquaresAndNoneOfNonSquares() {
    int nonSquares = 0;
    for (int i = 0; i < 100; i++) {
      Fr a = randomElement();
      boolean square = a.toBigInteger().modPow(P.shiftRight(1), P).compareTo(BigInteger.ONE) <= 0;
      long[] r = new long[FieldOps.L];
      Arrays.fill(r, 7);
      boolean found = FieldOps.sqrt(r, 0, limbs(a), 0);
      assertThat(found).isEqualTo(square);
      if (found) {
        assertThat(Fr.fromMontgomery(r, 0).square()).isEqualTo(a);
      } else {
        assertThat(r).as("untouched").containsOnly(7);
        nonSquares++;
      }
    }
    assertThat(nonSquares).isBetween(20, 80);
    long[] r = new long[FieldOps.L];
    assertThat(FieldOps.sqrt(r, 0, limbs(Fr.ZERO), 0)).isTrue();
    assertThat(Fr.fromMontgomery(r, 0)).isEqualTo(Fr.ZERO);
    // −1 is a square (p ≡ 1 mod 4): the a = −1 curve's 4-torsion is rational
    assertThat(FieldOps.sqrt(r, 0, limbs(TestPoints.minusOne()), 0)).isTrue();
  }

  @Test
  void lexicographicallyLargestIsAboveHalfTheModulus() {
    BigInteger half = P.subtract(BigInteger.ONE).shiftRight(1);
    for (BigInteger v : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, half, half.add(BigInteger.ONE), P.subtract(BigInteger.ONE)}) {
      assertThat(FieldOps.isLexicographicallyLargest(limbs(Fr.of(v)), 0)).as("%s", v).isEqualTo(v.compareTo(half) > 0);
    }
    for (int i = 0; i < 50; i++) {
      Fr a = randomElement();
      assertThat(FieldOps.isLexicographicallyLargest(limbs(a), 0)).isEqualTo(a.toBigInteger().compareTo(half) > 0);
    }
  }
}
