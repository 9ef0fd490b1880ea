package io.zkrollup.sdk;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.DataAvailabilityMode;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.TokenFee;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/** The SDK's values from the API's messages. */
final class Messages {

  private Messages() {}

  static TransactionStatus status(GetTransactionStatusResponse r) {
    TransactionStage stage =
        switch (r.getStage()) {
          case PENDING -> TransactionStage.PENDING;
          case SEALED -> TransactionStage.SEALED;
          case PROVEN -> TransactionStage.PROVEN;
          case PUBLISHED -> TransactionStage.PUBLISHED;
          default -> throw new IllegalStateException("the node answered an unknown transaction stage " + r.getStageValue());
        };
    return new TransactionStatus(stage, r.getJournalIndex(), stage == TransactionStage.PENDING ? OptionalLong.empty() : OptionalLong.of(r.getBatchNumber()));
  }

  static AccountState state(io.zkrollup.api.v1.AccountState a) {
    return new AccountState(fr(a.getKeyHash()), L1Address.of(a.getOwner().toByteArray()), Integer.toUnsignedLong(a.getToken()), new BigInteger(a.getBalance()), a.getNonce());
  }

  static AccountView accountView(GetAccountResponse r) {
    List<Fr> siblings = new ArrayList<>(r.getMerkleSiblingsCount());
    for (ByteString s : r.getMerkleSiblingsList()) {
      siblings.add(fr(s));
    }
    return new AccountView(
        Integer.toUnsignedLong(r.getIndex()),
        r.hasPending() ? Optional.of(state(r.getPending())) : Optional.empty(),
        r.hasSealed() ? Optional.of(state(r.getSealed())) : Optional.empty(),
        r.getSealedBatches(),
        fr(r.getStateRoot()),
        siblings);
  }

  static NodeStatus nodeStatus(GetNodeStatusResponse s) {
    return new NodeStatus(
        s.getRollupId(),
        s.getSlots(),
        s.getDepth(),
        new BigInteger(s.getFee()),
        Integer.toUnsignedLong(s.getOperator()),
        s.getMaxListSize(),
        s.getJournalEntries(),
        s.getSealedBatches(),
        s.getBuiltBatches(),
        s.getProvenBatches(),
        fr(s.getStateRoot()),
        s.getMode() == DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM ? DataAvailability.VALIDIUM : DataAvailability.ROLLUP,
        s.hasProverQueue(),
        s.getL1Exodus(),
        fees(s));
  }

  private static SortedMap<Long, BigInteger> fees(GetNodeStatusResponse s) {
    SortedMap<Long, BigInteger> fees = new TreeMap<>();
    for (TokenFee f : s.getFeesList()) {
      fees.put(Integer.toUnsignedLong(f.getToken()), new BigInteger(f.getFee()));
    }
    if (fees.isEmpty()) {
      fees.put(0L, new BigInteger(s.getFee())); // a node from before tokens: ETH only
    }
    return fees;
  }

  static BatchEvent batchEvent(io.zkrollup.api.v1.BatchEvent e) {
    BatchStage stage =
        switch (e.getStage()) {
          case BATCH_SEALED -> BatchStage.SEALED;
          case BATCH_PROVEN -> BatchStage.PROVEN;
          case BATCH_PUBLISHED -> BatchStage.PUBLISHED;
          default -> throw new IllegalStateException("the node sent an unknown batch stage " + e.getStageValue());
        };
    return new BatchEvent(e.getBatchNumber(), stage, fr(e.getOldRoot()), fr(e.getNewRoot()), e.getTransactions(), e.getSlots(), fr(e.getPubdataHash()), e.getProveMillis());
  }

  /** A field element the node sent; an empty field (absent) reads as zero. */
  private static Fr fr(ByteString b) {
    return b.isEmpty() ? Fr.ZERO : Fr.fromBytes(b.toByteArray());
  }
}
