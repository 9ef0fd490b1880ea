package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.node.NodeConfig;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that shape a node's batches and its ingestion ring, shared (as a picocli mixin) by
 * {@code zkrollup node} and the ingestion benchmark, which passes them on to the node it starts.
 */
public final class BatchingOptions {

  @Option(names = "--rollup-id", defaultValue = "1", description = "Rollup id signed messages name (default ${DEFAULT-VALUE}).")
  public long rollupId;

  @Option(names = "--slots", defaultValue = "16", paramLabel = "B", description = "Slots per batch, ≥ 5 (default ${DEFAULT-VALUE}).")
  public int slots;

  @Option(names = "--depth", defaultValue = "32", paramLabel = "D", description = "State tree depth, 1..32 (default ${DEFAULT-VALUE}).")
  public int depth;

  @Option(names = "--fee", defaultValue = "0", description = "Batch fee every signed op pays (default ${DEFAULT-VALUE}).")
  public BigInteger fee;

  @Option(names = "--seal-after-ms", defaultValue = "1000", description = "Seal a batch that has waited this long, padding it (default ${DEFAULT-VALUE}).")
  public long sealAfterMillis;

  @Option(names = "--ring-size", defaultValue = "4096", description = "Ingestion ring slots, a power of two (default ${DEFAULT-VALUE}).")
  public int ringSize;

  @Option(names = "--verifiers", description = "Parallel signature verifiers (default: the number of CPUs).")
  public Integer verifiers;

  @Option(names = "--max-list", defaultValue = "1024", description = "Most transactions in one atomic list (default ${DEFAULT-VALUE}).")
  public int maxListSize;

  @Option(names = "--sealer-queue", defaultValue = "64", description = "Closed batches that may wait for building (default ${DEFAULT-VALUE}).")
  public int sealerQueue;

  /** The signature verifiers the node runs: as given, or one per CPU. */
  public int verifierCount() {
    return verifiers != null ? verifiers : Runtime.getRuntime().availableProcessors();
  }

  /** Sets these values on {@code b}. */
  public NodeConfig.Builder applyTo(NodeConfig.Builder b) {
    return b.rollupId(rollupId)
        .slots(slots)
        .depth(depth)
        .fee(fee)
        .sealAfterMillis(sealAfterMillis)
        .ringSize(ringSize)
        .verifiers(verifierCount())
        .maxListSize(maxListSize)
        .sealerQueue(sealerQueue);
  }

  /** These values as {@code zkrollup node} arguments (the verifiers only if given). */
  public List<String> toArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--rollup-id", Long.toString(rollupId), "--slots", Integer.toString(slots), "--depth", Integer.toString(depth), "--fee", fee.toString(),
                "--seal-after-ms", Long.toString(sealAfterMillis), "--ring-size", Integer.toString(ringSize), "--max-list", Integer.toString(maxListSize),
                "--sealer-queue", Integer.toString(sealerQueue)));
    if (verifiers != null) {
      args.addAll(List.of("--verifiers", Integer.toString(verifiers)));
    }
    return args;
  }
}
