package io.zkrollup.aggregator.ingest;

import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.statetree.field.Fr;

/**
 * How the pipeline answers a submission: exactly one of the two methods is called once, from the
 * pipeline's acknowledging thread, after the accepted entries are durable.
 */
public interface SubmissionCallback {

  /**
   * Every transaction was accepted and is journaled durably.
   *
   * @param txHashes the transactions' hashes, in submission order
   * @param journalIndices their journal indices, in submission order
   */
  void accepted(Fr[] txHashes, long[] journalIndices);

  /** Nothing was accepted. */
  void rejected(Rejection rejection);
}
