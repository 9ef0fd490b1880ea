package io.zkrollup.aggregator.node;

import java.nio.file.Path;
import java.util.Objects;

/** Where a node's rollup contract is: the L1 it takes deposits from and publishes batches to. */
public sealed interface L1Endpoint {

  /**
   * The embedded L1 (no Ethereum node): the contract's rules in this process, persisted in its own
   * database.
   *
   * @param dir the embedded L1's database directory
   */
  record Embedded(Path dir) implements L1Endpoint {

    /** Checks for null. */
    public Embedded {
      Objects.requireNonNull(dir, "dir");
    }
  }
}
