package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The rolling hash of Rollup.sol's deposit queue, {@code queueHash[i+1] = keccak256(queueHash[i] ‖
 * keyHash (32) ‖ amount (14))}, recomputed by the node only to check what an RPC node says the
 * queue holds: the contract computes it, and a page of Deposit events is taken only if it
 * reproduces the contract's value.
 */
public final class DepositQueue {

  /** Bytes of a deposit amount in the hash (amounts are below 2^112). */
  static final int AMOUNT_BYTES = 14;

  private DepositQueue() {}

  /** {@code keccak256(previous ‖ keyHash ‖ amount as 14 bytes)}. */
  public static byte[] next(byte[] previous, Fr keyHash, BigInteger amount) {
    byte[] in = new byte[32 + 32 + AMOUNT_BYTES];
    System.arraycopy(previous, 0, in, 0, 32);
    System.arraycopy(keyHash.toBytes(), 0, in, 32, 32);
    System.arraycopy(Numeric.toBytesPadded(amount, AMOUNT_BYTES), 0, in, 64, AMOUNT_BYTES);
    return Hash.sha3(in);
  }

  /**
   * Whether {@code page} holds deposits {@code from .. end-1} in order and hashes from {@code start}
   * ({@code queueHash[from]}) to {@code expected} ({@code queueHash[end]}).
   */
  public static boolean matches(long from, long end, List<L1Deposit> page, byte[] start, byte[] expected) {
    if (page.size() != end - from) {
      return false;
    }
    byte[] h = start;
    long i = from;
    for (L1Deposit d : page) {
      if (d.index() != i++ || d.amount().signum() < 0 || d.amount().bitLength() > 8 * AMOUNT_BYTES) {
        return false;
      }
      h = next(h, d.keyHash(), d.amount());
    }
    return Arrays.equals(h, expected);
  }
}
