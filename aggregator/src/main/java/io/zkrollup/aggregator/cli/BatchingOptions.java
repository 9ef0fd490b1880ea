package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.node.NodeConfig;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that shape a node's batches and its ingestion ring, shared (as a picocli mixin) by
 * {@code zkrollup node} and the ingestion benchmark, which passes them on to the node it starts.
 */
public final class BatchingOptions {

  /** The rollup id of a node without an L1 when none is given. */
  public static final long DEFAULT_ROLLUP_ID = 1;

  /** As given, or null: a node on L1 takes the contract's id, and only checks one that was given. */
  @Option(
      names = "--rollup-id",
      paramLabel = "ID",
      converter = UnsignedLongConverter.class,
      description =
          "Rollup id signed messages name, for a node without an L1 (default "
              + DEFAULT_ROLLUP_ID
              + "). A node on an L1 takes the contract's (derived from the chain id and its address) and refuses to start if this differs.")
  public Long rollupId;

  @Option(names = "--slots", defaultValue = "16", paramLabel = "B", description = "Slots per batch, ≥ 5 (default ${DEFAULT-VALUE}).")
  public int slots;

  @Option(names = "--depth", defaultValue = "32", paramLabel = "D", description = "State tree depth, 1..32 (default ${DEFAULT-VALUE}).")
  public int depth;

  @Option(names = "--fee", defaultValue = "0", description = "Batch fee every signed ETH op pays, in wei (default ${DEFAULT-VALUE}).")
  public BigInteger fee;

  /** Token id to fee; fixed for a data directory like {@code --fee}. */
  @Option(
      names = "--token-fee",
      paramLabel = "ID=AMOUNT",
      description =
          "Batch fee every signed op of token ID (1..65535) pays, in its smallest unit; repeatable. Tokens not named pay 0."
              + " Fees are paid in the token moved; a batch has one fee token, so mixed-token traffic makes more batches.")
  public Map<Integer, BigInteger> tokenFees = new TreeMap<>();

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

  /** Reads a 64-bit unsigned decimal (rollup ids reach 2^64 − 1) into a long. */
  public static final class UnsignedLongConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return Long.parseUnsignedLong(value);
    }
  }

  /** The rollup id as given, or {@link #DEFAULT_ROLLUP_ID}: the one a node without an L1 uses. */
  public long rollupId() {
    return rollupId != null ? rollupId : DEFAULT_ROLLUP_ID;
  }

  /** The signature verifiers the node runs: as given, or one per CPU. */
  public int verifierCount() {
    return verifiers != null ? verifiers : Runtime.getRuntime().availableProcessors();
  }

  /** Sets these values on {@code b}. */
  public NodeConfig.Builder applyTo(NodeConfig.Builder b) {
    return b.rollupId(rollupId())
        .slots(slots)
        .depth(depth)
        .fee(fee)
        .tokenFees(tokenFees)
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
                "--rollup-id", Long.toUnsignedString(rollupId()), "--slots", Integer.toString(slots), "--depth", Integer.toString(depth), "--fee", fee.toString(),
                "--seal-after-ms", Long.toString(sealAfterMillis), "--ring-size", Integer.toString(ringSize), "--max-list", Integer.toString(maxListSize),
                "--sealer-queue", Integer.toString(sealerQueue)));
    new TreeMap<>(tokenFees).forEach((token, amount) -> args.addAll(List.of("--token-fee", token + "=" + amount)));
    if (verifiers != null) {
      args.addAll(List.of("--verifiers", Integer.toString(verifiers)));
    }
    return args;
  }
}
