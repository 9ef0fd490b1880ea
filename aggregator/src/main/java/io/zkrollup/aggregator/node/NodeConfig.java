package io.zkrollup.aggregator.node;

import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a rollup node is started with. The first five values are fixed for the life of a data
 * directory (the node refuses to start on a directory made with others); the rest may change
 * between restarts.
 *
 * @param dataDir where the node database and the state tree live
 * @param rollupId the id every signed message names
 * @param slots B, slots per batch (≥ 5: a deposit spans 5)
 * @param depth D, the state tree's depth (1..32)
 * @param fee the batch fee every signed op pays
 * @param operator the account that receives the fees; created by the genesis deposit
 * @param operatorKeyHash the operator account's key hash
 * @param genesis deposits journaled once, when the journal is empty, after the operator's
 * @param sealAfterMillis how long a batch with ops waits for more before it is sealed with padding
 * @param ringSize ingestion ring slots (a power of two); a full ring refuses with RESOURCE_EXHAUSTED
 * @param verifiers parallel signature verification handlers
 * @param maxListSize the most transactions one atomic list may hold
 * @param sealerQueue how many closed batches may wait for building before ingestion waits
 * @param proving how batches are proven, or empty to build batches without proving them
 * @param l1 the L1 the node takes deposits from and publishes proven batches to (needs {@code
 *     proving}; accounts then come only from L1 deposits), or empty for none
 * @param dataAvailability rollup (all public data to L1) or validium (transfer data kept by the
 *     node, docs/protocol.md "Validium"); fixed for the data directory, and the keys and the L1
 *     contract must be made for it
 */
public record NodeConfig(
    Path dataDir,
    long rollupId,
    int slots,
    int depth,
    BigInteger fee,
    long operator,
    Fr operatorKeyHash,
    List<Deposit> genesis,
    long sealAfterMillis,
    int ringSize,
    int verifiers,
    int maxListSize,
    int sealerQueue,
    Optional<Proving> proving,
    Optional<L1Endpoint> l1,
    DataAvailability dataAvailability) {

  /**
   * How the node has its batches proven: a prover coordinator hands them to worker processes (the
   * node's own, {@code io.zkrollup.aggregator.process.LocalWorkers}, and remote ones), and the node
   * verifies every proof they submit.
   *
   * @param system the proof system
   * @param keyDir the key directory (development keys are set up there, in a child process, if it
   *     is empty); the node verifies with its verifying key, and workers prove with it
   * @param leases lease TTL, heartbeat interval, attempts per batch
   */
  public record Proving(ProofSystem system, Path keyDir, JobCoordinator.Settings leases) {

    /** Checks the values. */
    public Proving {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(keyDir, "keyDir");
      Objects.requireNonNull(leases, "leases");
    }
  }

  /** Validates the values. */
  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(operatorKeyHash, "operatorKeyHash");
    genesis = List.copyOf(genesis);
    Objects.requireNonNull(proving, "proving");
    Objects.requireNonNull(l1, "l1");
    if (l1.isPresent() && proving.isEmpty()) {
      throw new IllegalArgumentException("an L1 takes only proven batches: a node with an L1 needs a prover");
    }
    if (l1.isPresent() && !genesis.isEmpty()) {
      throw new IllegalArgumentException("with an L1, accounts come from L1 deposits, not a genesis file");
    }
    if (slots < 5 || slots > 0xffff) {
      throw new IllegalArgumentException("slots must be 5..65535 (a deposit spans 5), got " + slots);
    }
    if (depth < 1 || depth > 32) {
      throw new IllegalArgumentException("depth must be 1..32, got " + depth);
    }
    if (depth < 63 && (operator >>> depth) != 0) {
      throw new IllegalArgumentException("operator account " + operator + " is outside a tree of depth " + depth);
    }
    if (sealAfterMillis < 1) {
      throw new IllegalArgumentException("seal-after must be ≥ 1 ms, got " + sealAfterMillis);
    }
    if (maxListSize < 1) {
      throw new IllegalArgumentException("max list size must be ≥ 1, got " + maxListSize);
    }
    if (sealerQueue < 1) {
      throw new IllegalArgumentException("sealer queue must be ≥ 1, got " + sealerQueue);
    }
  }

  /** A rollup-mode configuration. */
  public NodeConfig(
      Path dataDir,
      long rollupId,
      int slots,
      int depth,
      BigInteger fee,
      long operator,
      Fr operatorKeyHash,
      List<Deposit> genesis,
      long sealAfterMillis,
      int ringSize,
      int verifiers,
      int maxListSize,
      int sealerQueue,
      Optional<Proving> proving,
      Optional<L1Endpoint> l1) {
    this(dataDir, rollupId, slots, depth, fee, operator, operatorKeyHash, genesis, sealAfterMillis, ringSize, verifiers, maxListSize, sealerQueue, proving, l1,
        DataAvailability.ROLLUP);
  }

  /** This configuration in data-availability {@code mode}. */
  public NodeConfig withDataAvailability(DataAvailability mode) {
    return new NodeConfig(
        dataDir, rollupId, slots, depth, fee, operator, operatorKeyHash, genesis, sealAfterMillis, ringSize, verifiers, maxListSize, sealerQueue, proving, l1, mode);
  }

  /** The header values every batch of this node has, and B. */
  public BatchSealer.Params sealerParams() {
    return new BatchSealer.Params(rollupId, operator, fee, slots);
  }

  /**
   * The parameters fixed for a data directory, as the node records them. A rollup node's text is
   * what it was before validium existed, so older data directories still match.
   */
  String fixedParameters() {
    return "rollupId=" + rollupId + ",slots=" + slots + ",depth=" + depth + ",fee=" + fee + ",operator=" + operator + ",operatorKeyHash=" + operatorKeyHash.toBigInteger().toString(16)
        + (dataAvailability == DataAvailability.ROLLUP ? "" : ",mode=" + dataAvailability.label());
  }

  /**
   * A configuration with the fixed parameters a node recorded ({@link #fixedParameters()}'s text),
   * for reading its data directory back (audits): no genesis, no prover, and defaults for the
   * values that may change between restarts.
   *
   * @throws IllegalArgumentException if {@code fixed} is not such a text
   */
  public static NodeConfig ofFixedParameters(Path dataDir, String fixed) {
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (String part : fixed.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 1 || values.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("not a node's fixed parameters: " + fixed);
      }
    }
    try {
      NodeConfig c =
          new NodeConfig(
              dataDir,
              Long.parseLong(values.get("rollupId")),
              Integer.parseInt(values.get("slots")),
              Integer.parseInt(values.get("depth")),
              new BigInteger(values.get("fee")),
              Long.parseLong(values.get("operator")),
              Fr.of(new BigInteger(values.get("operatorKeyHash"), 16)),
              List.of(),
              1000,
              1024,
              1,
              1024,
              64,
              Optional.empty(),
              Optional.empty(),
              DataAvailability.ofLabel(values.getOrDefault("mode", DataAvailability.ROLLUP.label())));
      if (!c.fixedParameters().equals(fixed)) {
        throw new IllegalArgumentException("reads back as " + c.fixedParameters());
      }
      return c;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a node's fixed parameters: " + fixed + " (" + e.getMessage() + ")", e);
    }
  }
}
