/**
 * A node as it runs: the rollup node with its gRPC servers, the prover coordinator's ports, the
 * metrics endpoint and the local prover worker processes, started and stopped in the right order.
 * The CLI, the quick start and the tests start nodes through it.
 */
package io.zkrollup.aggregator.runtime;
