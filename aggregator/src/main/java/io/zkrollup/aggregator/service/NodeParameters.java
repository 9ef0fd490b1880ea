package io.zkrollup.aggregator.service;

import io.zkrollup.circuits.batch.DataAvailability;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The node's fixed parameters as clients see them.
 *
 * @param rollupId the id signed messages name
 * @param slots B, slots per batch
 * @param depth D, the state tree's depth
 * @param fee the batch fee every signed ETH op pays (other tokens': {@link NodeStatus#servedFees})
 * @param operator the operator's ETH account, credited with the ETH fees
 * @param maxListSize the most transactions one atomic list may hold
 * @param dataAvailability rollup or validium
 */
public record NodeParameters(long rollupId, int slots, int depth, BigInteger fee, long operator, int maxListSize, DataAvailability dataAvailability) {

  /** Checks for null. */
  public NodeParameters {
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
  }
}
