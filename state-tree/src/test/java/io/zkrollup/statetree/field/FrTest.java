package io.zkrollup.statetree.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrTest {

  private static final BigInteger P = Fr.MODULUS;
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  /** Edge values and random ones, including values with the top limb bits set. */
  private static List<BigInteger> samples() {
    List<BigInteger> out = new ArrayList<>();
    for (long v : new long[] {0, 1, 2, 3, 0xffffffffL, Long.MAX_VALUE}) {
      out.add(BigInteger.valueOf(v));
    }
    out.add(P.subtract(BigInteger.ONE));
    out.add(P.subtract(BigInteger.TWO));
    out.add(P.shiftRight(1));
    out.add(P.shiftRight(1).add(BigInteger.ONE));
    out.add(BigInteger.ONE.shiftLeft(64));
    out.add(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    out.add(BigInteger.ONE.shiftLeft(192).subtract(BigInteger.ONE));
    out.add(BigInteger.ONE.shiftLeft(253));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 60; i++) {
      out.add(randomBelowP(random));
    }
    return out;
  }

  static BigInteger randomBelowP(SplittableRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return new BigInteger(1, b).mod(P);
  }

  @Test
  void arithmeticMatchesBigIntegerOnEdgeAndRandomValues() {
    List<BigInteger> values = samples();
    for (BigInteger a : values) {
      Fr fa = Fr.of(a);
      assertThat(fa.toBigInteger()).isEqualTo(a);
      assertThat(fa.negate().toBigInteger()).isEqualTo(a.negate().mod(P));
      assertThat(fa.square().toBigInteger()).isEqualTo(a.multiply(a).mod(P));
      for (BigInteger b : values) {
        Fr fb = Fr.of(b);
        assertThat(fa.add(fb).toBigInteger()).as("%s + %s", a, b).isEqualTo(a.add(b).mod(P));
        assertThat(fa.subtract(fb).toBigInteger()).as("%s - %s", a, b).isEqualTo(a.subtract(b).mod(P));
        assertThat(fa.multiply(fb).toBigInteger()).as("%s * %s", a, b).isEqualTo(a.multiply(b).mod(P));
      }
    }
  }

  @Test
  void fieldLaws() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      Fr a = Fr.of(randomBelowP(random));
      Fr b = Fr.of(randomBelowP(random));
      Fr c = Fr.of(randomBelowP(random));
      assertThat(a.add(b)).isEqualTo(b.add(a));
      assertThat(a.multiply(b)).isEqualTo(b.multiply(a));
      assertThat(a.add(b).add(c)).isEqualTo(a.add(b.add(c)));
      assertThat(a.multiply(b).multiply(c)).isEqualTo(a.multiply(b.multiply(c)));
      assertThat(a.multiply(b.add(c))).isEqualTo(a.multiply(b).add(a.multiply(c)));
      assertThat(a.add(Fr.ZERO)).isEqualTo(a);
      assertThat(a.multiply(Fr.ONE)).isEqualTo(a);
      assertThat(a.multiply(Fr.ZERO)).isEqualTo(Fr.ZERO);
      assertThat(a.add(a.negate())).isEqualTo(Fr.ZERO);
      assertThat(a.subtract(b)).isEqualTo(a.add(b.negate()));
      if (!a.isZero()) {
        assertThat(a.multiply(a.inverse())).isEqualTo(Fr.ONE);
      }
    }
  }

  @Test
  void edgeCasesZeroOneAndPMinusOne() {
    Fr pMinus1 = Fr.of(P.subtract(BigInteger.ONE));
    assertThat(pMinus1.add(Fr.ONE)).isEqualTo(Fr.ZERO);
    assertThat(pMinus1.multiply(pMinus1)).isEqualTo(Fr.ONE); // (-1)^2
    assertThat(pMinus1).isEqualTo(Fr.ONE.negate());
    assertThat(Fr.ZERO.negate()).isEqualTo(Fr.ZERO);
    assertThat(Fr.ZERO.subtract(Fr.ONE)).isEqualTo(pMinus1);
    assertThat(Fr.ONE.inverse()).isEqualTo(Fr.ONE);
    assertThat(pMinus1.inverse()).isEqualTo(pMinus1);
    assertThat(Fr.of(2).pow(BigInteger.valueOf(256)).toBigInteger()).isEqualTo(TWO_256.mod(P));
    assertThat(Fr.of(5).pow(P.subtract(BigInteger.ONE))).isEqualTo(Fr.ONE); // Fermat
    assertThatThrownBy(Fr.ZERO::inverse).isInstanceOf(ArithmeticException.class);
    assertThat(Fr.ZERO.isZero()).isTrue();
    assertThat(Fr.ONE.isZero()).isFalse();
    assertThat(Fr.reduce(BigInteger.ONE.negate())).isEqualTo(pMinus1);
    assertThat(Fr.reduce(P)).isEqualTo(Fr.ZERO);
  }

  @Test
  void canonicalEncodingRoundTripsAndIsBigEndian() {
    assertThat(Fr.ZERO.toBytes()).isEqualTo(new byte[32]);
    byte[] one = new byte[32];
    one[31] = 1;
    assertThat(Fr.ONE.toBytes()).isEqualTo(one);
    assertThat(Fr.fromBytes(one)).isEqualTo(Fr.ONE);
    Fr pMinus1 = Fr.of(P.subtract(BigInteger.ONE));
    assertThat(pMinus1.toHex())
        .isEqualTo("0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000");
    assertThat(Fr.fromHex(pMinus1.toHex())).isEqualTo(pMinus1);
    assertThat(Fr.fromHex("0x1")).isEqualTo(Fr.ONE);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100; i++) {
      BigInteger v = randomBelowP(random);
      byte[] bytes = Fr.of(v).toBytes();
      assertThat(new BigInteger(1, bytes)).isEqualTo(v);
      assertThat(Fr.fromBytes(bytes)).isEqualTo(Fr.of(v));
      byte[] framed = new byte[40];
      Fr.of(v).writeBytes(framed, 5);
      assertThat(Fr.fromBytes(framed, 5)).isEqualTo(Fr.of(v));
    }
  }

  @Test
  void rejectsNonCanonicalBytes() {
    List<BigInteger> bad =
        List.of(
            P,
            P.add(BigInteger.ONE),
            P.shiftLeft(1),
            BigInteger.ONE.shiftLeft(254),
            BigInteger.ONE.shiftLeft(255),
            TWO_256.subtract(BigInteger.ONE),
            // top limb equal to p's, lower limbs larger: exercises the borrow chain
            P.or(BigInteger.ONE.shiftLeft(191).subtract(BigInteger.ONE)));
    for (BigInteger v : bad) {
      byte[] bytes = fixed32(v);
      assertThatThrownBy(() -> Fr.fromBytes(bytes))
          .as("%s", v)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("canonical");
      assertThatThrownBy(() -> Fr.fromHex(HexFormat.of().formatHex(bytes)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Fr.of(v)).isInstanceOf(IllegalArgumentException.class);
      long[] limbs = {1, 2, 3, 4, 5};
      assertThat(FrMath.decodeCanonical(limbs, 0, bytes, 0)).isFalse();
      assertThat(limbs).containsExactly(1, 2, 3, 4, 5); // nothing written
    }
    assertThatThrownBy(() -> Fr.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.fromBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.fromBytes(new byte[40], 9)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Fr.fromBytes(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Fr.fromHex("0xzz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.fromHex("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.fromHex("1".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fr.of(BigInteger.ONE.negate())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limbOperationsAllowAliasingAndConvertForm() {
    final int l = FrMath.LIMBS;
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 50; i++) {
      BigInteger a = randomBelowP(random);
      BigInteger b = randomBelowP(random);
      long[] t = new long[2 * l + 4];
      Fr.of(a).writeMontgomery(t, 0);
      Fr.of(b).writeMontgomery(t, l);
      FrMath.mul(t, 0, t, 0, t, l); // r aliases a
      assertThat(Fr.fromMontgomery(t, 0).toBigInteger()).isEqualTo(a.multiply(b).mod(P));
      FrMath.add(t, l, t, 0, t, l); // r aliases b
      assertThat(Fr.fromMontgomery(t, l).toBigInteger()).isEqualTo(a.multiply(b).add(b).mod(P));
      Fr.of(a).writeMontgomery(t, 0);
      FrMath.square(t, l, t, 0);
      FrMath.square(t, l, t, l);
      FrMath.mul(t, l, t, l, t, 0);
      assertThat(Fr.fromMontgomery(t, l).toBigInteger()).isEqualTo(a.modPow(BigInteger.valueOf(5), P));
      Fr.of(a).writeMontgomery(t, 0);
      FrMath.dbl(t, 0, t, 0);
      assertThat(Fr.fromMontgomery(t, 0).toBigInteger()).isEqualTo(a.shiftLeft(1).mod(P));
      Fr.of(a).writeMontgomery(t, 0);
      FrMath.toWords(t, l + 1, t, 0, new long[l]);
      assertThat(t[l + 1]).isEqualTo(a.longValue());
      assertThat(t[l + 4]).isEqualTo(a.shiftRight(192).longValue());
      // Every public operation leaves limbs reduced: below 2^52.
      for (int k = 0; k < l; k++) {
        assertThat(t[k] >>> 52).isZero();
      }
    }
    // The Montgomery constant is consistent: p0 * (-p^-1) == -1 mod 2^52.
    assertThat((FrMath.P0 * FrMath.QINV) & FrMath.M).isEqualTo(FrMath.M);
    assertThat(Fr.ONE.toBigInteger()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void valueSemantics() {
    Fr a = Fr.of(123456789);
    Fr b = Fr.fromBytes(a.toBytes());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(Fr.of(123456788));
    assertThat(a.toString()).isEqualTo(a.toHex()).endsWith("75bcd15");
  }

  static byte[] fixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }
}
