package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.Ranges;
import java.math.BigInteger;

/**
 * The per-batch values of the public-data header (docs/protocol.md, "Public data").
 *
 * @param rollupId the rollup instance, {@code < 2^32}; every signed message in the batch names it
 * @param batchNumber the batch's number, {@code ≥ 0} (8 bytes of public data, a public input)
 * @param operator the account credited with the fees, {@code < 2^32}; it must exist after the last slot
 * @param fee the fee every signed op pays, {@code < 2^128}, at most each op's signed max fee
 */
public record BatchHeader(long rollupId, long batchNumber, long operator, BigInteger fee) {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public BatchHeader {
    Ranges.checkU32("rollupId", rollupId);
    if (batchNumber < 0) {
      throw new IllegalArgumentException("batchNumber must be in [0, 2^63), got " + batchNumber);
    }
    Ranges.checkU32("operator", operator);
    Ranges.checkBits("fee", fee, Ranges.AMOUNT_BITS);
  }

  /** Convenience for a small fee. */
  public BatchHeader(long rollupId, long batchNumber, long operator, long fee) {
    this(rollupId, batchNumber, operator, BigInteger.valueOf(fee));
  }
}
