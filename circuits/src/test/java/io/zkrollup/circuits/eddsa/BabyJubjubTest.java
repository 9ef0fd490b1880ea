package io.zkrollup.circuits.eddsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Curve parameters and group laws, checked against the textbook affine formulas. */
class BabyJubjubTest {

  private static final BigInteger P = Fr.MODULUS;
  private static final BigInteger ORDER = BabyJubjub.ORDER;
  private final Random random = new Random(20261124);

  private static boolean isSquare(Fr v) {
    return v.toBigInteger().modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  @Test
  void parametersAreGnarkCryptos() {
    // ecc/bn254/twistededwards/curve.go, initCurveParams
    assertThat(BabyJubjub.A).isEqualTo(TestPoints.minusOne());
    assertThat(BabyJubjub.D.toBigInteger())
        .isEqualTo(new BigInteger("12181644023421730124874158521699555681764249180949974110617291017600649128846"));
    assertThat(ORDER)
        .isEqualTo(new BigInteger("2736030358979909402780800718157159386076813972158567259200215660948447373041"));
    assertThat(BabyJubjub.COFACTOR).isEqualTo(8);
    assertThat(BabyJubjub.BASE.x().toBigInteger())
        .isEqualTo(new BigInteger("9671717474070082183213120605117400219616337014328744928644933853176787189663"));
    assertThat(BabyJubjub.BASE.y().toBigInteger())
        .isEqualTo(new BigInteger("16950150798460657717958625567821834550301663161624707787222815936182638968203"));
    assertThat(ORDER.isProbablePrime(64)).isTrue();
    // a square and d not: the addition law is complete, which the extended formulas rely on
    assertThat(isSquare(BabyJubjub.A)).isTrue();
    assertThat(isSquare(BabyJubjub.D)).isFalse();
  }

  @Test
  void theBaseHasThePrimeOrder() {
    assertThat(BabyJubjub.BASE.isInPrimeSubgroup()).isTrue();
    assertThat(BabyJubjub.BASE.multiply(ORDER).isIdentity()).isTrue();
    assertThat(BabyJubjub.BASE.multiply(ORDER.subtract(BigInteger.ONE))).isEqualTo(BabyJubjub.BASE.negate());
    assertThat(BabyJubjub.BASE.multiply(BigInteger.valueOf(BabyJubjub.COFACTOR)).isIdentity()).isFalse();
    assertThat(BabyJubjub.multiplyBase(ORDER).isIdentity()).isTrue();
  }

  @Test
  void theGroupHasOrderEightTimesOrder() {
    EdwardsPoint t8 = TestPoints.torsion8();
    assertThat(t8.multiply(BigInteger.valueOf(8)).isIdentity()).isTrue();
    assertThat(t8.multiply(BigInteger.valueOf(4))).isEqualTo(EdwardsPoint.of(Fr.ZERO, TestPoints.minusOne()));
    for (int i = 0; i < 8; i++) {
      EdwardsPoint p = TestPoints.curvePoint(random);
      assertThat(p.multiply(ORDER.shiftLeft(3)).isIdentity()).as("8·ORDER·P for %s", p).isTrue();
    }
  }

  @Test
  void additionAndDoublingMatchTheAffineFormulas() {
    for (int i = 0; i < 20; i++) {
      EdwardsPoint p = i % 2 == 0 ? TestPoints.subgroupPoint(random) : TestPoints.curvePoint(random);
      EdwardsPoint q = TestPoints.curvePoint(random);
      assertThat(p.add(q)).isEqualTo(AffineReference.add(p, q));
      assertThat(p.twice()).isEqualTo(AffineReference.add(p, p));
      assertThat(p.add(p)).isEqualTo(p.twice());
      assertThat(p.add(q)).isEqualTo(q.add(p));
      assertThat(p.add(EdwardsPoint.IDENTITY)).isEqualTo(p);
      assertThat(p.add(p.negate()).isIdentity()).isTrue();
      EdwardsPoint s = TestPoints.curvePoint(random);
      assertThat(p.add(q).add(s)).isEqualTo(p.add(q.add(s)));
    }
    // the exceptional-looking cases of the complete formulas: identity and torsion
    EdwardsPoint t8 = TestPoints.torsion8();
    assertThat(EdwardsPoint.IDENTITY.twice()).isEqualTo(EdwardsPoint.IDENTITY);
    assertThat(t8.twice()).isEqualTo(AffineReference.add(t8, t8));
    assertThat(t8.twice().twice()).isEqualTo(EdwardsPoint.of(Fr.ZERO, TestPoints.minusOne()));
  }

  @Test
  void scalarMultiplicationMatchesDoubleAndAdd() {
    for (int i = 0; i < 6; i++) {
      EdwardsPoint p = TestPoints.curvePoint(random);
      BigInteger k = TestPoints.scalar(random, 200 + 20 * i);
      assertThat(p.multiply(k)).as("k = %s", k).isEqualTo(AffineReference.multiply(p, k));
    }
    EdwardsPoint p = TestPoints.curvePoint(random);
    assertThat(p.multiply(BigInteger.ZERO)).isEqualTo(EdwardsPoint.IDENTITY);
    assertThat(p.multiply(BigInteger.ONE)).isEqualTo(p);
    assertThat(p.multiply(BigInteger.valueOf(-3))).isEqualTo(p.twice().add(p).negate());
    // scalars past 256 bits are not truncated
    BigInteger big = BigInteger.ONE.shiftLeft(300).add(BigInteger.valueOf(5));
    assertThat(p.multiply(big)).isEqualTo(AffineReference.multiply(p, big));
  }

  @Test
  void baseMultiplicationMatchesGenericMultiplication() {
    BigInteger[] scalars = {
      BigInteger.ZERO,
      BigInteger.ONE,
      BigInteger.valueOf(8),
      ORDER.subtract(BigInteger.ONE),
      ORDER.add(BigInteger.TWO),
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
      BigInteger.valueOf(-7),
      // every signed radix-16 digit at its extremes
      new BigInteger("8".repeat(62), 16),
      new BigInteger("7".repeat(62), 16),
      new BigInteger("f".repeat(62), 16),
    };
    for (BigInteger k : scalars) {
      assertThat(BabyJubjub.multiplyBase(k)).as("k = %s", k).isEqualTo(BabyJubjub.BASE.multiply(k.mod(ORDER)));
    }
    for (int i = 0; i < 20; i++) {
      BigInteger k = TestPoints.scalar(random, 256);
      assertThat(BabyJubjub.multiplyBase(k)).isEqualTo(BabyJubjub.BASE.multiply(k));
    }
    assertThat(AffineReference.multiply(BabyJubjub.BASE, BigInteger.valueOf(1000003)))
        .isEqualTo(BabyJubjub.multiplyBase(BigInteger.valueOf(1000003)));
  }

  @Test
  void verificationMultiplicationIsSPlusHTimesQ() {
    for (int i = 0; i < 24; i++) {
      BigInteger s =
          switch (i) {
            case 0, 1 -> BigInteger.ZERO;
            case 2 -> ORDER.subtract(BigInteger.ONE);
            default -> TestPoints.scalar(random, 251).mod(ORDER);
          };
      BigInteger h =
          switch (i) {
            case 0, 2 -> BigInteger.ZERO;
            case 3 -> BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
            default -> TestPoints.scalar(random, 254);
          };
      EdwardsPoint q = TestPoints.curvePoint(random);
      long[] sl = new long[FieldOps.WORDS];
      long[] hl = new long[FieldOps.WORDS];
      FieldOps.toPlainLimbs(s, sl);
      FieldOps.toPlainLimbs(h, hl);
      long[] r = new long[ExtendedPoints.POINT];
      ScalarMul.mulBasePlusVar(r, 0, sl, hl, q.extended(), 0);
      assertThat(EdwardsPoint.fromExtended(r, 0)).isEqualTo(BabyJubjub.BASE.multiply(s).add(q.multiply(h)));
      // a valid extended point: T·Z = X·Y
      long[] xy = new long[2 * FieldOps.L];
      FrMath.mul(xy, 0, r, ExtendedPoints.X, r, ExtendedPoints.Y);
      FrMath.mul(xy, FieldOps.L, r, ExtendedPoints.T, r, ExtendedPoints.Z);
      assertThat(Fr.fromMontgomery(xy, 0)).isEqualTo(Fr.fromMontgomery(xy, FieldOps.L));
    }
  }

  @Test
  void wnafDigitsRebuildTheScalar() {
    for (int w : new int[] {ScalarMul.VAR_WIDTH, ScalarMul.BASE_WIDTH}) {
      for (int i = 0; i < 200; i++) {
        BigInteger k =
            i == 0 ? BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE) : TestPoints.scalar(random, 1 + i % 256);
        long[] limbs = new long[FieldOps.WORDS];
        FieldOps.toPlainLimbs(k, limbs);
        int[] naf = ScalarMul.wnaf(limbs, w);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -100;
        for (int j = 0; j < naf.length; j++) {
          if (naf[j] != 0) {
            assertThat(naf[j] % 2).isNotZero();
            assertThat(Math.abs(naf[j])).isLessThan(1 << (w - 1));
            assertThat(j - lastNonZero).isGreaterThanOrEqualTo(w);
            lastNonZero = j;
            sum = sum.add(BigInteger.valueOf(naf[j]).shiftLeft(j));
          }
        }
        assertThat(sum).as("w = %d, k = %s", w, k).isEqualTo(k);
      }
    }
  }

  @Test
  void subgroupCheckAgreesWithMultiplicationByTheOrder() {
    EdwardsPoint t8 = TestPoints.torsion8();
    int inSubgroup = 0;
    for (int i = 0; i < 64; i++) {
      EdwardsPoint p = TestPoints.curvePoint(random);
      boolean expected = p.multiply(ORDER).isIdentity();
      assertThat(p.isInPrimeSubgroup()).as("%s", p).isEqualTo(expected);
      inSubgroup += expected ? 1 : 0;
    }
    assertThat(inSubgroup).as("about 1 in 8 random points is in the subgroup").isBetween(1, 30);
    for (int i = 0; i < 8; i++) {
      EdwardsPoint p = TestPoints.subgroupPoint(random);
      assertThat(p.isInPrimeSubgroup()).isTrue();
      EdwardsPoint torsion = t8;
      for (int k = 1; k < 8; k++) {
        assertThat(p.add(torsion).isInPrimeSubgroup()).as("P + %d·T8", k).isFalse();
        assertThat(torsion.isInPrimeSubgroup()).as("%d·T8", k).isFalse();
        torsion = torsion.add(t8);
      }
      assertThat(torsion.isIdentity()).isTrue();
    }
    assertThat(EdwardsPoint.IDENTITY.isInPrimeSubgroup()).isTrue();
  }

  @Test
  void compressionMatchesGnarkCryptosLayout() {
    // identity: y = 1 little-endian, x = 0 is not "negative"
    assertThat(EdwardsPoint.IDENTITY.toBytes()).isEqualTo(HexFormat.of().parseHex("01" + "00".repeat(31)));
    for (int i = 0; i < 50; i++) {
      EdwardsPoint p = TestPoints.curvePoint(random);
      byte[] enc = p.toBytes();
      assertThat(EdwardsPoint.fromBytes(enc)).isEqualTo(p);
      boolean negative = p.x().toBigInteger().compareTo(P.subtract(BigInteger.ONE).shiftRight(1)) > 0;
      assertThat((enc[31] & 0x80) != 0).isEqualTo(negative);
      byte[] y = enc.clone();
      y[31] &= 0x7f;
      assertThat(new BigInteger(1, reverse(y))).isEqualTo(p.y().toBigInteger());
      // the negated point differs only in the sign bit
      byte[] neg = p.negate().toBytes();
      neg[31] ^= (byte) 0x80;
      assertThat(neg).isEqualTo(enc);
    }
  }

  @Test
  void decodingReducesANonCanonicalYAsGnarkCryptoDoes() {
    EdwardsPoint p = TestPoints.subgroupPoint(random);
    BigInteger y = p.y().toBigInteger();
    boolean negative = (p.toBytes()[31] & 0x80) != 0;
    assertThat(EdwardsPoint.fromBytes(TestPoints.encodeY(y.add(P), negative))).isEqualTo(p);
    // x = 0: the sign bit is ignored
    assertThat(EdwardsPoint.fromBytes(TestPoints.encodeY(BigInteger.ONE, true))).isEqualTo(EdwardsPoint.IDENTITY);
  }

  @Test
  void badEncodingsAndOffCurvePointsAreRefused() {
    assertThatThrownBy(() -> EdwardsPoint.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> EdwardsPoint.fromBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EdwardsPoint.fromBytes(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EdwardsPoint.fromBytes(TestPoints.offCurveEncoding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on the Baby Jubjub curve");
    assertThatThrownBy(() -> EdwardsPoint.of(Fr.ONE, Fr.ONE)).isInstanceOf(IllegalArgumentException.class);
    assertThat(EdwardsPoint.of(BabyJubjub.BASE.x(), BabyJubjub.BASE.y())).isEqualTo(BabyJubjub.BASE);
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }
}
