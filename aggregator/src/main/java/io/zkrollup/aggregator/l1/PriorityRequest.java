package io.zkrollup.aggregator.l1;

/**
 * An entry of Rollup.sol's priority queue (docs/protocol.md, "Protocol v2"): a deposit ({@link
 * L1Deposit}) or a forced withdrawal ({@link L1ForcedWithdrawal}). Batches must consume the
 * entries strictly in queue order, each as a priority op (op code 2) whose request bytes extend the
 * contract's rolling hash, by the contract's deadline; otherwise anyone may stop the rollup
 * (exodus).
 */
public sealed interface PriorityRequest permits L1Deposit, L1ForcedWithdrawal {

  /** Its place in the queue, from 0 (request 0 is the operator's deposit). */
  long index();

  /**
   * What the contract's rolling hash covers for it: {@code queueHash[i+1] = keccak256(queueHash[i] ‖
   * requestBytes)} ({@link PriorityQueue}).
   */
  byte[] requestBytes();
}
