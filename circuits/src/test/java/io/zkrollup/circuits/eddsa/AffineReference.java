package io.zkrollup.circuits.eddsa;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;

/**
 * The textbook affine group law of a twisted Edwards curve, written with {@link Fr} and inversions
 * and nothing else from this package: the reference the fast code is compared with.
 *
 * <p>(x1, y1) + (x2, y2) = ((x1·y2 + y1·x2) / (1 + d·x1·x2·y1·y2), (y1·y2 − a·x1·x2) / (1 −
 * d·x1·x2·y1·y2)).
 */
final class AffineReference {
  private AffineReference() {}

  private static final Fr A = Fr.reduce(BigInteger.ONE.negate());
  private static final Fr D =
      Fr.of(new BigInteger("12181644023421730124874158521699555681764249180949974110617291017600649128846"));

  static Fr[] add(Fr x1, Fr y1, Fr x2, Fr y2) {
    Fr t = D.multiply(x1).multiply(x2).multiply(y1).multiply(y2);
    Fr x3 = x1.multiply(y2).add(y1.multiply(x2)).multiply(Fr.ONE.add(t).inverse());
    Fr y3 = y1.multiply(y2).subtract(A.multiply(x1).multiply(x2)).multiply(Fr.ONE.subtract(t).inverse());
    return new Fr[] {x3, y3};
  }

  static EdwardsPoint add(EdwardsPoint p, EdwardsPoint q) {
    Fr[] r = add(p.x(), p.y(), q.x(), q.y());
    return EdwardsPoint.of(r[0], r[1]);
  }

  /** Double-and-add from the most significant bit, k ≥ 0. */
  static EdwardsPoint multiply(EdwardsPoint p, BigInteger k) {
    Fr x = Fr.ZERO;
    Fr y = Fr.ONE;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      Fr[] d = add(x, y, x, y);
      x = d[0];
      y = d[1];
      if (k.testBit(i)) {
        Fr[] s = add(x, y, p.x(), p.y());
        x = s[0];
        y = s[1];
      }
    }
    return EdwardsPoint.of(x, y);
  }
}
