package io.zkrollup.aggregator.node;

import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.ledger.FeeSchedule;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a rollup node is started with; make one with {@link #builder}. The fixed parameters
 * (rollup id, B, D, fee, operator, mode) are recorded at the first start, and the node refuses to
 * start on a data directory made with others; the rest may change between restarts.
 *
 * @param dataDir where the node database and the state tree live
 * @param rollupId the id every signed message names
 * @param slots B, slots per batch (≥ 5: a deposit spans 5)
 * @param depth D, the state tree's depth (1..32)
 * @param fee the batch fee every signed ETH op pays
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
 * @param operatorOwner the L1 owner of the operator's account on a node without L1 (with an L1,
 *     the contract's request 0 names it and this is not used): batches proven offline commit on a
 *     contract only if it names the same owner (its deployer)
 * @param tokenFees the batch fee every signed op of a token other than ETH pays, by token id; 0 for
 *     a token not named (docs/protocol.md, "The node (v3)")
 * @param crashPoint where a crash test stops the node for its SIGKILL ({@link CrashPoint#NONE}
 *     but in crash tests)
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
    DataAvailability dataAvailability,
    L1Address operatorOwner,
    Map<Integer, BigInteger> tokenFees,
    CrashPoint crashPoint) {

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

  /** The owner of an account on a node without L1, where no owner can act: the zero address. */
  static final L1Address NO_L1_OWNER = L1Address.of(new byte[L1Address.BYTES]);

  /** Validates the values. */
  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
    Objects.requireNonNull(operatorOwner, "operatorOwner");
    Objects.requireNonNull(crashPoint, "crashPoint");
    Objects.requireNonNull(fee, "fee");
    tokenFees = Collections.unmodifiableSortedMap(new TreeMap<>(tokenFees));
    new FeeSchedule(fee, tokenFees); // checks the token ids and fees
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
    if (verifiers < 1) {
      throw new IllegalArgumentException("signature verifiers must be ≥ 1, got " + verifiers);
    }
    if (maxListSize < 1) {
      throw new IllegalArgumentException("max list size must be ≥ 1, got " + maxListSize);
    }
    if (sealerQueue < 1) {
      throw new IllegalArgumentException("sealer queue must be ≥ 1, got " + sealerQueue);
    }
  }

  /** A builder for a node in {@code dataDir}, with the defaults of {@link Builder}. */
  public static Builder builder(Path dataDir, Fr operatorKeyHash) {
    return new Builder(dataDir, operatorKeyHash);
  }

  /** A builder holding this configuration's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(dataDir, operatorKeyHash)
        .rollupId(rollupId)
        .slots(slots)
        .depth(depth)
        .fee(fee)
        .operator(operator)
        .genesis(genesis)
        .sealAfterMillis(sealAfterMillis)
        .ringSize(ringSize)
        .verifiers(verifiers)
        .maxListSize(maxListSize)
        .sealerQueue(sealerQueue)
        .proving(proving)
        .l1(l1)
        .dataAvailability(dataAvailability)
        .operatorOwner(operatorOwner)
        .tokenFees(tokenFees)
        .crashPoint(crashPoint);
  }

  /** The fee of each token: {@link #fee} for ETH, {@link #tokenFees} for the others. */
  public FeeSchedule fees() {
    return new FeeSchedule(fee, tokenFees);
  }

  /**
   * Builds a {@link NodeConfig}. Defaults: rollup id 1, B = 16, D = 32, fee 0, operator account 0,
   * no genesis deposits, seal after 1,000 ms, a 4,096-slot ring, one signature verifier per CPU,
   * lists of up to 1,024 transactions, 64 closed batches waiting for building, no prover, no L1,
   * rollup mode. {@link #build} checks the values together.
   */
  public static final class Builder {
    private final Path dataDir;
    private final Fr operatorKeyHash;
    private long rollupId = 1;
    private int slots = 16;
    private int depth = 32;
    private BigInteger fee = BigInteger.ZERO;
    private long operator;
    private List<Deposit> genesis = List.of();
    private long sealAfterMillis = 1000;
    private int ringSize = 4096;
    private int verifiers = Runtime.getRuntime().availableProcessors();
    private int maxListSize = 1024;
    private int sealerQueue = 64;
    private Optional<Proving> proving = Optional.empty();
    private Optional<L1Endpoint> l1 = Optional.empty();
    private DataAvailability dataAvailability = DataAvailability.ROLLUP;
    private L1Address operatorOwner = NO_L1_OWNER;
    private Map<Integer, BigInteger> tokenFees = Map.of();
    private CrashPoint crashPoint = CrashPoint.NONE;

    private Builder(Path dataDir, Fr operatorKeyHash) {
      this.dataDir = dataDir;
      this.operatorKeyHash = operatorKeyHash;
    }

    /** The id every signed message names. */
    public Builder rollupId(long id) {
      this.rollupId = id;
      return this;
    }

    /** B, slots per batch. */
    public Builder slots(int b) {
      this.slots = b;
      return this;
    }

    /** D, the state tree's depth. */
    public Builder depth(int d) {
      this.depth = d;
      return this;
    }

    /** The batch fee every signed ETH op pays. */
    public Builder fee(BigInteger f) {
      this.fee = f;
      return this;
    }

    /** The batch fee of each token other than ETH, by token id (0 for those not named). */
    public Builder tokenFees(Map<Integer, BigInteger> fees) {
      this.tokenFees = fees;
      return this;
    }

    /** The account credited with the ETH fees (the operator's accounts of other tokens are found by key and owner). */
    public Builder operator(long index) {
      this.operator = index;
      return this;
    }

    /** Deposits journaled once, at the first start (not with an L1). */
    public Builder genesis(List<Deposit> deposits) {
      this.genesis = deposits;
      return this;
    }

    /** How long a batch with ops waits for more before it is sealed with padding. */
    public Builder sealAfterMillis(long ms) {
      this.sealAfterMillis = ms;
      return this;
    }

    /** Ingestion ring slots (a power of two). */
    public Builder ringSize(int size) {
      this.ringSize = size;
      return this;
    }

    /** Parallel signature verification handlers. */
    public Builder verifiers(int n) {
      this.verifiers = n;
      return this;
    }

    /** The most transactions one atomic list may hold. */
    public Builder maxListSize(int n) {
      this.maxListSize = n;
      return this;
    }

    /** How many closed batches may wait for building before ingestion waits. */
    public Builder sealerQueue(int n) {
      this.sealerQueue = n;
      return this;
    }

    /** How batches are proven (empty: built, not proven). */
    public Builder proving(Optional<Proving> p) {
      this.proving = p;
      return this;
    }

    /** How batches are proven. */
    public Builder proving(Proving p) {
      return proving(Optional.of(p));
    }

    /** The L1 the node takes deposits from and publishes to (empty: none). */
    public Builder l1(Optional<L1Endpoint> endpoint) {
      this.l1 = endpoint;
      return this;
    }

    /** The L1 the node takes deposits from and publishes to. */
    public Builder l1(L1Endpoint endpoint) {
      return l1(Optional.of(endpoint));
    }

    /** Where a crash test stops the node for its SIGKILL (default: nowhere). */
    public Builder crashPoint(CrashPoint point) {
      this.crashPoint = point;
      return this;
    }

    /** Rollup or validium. */
    public Builder dataAvailability(DataAvailability mode) {
      this.dataAvailability = mode;
      return this;
    }

    /** The operator account's L1 owner on a node without L1 (default: the zero address, nobody). */
    public Builder operatorOwner(L1Address owner) {
      this.operatorOwner = owner;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range or the values do not fit together
     */
    public NodeConfig build() {
      return new NodeConfig(
          dataDir, rollupId, slots, depth, fee, operator, operatorKeyHash, genesis, sealAfterMillis, ringSize, verifiers, maxListSize, sealerQueue, proving, l1,
          dataAvailability, operatorOwner, tokenFees, crashPoint);
    }
  }

  /** The header values every batch of this node shares, and B (operator and fee are each batch's). */
  public BatchSealer.Params sealerParams() {
    return new BatchSealer.Params(rollupId, slots);
  }

  /**
   * The protocol whose data a node's directory holds, recorded among its fixed parameters: v3's
   * journal entries and batches carry tokens and a 64-bit rollup id, so a v2 (or older) directory
   * cannot be continued.
   */
  static final String PROTOCOL = "protocol=3";

  /**
   * Refuses a data directory that an older protocol's node made (its recorded parameters lack
   * {@link #PROTOCOL}), saying so rather than listing parameters that differ.
   *
   * @throws IllegalStateException if {@code recorded} is not a protocol v3 node's
   */
  static void requireCurrentProtocol(Path dataDir, String recorded) {
    if (!recorded.endsWith("," + PROTOCOL)) {
      throw new IllegalStateException(
          dataDir + " was made by a node of protocol v2 or older (its parameters are " + recorded + "): protocol v3 (tokens, 64-bit rollup ids)"
              + " cannot continue it; start on a new data directory");
    }
  }

  /**
   * The parameters fixed for a data directory, as the node records them: ending in {@link
   * #PROTOCOL}, which a directory of an older protocol lacks.
   */
  String fixedParameters() {
    return "rollupId=" + Long.toUnsignedString(rollupId) + ",slots=" + slots + ",depth=" + depth + ",fee=" + fee + ",operator=" + operator + ",operatorKeyHash=" + operatorKeyHash.toBigInteger().toString(16)
        + (dataAvailability == DataAvailability.ROLLUP ? "" : ",mode=" + dataAvailability.label())
        + (tokenFees.isEmpty() ? "" : ",tokenFees=" + fees().tokenFeesText())
        + "," + PROTOCOL;
  }

  /**
   * A configuration with the fixed parameters a node recorded ({@link #fixedParameters()}'s text),
   * for reading its data directory back (audits): no genesis, no prover, and defaults for the
   * values that may change between restarts.
   *
   * @throws IllegalArgumentException if {@code fixed} is not such a text
   * @throws IllegalStateException if it is an older protocol's
   */
  public static NodeConfig ofFixedParameters(Path dataDir, String fixed) {
    requireCurrentProtocol(dataDir, fixed);
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (String part : fixed.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 1 || values.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("not a node's fixed parameters: " + fixed);
      }
    }
    try {
      NodeConfig c =
          builder(dataDir, Fr.of(new BigInteger(values.get("operatorKeyHash"), 16)))
              .rollupId(Long.parseUnsignedLong(values.get("rollupId")))
              .slots(Integer.parseInt(values.get("slots")))
              .depth(Integer.parseInt(values.get("depth")))
              .fee(new BigInteger(values.get("fee")))
              .operator(Long.parseLong(values.get("operator")))
              .verifiers(1)
              .dataAvailability(DataAvailability.ofLabel(values.getOrDefault("mode", DataAvailability.ROLLUP.label())))
              .tokenFees(FeeSchedule.parseTokenFees(values.getOrDefault("tokenFees", "")))
              .build();
      if (!c.fixedParameters().equals(fixed)) {
        throw new IllegalArgumentException("reads back as " + c.fixedParameters());
      }
      return c;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a node's fixed parameters: " + fixed + " (" + e.getMessage() + ")", e);
    }
  }
}
