/**
 * The prover coordinator: a durable queue of built batches handed to prover workers under leases,
 * with heartbeats, expiry, bounded attempts, verification of every submitted proof and in-order
 * announcement of proven batches (docs/prover-cluster.md).
 */
package io.zkrollup.aggregator.coordinator;
