package io.zkrollup.sdk;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's parameters and progress.
 *
 * @param rollupId the rollup its signatures are for (a {@link Wallet} signs for it): 64 bits,
 *     unsigned (an id of 2^63 or more is a negative {@code long}; print it with {@link
 *     Long#toUnsignedString(long)})
 * @param slots transactions per batch (B)
 * @param depth the state tree's depth (D)
 * @param fee the batch fee every signed ETH transaction pays (a max fee below it is refused);
 *     {@link #feeOf} for other tokens
 * @param operator the operator's ETH account, which the ETH fees go to
 * @param maxListSize the most transactions in one {@link RollupClient#submitAll} list
 * @param journalEntries the next journal index
 * @param sealedBatches batches cut by the sequencer
 * @param builtBatches batches whose witness is stored (the tree's version)
 * @param provenBatches batches whose proof is verified
 * @param stateRoot the tree's root after {@code builtBatches}
 * @param dataAvailability rollup or validium (docs/protocol.md, "Validium")
 * @param proving whether the node proves its batches (and so whether they reach {@link
 *     TransactionStage#PROVEN} and, with an L1, {@link TransactionStage#PUBLISHED})
 * @param l1Exodus whether L1 is in exodus: the node has stopped for good, and users leave on L1
 * @param fees the batch fee of every token the node takes transactions of, by token id (0: ETH):
 *     fees are paid in the token moved; a token not here is refused ({@link
 *     RejectionReason#TOKEN_NOT_SERVED})
 */
public record NodeStatus(
    long rollupId,
    int slots,
    int depth,
    BigInteger fee,
    long operator,
    int maxListSize,
    long journalEntries,
    long sealedBatches,
    long builtBatches,
    long provenBatches,
    Fr stateRoot,
    DataAvailability dataAvailability,
    boolean proving,
    boolean l1Exodus,
    SortedMap<Long, BigInteger> fees) {

  /** Checks for null and copies the fees. */
  public NodeStatus {
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
    fees = Collections.unmodifiableSortedMap(new TreeMap<>(fees));
  }

  /**
   * The batch fee a signed transaction of {@code token} pays (a max fee to sign), or empty if the
   * node takes no transactions of that token.
   */
  public Optional<BigInteger> feeOf(long token) {
    return Optional.ofNullable(fees.get(token));
  }
}
