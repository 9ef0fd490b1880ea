package io.zkrollup.circuits.eddsa;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Random;

/** Points and encodings for the tests, built through the public API. */
final class TestPoints {
  private TestPoints() {}

  /** The compressed encoding of a y value (any 255-bit value) with the given sign bit. */
  static byte[] encodeY(BigInteger y, boolean negative) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) y.shiftRight(8 * i).intValue();
    }
    if (negative) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  /** A uniformly random scalar below 2^bits. */
  static BigInteger scalar(Random random, int bits) {
    return new BigInteger(bits, random);
  }

  /** A random point of the prime-order subgroup. */
  static EdwardsPoint subgroupPoint(Random random) {
    return BabyJubjub.BASE.multiply(scalar(random, 251));
  }

  /** A random curve point (any of the 8 cosets): a random y that has an x. */
  static EdwardsPoint curvePoint(Random random) {
    while (true) {
      try {
        return EdwardsPoint.fromBytes(encodeY(new BigInteger(253, random), random.nextBoolean()));
      } catch (IllegalArgumentException noX) {
        // about half of all y values have no x; try another
      }
    }
  }

  /** A point of order 8: ORDER·P for the first small y whose point has an order-8 component. */
  static EdwardsPoint torsion8() {
    for (int y = 2; y < 1000; y++) {
      EdwardsPoint p;
      try {
        p = EdwardsPoint.fromBytes(encodeY(BigInteger.valueOf(y), false));
      } catch (IllegalArgumentException noX) {
        continue;
      }
      EdwardsPoint t = p.multiply(BabyJubjub.ORDER);
      if (!t.multiply(BigInteger.valueOf(4)).isIdentity()) {
        return t;
      }
    }
    throw new AssertionError("no point of order 8 found");
  }

  /** An encoding whose y has no x on the curve. */
  static byte[] offCurveEncoding() {
    for (int y = 2; y < 1000; y++) {
      byte[] enc = encodeY(BigInteger.valueOf(y), false);
      try {
        EdwardsPoint.fromBytes(enc);
      } catch (IllegalArgumentException noX) {
        return enc;
      }
    }
    throw new AssertionError("no off-curve y found");
  }

  /** −1 as a field element. */
  static Fr minusOne() {
    return Fr.reduce(BigInteger.ONE.negate());
  }
}
