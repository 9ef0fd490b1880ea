package io.zkrollup.aggregator.l1;

import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * The rolling hash of Rollup.sol's priority queue, {@code queueHash[i+1] = keccak256(queueHash[i] ‖
 * request bytes)} ({@link PriorityRequest#requestBytes}), recomputed by the node only to check
 * what an RPC node says the queue holds: the contract computes it, and a page of request events is
 * taken only if it reproduces the contract's value.
 */
public final class PriorityQueue {

  private PriorityQueue() {}

  /** {@code keccak256(previous ‖ request.requestBytes())}. */
  public static byte[] next(byte[] previous, PriorityRequest request) {
    byte[] r = request.requestBytes();
    byte[] in = new byte[32 + r.length];
    System.arraycopy(previous, 0, in, 0, 32);
    System.arraycopy(r, 0, in, 32, r.length);
    return Hash.sha3(in);
  }

  /**
   * Whether {@code page} holds requests {@code from .. end-1} in order and hashes from {@code start}
   * ({@code queueHash[from]}) to {@code expected} ({@code queueHash[end]}).
   */
  public static boolean matches(long from, long end, List<? extends PriorityRequest> page, byte[] start, byte[] expected) {
    if (page.size() != end - from) {
      return false;
    }
    byte[] h = start;
    long i = from;
    for (PriorityRequest r : page) {
      if (r.index() != i++) {
        return false;
      }
      h = next(h, r);
    }
    return Arrays.equals(h, expected);
  }
}
