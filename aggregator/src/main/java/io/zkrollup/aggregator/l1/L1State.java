package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;

/**
 * What the rollup contract holds about the rollup.
 *
 * @param stateRoot the root after the last committed batch
 * @param batchCount committed batches; the next batch number
 * @param depositCount deposits queued so far
 * @param depositsConsumed deposits taken by committed batches (always a prefix of the queue)
 */
public record L1State(Fr stateRoot, long batchCount, long depositCount, long depositsConsumed) {}
