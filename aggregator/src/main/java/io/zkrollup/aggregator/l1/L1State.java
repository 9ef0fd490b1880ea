package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;

/**
 * What the rollup contract holds about the rollup.
 *
 * @param stateRoot the root after the last committed batch
 * @param batchCount committed batches; the next batch number
 * @param requestCount priority requests (deposits and forced withdrawals) queued so far
 * @param requestsConsumed priority requests taken by committed batches (always a prefix of the queue)
 * @param exodus whether exodus has begun: no batch, deposit or forced withdrawal is accepted any
 *     more, owners exit with Merkle proofs against {@code stateRoot}
 */
public record L1State(Fr stateRoot, long batchCount, long requestCount, long requestsConsumed, boolean exodus) {}
