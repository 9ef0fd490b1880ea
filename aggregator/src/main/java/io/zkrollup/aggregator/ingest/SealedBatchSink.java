package io.zkrollup.aggregator.ingest;

import io.zkrollup.aggregator.sequencer.SealedBatch;

/** Where the pipeline hands closed batches once their seal is durable; may block (a bounded queue). */
@FunctionalInterface
public interface SealedBatchSink {

  /**
   * Takes a closed batch.
   *
   * @throws InterruptedException if interrupted while waiting for room
   */
  void accept(SealedBatch batch) throws InterruptedException;
}
