package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.Ranges;
import java.math.BigInteger;

/**
 * The per-batch values of the public-data header (docs/protocol.md, "Public data" and "Protocol v3").
 *
 * @param rollupId the rollup instance's 64-bit id (any {@code long}, read as unsigned: Rollup.sol
 *     derives it from the chain id and its address); every signed message in the batch names it
 * @param batchNumber the batch's number, {@code ≥ 0} (8 bytes of public data, a public input)
 * @param operator the account credited with the fees, {@code < 2^32}; its token is the batch's fee
 *     token, and it must exist when a signed op is applied and after the last slot
 * @param fee the fee every signed op of the fee token pays, {@code < 2^128}, at most each such op's
 *     signed max fee
 */
public record BatchHeader(long rollupId, long batchNumber, long operator, BigInteger fee) {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public BatchHeader {
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
