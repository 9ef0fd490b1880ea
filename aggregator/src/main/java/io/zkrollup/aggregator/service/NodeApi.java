package io.zkrollup.aggregator.service;

import java.util.Objects;

/**
 * Everything the node's public API serves, as the narrow interfaces it needs.
 *
 * @param parameters the node's fixed parameters
 * @param submissions where transactions go
 * @param accounts account reads
 * @param batches batch reads and updates
 * @param status progress and prover queue
 */
public record NodeApi(NodeParameters parameters, Submissions submissions, AccountQueries accounts, BatchQueries batches, NodeStatus status) {

  /** Checks for null. */
  public NodeApi {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(submissions, "submissions");
    Objects.requireNonNull(accounts, "accounts");
    Objects.requireNonNull(batches, "batches");
    Objects.requireNonNull(status, "status");
  }
}
