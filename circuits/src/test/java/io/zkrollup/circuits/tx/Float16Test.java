package io.zkrollup.circuits.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class Float16Test {

  private static BigInteger big(String s) {
    return new BigInteger(s);
  }

  @Test
  void zeroIsAllZeroBits() {
    assertThat(Float16.encode(0)).isEqualTo(Float16.ZERO);
    assertThat(Float16.ZERO.bits()).isZero();
    assertThat(Float16.fromBits(0).value()).isZero();
  }

  @Test
  void smallValuesAreTheirOwnMantissa() {
    assertThat(Float16.encode(2047)).isEqualTo(new Float16(0, 2047));
    assertThat(Float16.encode(2047).bits()).isEqualTo(0x07ff);
    assertThat(Float16.encode(1234)).isEqualTo(new Float16(0, 1234));
  }

  @Test
  void theSmallestExponentIsChosen() {
    assertThat(Float16.encode(10)).isEqualTo(new Float16(0, 10));
    assertThat(Float16.encode(20470)).isEqualTo(new Float16(1, 2047));
    assertThat(Float16.encode(2050)).isEqualTo(new Float16(1, 205));
    assertThat(Float16.encode(1_000_000)).isEqualTo(new Float16(3, 1000));
    // Other encodings of the same value decode to it.
    assertThat(new Float16(4, 100).value()).isEqualTo(Float16.encode(1_000_000).value());
  }

  @Test
  void theLargestValueIs2047Times10ToThe31() {
    BigInteger max = big("2047").multiply(BigInteger.TEN.pow(31));
    assertThat(Float16.MAX_VALUE).isEqualTo(max);
    assertThat(max.bitLength()).isLessThanOrEqualTo(115);
    assertThat(Float16.encode(max)).isEqualTo(new Float16(31, 2047));
    assertThat(Float16.encode(max).bits()).isEqualTo(0xffff);
    assertThat(Float16.fromBits(0xffff).value()).isEqualTo(max);
    assertThatThrownBy(() -> Float16.encode(max.add(BigInteger.TEN.pow(31))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not representable");
    assertThat(Float16.floorOf(max.multiply(BigInteger.TEN))).isEqualTo(new Float16(31, 2047));
  }

  @Test
  void valuesWithTooManyDigitsAreRefused() {
    assertThatThrownBy(() -> Float16.encode(2048))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048 is not representable")
        .hasMessageContaining("nearest below is 2047");
    assertThatThrownBy(() -> Float16.encode(12345))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nearest below is 12340");
    assertThatThrownBy(() -> Float16.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Float16.isRepresentable(BigInteger.valueOf(2048))).isFalse();
    assertThat(Float16.isRepresentable(BigInteger.valueOf(12340))).isTrue();
    assertThat(Float16.isRepresentable(BigInteger.valueOf(-10))).isFalse();
  }

  @Test
  void floorOfRoundsDownToTheNearestRepresentable() {
    assertThat(Float16.floorOf(BigInteger.valueOf(2048)).value()).isEqualTo(2047);
    assertThat(Float16.floorOf(BigInteger.valueOf(12345)).value()).isEqualTo(12340);
    // 2047·10 beats 204·100: the exponent just below the fitting one can hold more.
    assertThat(Float16.floorOf(BigInteger.valueOf(20480))).isEqualTo(new Float16(1, 2047));
    assertThat(Float16.floorOf(BigInteger.valueOf(20500))).isEqualTo(new Float16(2, 205));
    assertThat(Float16.floorOf(BigInteger.valueOf(999_999))).isEqualTo(Float16.encode(999_000));
    assertThat(Float16.floorOf(BigInteger.ZERO)).isEqualTo(Float16.ZERO);
  }

  @Test
  void floorOfAgreesWithABruteForceSearch() {
    for (long v = 0; v < 300_000; v += 37) {
      BigInteger best = BigInteger.ZERO;
      for (int e = 0; e <= 6; e++) {
        BigInteger p = BigInteger.TEN.pow(e);
        BigInteger m = BigInteger.valueOf(v).divide(p).min(BigInteger.valueOf(2047));
        best = best.max(m.multiply(p));
      }
      assertThat(Float16.floorOf(BigInteger.valueOf(v)).value()).as("floor of %d", v).isEqualTo(best);
    }
  }

  @Test
  void bitsRoundTripAndRangesAreChecked() {
    for (int bits = 0; bits <= 0xffff; bits += 97) {
      Float16 f = Float16.fromBits(bits);
      assertThat(f.bits()).isEqualTo(bits);
      assertThat(f.exponent()).isEqualTo(bits >>> 11);
      assertThat(f.mantissa()).isEqualTo(bits & 0x7ff);
    }
    assertThatThrownBy(() -> Float16.fromBits(0x10000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Float16.fromBits(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Float16(32, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Float16(0, 2048)).isInstanceOf(IllegalArgumentException.class);
  }
}
