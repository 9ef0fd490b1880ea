package io.zkrollup.aggregator.service;

import io.zkrollup.statetree.field.Fr;

/**
 * How far a node has come.
 *
 * @param journalEntries durable journal entries (the next journal index)
 * @param sealedBatches batches the sequencer closed durably
 * @param builtBatches batches built and stored (the tree's version)
 * @param provenBatches batches proven, from 0 on without a gap
 * @param stateRoot the tree's root after the built batches
 */
public record NodeProgress(long journalEntries, long sealedBatches, long builtBatches, long provenBatches, Fr stateRoot) {}
