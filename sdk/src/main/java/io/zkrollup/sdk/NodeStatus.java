package io.zkrollup.sdk;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A node's parameters and progress.
 *
 * @param rollupId the rollup its signatures are for (a {@link Wallet} signs for it)
 * @param slots transactions per batch (B)
 * @param depth the state tree's depth (D)
 * @param fee the batch fee every signed transaction pays (a max fee below it is refused)
 * @param operator the operator's account, which the fees go to
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
    boolean l1Exodus) {

  /** Checks for null. */
  public NodeStatus {
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
  }
}
