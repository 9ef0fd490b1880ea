package io.zkrollup.aggregator.node;

import io.zkrollup.aggregator.batch.BatchEvents;
import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.batch.StoredProof;
import io.zkrollup.aggregator.ingest.IngestionPipeline;
import io.zkrollup.aggregator.l1.L1Deposit;
import io.zkrollup.aggregator.l1.L1ForcedWithdrawal;
import io.zkrollup.aggregator.l1.PriorityRequest;
import io.zkrollup.aggregator.l1.PriorityRequestWatcher;
import io.zkrollup.aggregator.l1.L1Publisher;
import io.zkrollup.aggregator.l1.L1ReorganisedException;
import io.zkrollup.aggregator.l1.L1State;
import io.zkrollup.aggregator.l1.Web3jRollupContract;
import io.zkrollup.aggregator.ingest.SubmissionCallback;
import io.zkrollup.aggregator.process.KeySetup;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.coordinator.CoordinatorMetrics;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.coordinator.JobStore;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.aggregator.sequencer.Sequencer;
import io.zkrollup.aggregator.service.AccountQueries;
import io.zkrollup.aggregator.service.BatchQueries;
import io.zkrollup.aggregator.service.NodeApi;
import io.zkrollup.aggregator.service.NodeParameters;
import io.zkrollup.aggregator.service.NodeProgress;
import io.zkrollup.aggregator.service.NodeStatus;
import io.zkrollup.aggregator.service.Submissions;
import io.zkrollup.aggregator.service.TxStatus;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A rollup node: recovers its state from disk, then ingests, sequences, journals, builds and
 * (optionally) proves batches. Start with {@link #start}; {@link #close} stops it, and a later
 * start on the same data directory continues where it stopped, after a crash as well.
 */
public final class RollupNode implements AutoCloseable, Submissions, AccountQueries, BatchQueries, NodeStatus {

  private static final Logger LOG = Logger.getLogger(RollupNode.class.getName());
  private static final int RETAINED_VERSIONS = 4;
  private static final byte[] PARAMS_KEY = "params".getBytes(StandardCharsets.US_ASCII);

  private final NodeConfig config;
  private final Poseidon2 poseidon2 = new Poseidon2();
  private final NodeDatabase db;
  private final RocksDbTreeStore treeStore;
  private final Journal journal;
  private final BatchStore store;
  private final BatchEvents events = new BatchEvents();
  private final Ledger ledger;
  private final BatchSealer sealer;
  private final IngestionPipeline pipeline;
  private final PrometheusRegistry metrics = new PrometheusRegistry();
  /** The verifying key only: the node checks proofs and encodes them for L1, and never proves. */
  private final GnarkVerifier keys;
  private final JobCoordinator coordinator;
  private final Web3jRollupContract l1;
  private final L1Publisher publisher;
  private final PriorityRequestWatcher requestWatcher;
  private volatile Throwable failure;
  private volatile Throwable publishFailure;
  /** Where the node went back to after L1 reorganised deeper than the confirmations, or null. */
  private volatile String wentBack;
  /** L1 as it was when the node saw it in exodus, or null while it is not. */
  private volatile L1State exodus;
  /** Why the pipeline halts in exodus. */
  private final IllegalStateException exodusHalt =
      new IllegalStateException("L1 is in exodus mode: the rollup has stopped for good; exit on L1 with `zkrollup exit`");

  private RollupNode(NodeConfig config) throws InterruptedException {
    this.config = config;
    this.db = NodeDatabase.open(config.dataDir().resolve("node"));
    try {
      checkParameters();
      this.treeStore = RocksDbTreeStore.open(config.dataDir().resolve("tree"), config.depth());
      StateTree tree = new StateTree(treeStore, poseidon2, RETAINED_VERSIONS);
      this.journal = new Journal(db);
      this.store = new BatchStore(db);
      refuseIfWentBack(store);
      long reverted = BatchSealer.recover(tree, store);
      // L1 first: request 0 names the operator account's owner, which the genesis entry needs.
      // The contract's genesis root is the empty tree's: batch 0's old root once it is built.
      this.l1 = config.l1().isPresent() ? openL1(config.l1().get(), store.batch(0).map(b -> b.oldRoot()).orElse(tree.root())) : null;

      // The ledger and sequencer as of the last built batch, then the journal after it.
      long built = store.builtCount();
      this.ledger = new Ledger(config.depth(), config.fees(), config.operator(), store.accounts());
      Sequencer sequencer =
          new Sequencer(ledger, config.slots(), TimeUnit.MILLISECONDS.toNanos(config.sealAfterMillis()), store.lastSealIndex() + 1, built);
      List<SealedBatch> toBuild = new ArrayList<>();
      Sequencer.Output replay = collect(null, toBuild);
      journal.forEach(sequencer.nextIndex(), (index, entry) -> sequencer.replay(index, entry, replay));
      if (sequencer.nextIndex() == 0) {
        writeGenesis(sequencer, toBuild, l1 != null ? l1.operatorDeposit().owner() : config.operatorOwner());
      }
      sequencer.resume(System.nanoTime());
      LOG.info(
          () ->
              "started: "
                  + built
                  + " batches built"
                  + (reverted > 0 ? " (the state tree was " + reverted + " version ahead of them and is reverted)" : "")
                  + ", "
                  + toBuild.size()
                  + " closed batches to build, journal at "
                  + sequencer.nextIndex());

      this.sealer =
          new BatchSealer(
              tree,
              // The ops come from the pipeline or the journal, verified before they were journaled.
              new BatchBuilder(poseidon2, config.dataAvailability(), BatchBuilder.Signatures.TRUST_VERIFIED),
              store,
              events,
              config.sealerParams(),
              // With an L1 the tree keeps what L1 verified revertible (a reorganisation deeper than
              // the confirmations goes back there); without one it never goes back.
              config.l1().isPresent() ? BatchSealer.Pinning.L1_VERIFIED : BatchSealer.Pinning.BUILT_HEAD,
              config.sealerQueue(),
              this::fail);
      if (config.proving().isPresent()) {
        NodeConfig.Proving proving = config.proving().get();
        this.keys = loadKeys(proving);
        if (config.l1().orElse(null) instanceof L1Endpoint.Ethereum eth) {
          KeyTrust.requireTrustedForL1(keys.origin(), proving.keyDir(), eth.acceptDevelopmentKeys());
        }
        CircuitIdentity circuit = CircuitIdentity.of(proving.keyDir(), keys.system(), keys.slots(), keys.depth(), keys.dataAvailability());
        this.coordinator = new JobCoordinator(circuit, keys, store, new JobStore(db), events, new CoordinatorMetrics(metrics), proving.leases(), config.crashPoint());
      } else {
        this.keys = null;
        this.coordinator = null;
      }
      this.publisher =
          l1 != null ? new L1Publisher(l1, store, events, coordinator::provenCount, sealer::l1Verified, this::failPublishing, config.crashPoint()) : null;
      registerGauges();
      sealer.start();
      for (SealedBatch b : toBuild) {
        sealer.submit(b);
      }
      this.pipeline =
          new IngestionPipeline(
              new IngestionPipeline.Settings(config.ringSize(), config.verifiers(), config.rollupId(), Math.max(1, Math.min(50, config.sealAfterMillis() / 4))),
              poseidon2,
              sequencer,
              journal,
              sealer::submit,
              config.crashPoint(),
              this::fail);
      pipeline.start();
      if (l1 != null) {
        long poll = ((L1Endpoint.Ethereum) config.l1().get()).pollMillis();
        this.requestWatcher = new PriorityRequestWatcher(l1, new WatcherSide(), journaledRequests(), poll);
        requestWatcher.start();
        publisher.start();
      } else {
        this.requestWatcher = null;
      }
    } catch (RuntimeException | InterruptedException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Opens the data directory, recovers and starts the node.
   *
   * @throws IllegalStateException if the directory was made with other fixed parameters, or the
   *     journal does not replay
   * @throws StorageException if the databases cannot be opened
   */
  public static RollupNode start(NodeConfig config) {
    try {
      return new RollupNode(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }

  private void checkParameters() {
    Optional<String> have = storedParameters(db);
    if (have.isEmpty()) {
      db.put(NodeDatabase.Table.META, PARAMS_KEY, config.fixedParameters().getBytes(StandardCharsets.US_ASCII));
    } else if (!have.get().equals(config.fixedParameters())) {
      NodeConfig.requireCurrentProtocol(config.dataDir(), have.get());
      throw new IllegalStateException(config.dataDir() + " belongs to a node with " + have.get() + ", not " + config.fixedParameters());
    }
  }

  /** The fixed parameters recorded in {@code db} ({@link NodeConfig#fixedParameters}), if a node started on it. */
  static Optional<String> storedParameters(NodeDatabase db) {
    byte[] have = db.get(NodeDatabase.Table.META, PARAMS_KEY);
    return have == null ? Optional.empty() : Optional.of(new String(have, StandardCharsets.US_ASCII));
  }

  /**
   * Journals the operator's account and the genesis deposits in one durable write. With an L1 the
   * operator's account is the contract's request 0, owned by the deployer; without one, nobody can
   * force a withdrawal or exit, and the owner is the configuration's (by default {@link
   * NodeConfig#NO_L1_OWNER}).
   */
  private void writeGenesis(Sequencer sequencer, List<SealedBatch> toBuild, L1Address operatorOwner) {
    try (NodeDatabase.WriteSet wb = journal.writeSet()) {
      Sequencer.Output out = collect(wb, toBuild);
      long now = System.nanoTime();
      sequencer.priority(new Deposit(config.operator(), config.operatorKeyHash(), operatorOwner, BigInteger.ZERO), now, out);
      for (Deposit d : config.genesis()) {
        sequencer.priority(d, now, out);
      }
      if (l1 == null) {
        // Without L1 no listing queues the operator's fee accounts: make one for each token the node
        // has a fee for or the genesis holds, after the genesis (whose indices are given).
        for (int token : GenesisFile.feeTokens(config.genesis(), config.tokenFees().keySet())) {
          long index = ledger.placement(config.operatorKeyHash(), operatorOwner.owner(), token);
          sequencer.priority(new Deposit(index, config.operatorKeyHash(), operatorOwner, BigInteger.ZERO, token), now, out);
        }
      }
      journal.commit(wb);
    }
  }

  private Sequencer.Output collect(NodeDatabase.WriteSet wb, List<SealedBatch> sealed) {
    return new Sequencer.Output() {
      @Override
      public void journal(long index, JournalEntry entry) {
        if (wb != null) {
          journal.add(wb, index, entry);
        }
      }

      @Override
      public void sealed(SealedBatch batch) {
        sealed.add(batch);
      }
    };
  }

  private GnarkVerifier loadKeys(NodeConfig.Proving proving) throws InterruptedException {
    LibZkProver lib = LibZkProver.load();
    Path dir = proving.keyDir();
    if (KeySetup.ensure(dir, proving.system(), config.slots(), config.depth(), config.dataAvailability(), line -> LOG.info(() -> "key setup: " + line))) {
      LOG.info(() -> "set up " + proving.system().label() + " " + config.dataAvailability().label() + " development keys for B=" + config.slots() + ", D=" + config.depth() + " in " + dir);
    }
    GnarkVerifier loaded = GnarkVerifier.load(lib, dir);
    if (loaded.slots() != config.slots()
        || loaded.depth() != config.depth()
        || loaded.system() != proving.system()
        || loaded.dataAvailability() != config.dataAvailability()) {
      String have = loaded + " (" + loaded.dataAvailability().label() + ")";
      loaded.close();
      throw new IllegalStateException(
          "the keys in " + dir + " are " + have + ", the node needs " + proving.system().label() + " B=" + config.slots() + " D=" + config.depth() + " ("
              + config.dataAvailability().label() + ")");
    }
    return loaded;
  }

  private void registerGauges() {
    GaugeWithCallback.builder()
        .name("zkrollup_node_batches")
        .help("Batches by stage: sealed (cut by the sequencer), built (witness stored), proven (from 0 on without a gap).")
        .labelNames("stage")
        .callback(
            cb -> {
              NodeProgress p = progress();
              cb.call(p.sealedBatches(), "sealed");
              cb.call(p.builtBatches(), "built");
              cb.call(p.provenBatches(), "proven");
            })
        .register(metrics);
    GaugeWithCallback.builder()
        .name("zkrollup_node_journal_entries")
        .help("Durable journal entries (the next journal index).")
        .callback(cb -> cb.call(progress().journalEntries()))
        .register(metrics);
    GaugeWithCallback.builder()
        .name("zkrollup_node_l1_exodus")
        .help("1 once L1 is in exodus mode: the node has stopped sequencing for good and users exit on L1.")
        .callback(cb -> cb.call(exodus != null ? 1 : 0))
        .register(metrics);
  }

  /** How many priority requests the journal holds: the L1 queue entries fed so far (request 0 is the operator's deposit). */
  private long journaledRequests() {
    long[] count = {0};
    journal.forEach(0, (index, entry) -> {
      if (entry instanceof JournalEntry.Priority) {
        count[0]++;
      }
    });
    return count[0];
  }

  /**
   * Journals an L1 priority request, in queue order: a deposit into the account with its idHash (key,
   * owner), or the lowest empty leaf; a forced withdrawal as it is, which the sequencer's ledger pays
   * or refuses by {@code TxRules.forcedWithdrawal}.
   */
  private CompletableFuture<?> feedRequest(PriorityRequest request) {
    if (request instanceof L1Deposit d) {
      int token = (int) d.token();
      return pipeline.priority(new Deposit(ledger.placement(d.keyHash(), d.owner().owner(), token), d.keyHash(), d.owner(), d.amount(), token));
    }
    L1ForcedWithdrawal f = (L1ForcedWithdrawal) request; // the only other kind (sealed)
    return pipeline.priority(new ForcedWithdrawal(f.account(), f.requester(), f.amount(), (int) f.token()));
  }

  /** What the priority request watcher feeds and tells the node. */
  private final class WatcherSide implements PriorityRequestWatcher.Node {
    /** How L1's verified state differed at the last poll, or null: the watcher's thread only. */
    private String suspected;

    @Override
    public CompletableFuture<?> feed(PriorityRequest request) {
      return feedRequest(request);
    }

    @Override
    public void sealNow() {
      pipeline.sealNow();
    }

    @Override
    public void exodus(L1State state) {
      enterExodus(state);
    }

    @Override
    public void failed(Throwable cause) {
      fail(cause);
      if (cause instanceof L1ReorganisedException) {
        goBackToL1();
      }
    }

    @Override
    public void l1Verified(L1State confirmed) {
      Optional<String> differs = sealer.followL1(confirmed.batchCount(), confirmed.stateRoot());
      if (differs.isEmpty()) {
        suspected = null;
        return;
      }
      // Going back is for good, so one answer is not enough: an RPC behind a load balancer can
      // answer two calls from nodes at different heights. A reorganisation is still there at the
      // next poll.
      if (suspected == null) {
        suspected = differs.get();
        LOG.warning(() -> "L1's verified state differs from the node's (" + suspected + "); reading it again at the next poll");
        return;
      }
      throw new L1ReorganisedException(
          "L1 reorganised under batches it had verified: " + differs.get() + ". This is deeper than --l1-confirmations: raise it, and see docs/operations.md, \"Recovery\"");
    }
  }

  /**
   * After L1 reorganised deeper than the confirmations (the node has stopped accepting): stops
   * publishing and proving, and takes the tree and the built batches back to the last batch L1
   * verified, durably ({@link BatchSealer#goBack}), so that the node's root and sealed accounts are
   * what L1 holds. The data directory keeps the reason, and the next start refuses it ({@link
   * #refuseIfWentBack}).
   */
  private void goBackToL1() {
    closeEach(publisher, coordinator);
    OptionalLong onL1;
    try {
      onL1 = OptionalLong.of(l1.confirmedState().batchCount());
    } catch (RuntimeException e) {
      LOG.warning(() -> "L1's verified batch count cannot be read (" + e.getMessage() + "): going back to the pinned version");
      onL1 = OptionalLong.empty();
    }
    String why = String.valueOf(failure == null ? "L1 reorganised" : failure.getMessage());
    try {
      long at = sealer.goBack(onL1, why);
      BatchSealer.TreeView view = sealer.view(0);
      wentBack =
          "went back to the " + at + " batches L1 verified (root " + view.root() + ")" + (onL1.isPresent() && onL1.getAsLong() != at
              ? "; L1 holds " + onL1.getAsLong() + " verified batches now, which the tree no longer has"
              : "");
      LOG.severe(() -> "L1 reorganised deeper than --l1-confirmations: the node " + wentBack + "; it stays stopped, and its data directory will not start again (docs/operations.md, \"Recovery\")");
    } catch (RuntimeException e) {
      wentBack = "could not go back to the last batch L1 verified: " + e.getMessage();
      LOG.log(Level.SEVERE, "L1 reorganised deeper than --l1-confirmations, and the node " + wentBack, e);
    }
  }

  /**
   * A data directory that went back after an L1 reorganisation still has, in its journal, what L1
   * dropped: replaying it would build those batches again. It is not started (docs/operations.md,
   * "Recovery").
   */
  private static void refuseIfWentBack(BatchStore store) {
    store
        .wentBack()
        .ifPresent(
            why -> {
              throw new IllegalStateException(
                  "this data directory went back to the " + store.builtCount() + " batches L1 verified after L1 reorganised deeper than --l1-confirmations ("
                      + why + "); its journal still holds what L1 dropped, so the node does not start on it: see docs/operations.md, \"Recovery\", for how to go on");
            });
  }

  /**
   * L1 is in exodus: no batch can be committed any more, so the node stops sequencing for good
   * (submissions get NODE_HALTED) and says so once, in the log, the status RPC and a metric.
   */
  private void enterExodus(L1State state) {
    LOG.severe(
        () -> "L1 is in exodus mode (frozen at batch " + state.batchCount() + ", root " + state.stateRoot() + ", " + (state.requestCount() - state.requestsConsumed())
            + " priority requests unprocessed): the node stops sequencing for good; users take their balances out on L1 with `zkrollup exit`");
    // Halt first, then say so: a client that reads exodus from the status must be refused.
    pipeline.halt(exodusHalt);
    exodus = state;
  }

  private void failPublishing(Throwable t) {
    publishFailure = t;
  }

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
      if (t != exodusHalt) { // exodus has said its one line already
        LOG.log(Level.SEVERE, "the node stopped accepting transactions", t);
      }
      IngestionPipeline p = pipeline;
      if (p != null) {
        p.halt(t);
      }
    }
  }

  // ------------------------------------------------------------------ what the services use

  /** The configuration. */
  public NodeConfig config() {
    return config;
  }

  /** What the node's public API serves (RollupService depends on this, not on the node). */
  public NodeApi api() {
    NodeParameters parameters =
        new NodeParameters(config.rollupId(), config.slots(), config.depth(), config.fee(), config.operator(), config.maxListSize(), config.dataAvailability());
    return new NodeApi(parameters, this, this, this, this);
  }

  @Override
  public void submit(List<SignedOp> ops, SubmissionCallback callback) {
    pipeline.submit(ops, callback);
  }

  /** Submits a request from the L1 queue (see {@link IngestionPipeline#priority}). */
  public CompletableFuture<Long> priority(PriorityOp op) {
    return pipeline.priority(op);
  }

  @Override
  public Optional<Long> indexOf(Fr keyHash) {
    return ledger.indexOf(keyHash);
  }

  @Override
  public long[] indicesOf(Fr keyHash, long fromIndex, int limit) {
    return ledger.indicesOf(keyHash, fromIndex, limit);
  }

  @Override
  public Optional<AccountLeaf> pendingAccount(long index) {
    return ledger.account(index);
  }

  @Override
  public BatchSealer.TreeView treeView(long index) {
    return sealer.view(index);
  }

  @Override
  public Optional<TxStatus> status(Fr txHash) {
    OptionalLong index = journal.indexOf(txHash);
    if (index.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong batch = store.batchOf(index.getAsLong());
    if (batch.isEmpty()) {
      return Optional.of(new TxStatus(TxStatus.Stage.PENDING, index.getAsLong(), -1));
    }
    long n = batch.getAsLong();
    TxStatus.Stage stage =
        publisher != null && n < publisher.published()
            ? TxStatus.Stage.PUBLISHED
            : store.proof(n).isPresent() ? TxStatus.Stage.PROVEN : TxStatus.Stage.SEALED;
    return Optional.of(new TxStatus(stage, index.getAsLong(), n));
  }

  @Override
  public long builtCount() {
    return store.builtCount();
  }

  @Override
  public Optional<StoredBatch> batch(long n) {
    return store.batch(n);
  }

  @Override
  public Optional<StoredProof> proof(long n) {
    return store.proof(n);
  }

  @Override
  public AutoCloseable subscribe(Consumer<BatchUpdate> listener) {
    return events.subscribe(listener);
  }

  @Override
  public NodeProgress progress() {
    BatchSealer.TreeView view = sealer.view(0);
    long proven = coordinator != null ? coordinator.provenCount() : store.provenPrefix();
    return new NodeProgress(pipeline.durableEntries(), pipeline.sealedBatches(), view.version(), proven, view.root());
  }

  @Override
  public boolean l1Exodus() {
    return exodus != null;
  }

  @Override
  public long l1VerifiedBatches() {
    return l1 != null ? sealer.l1Verified() : 0;
  }

  /** The state tree's pinned version, the one it can always go back to: on an L1, {@link #l1VerifiedBatches}. */
  public long pinnedTreeVersion() {
    return sealer.pinnedVersion();
  }

  @Override
  public Optional<String> halted() {
    Throwable f = failure;
    if (f == null) {
      return Optional.empty();
    }
    String w = wentBack;
    return Optional.of(String.valueOf(f.getMessage()) + (w != null ? "; the node " + w : ""));
  }

  @Override
  public SortedMap<Integer, BigInteger> servedFees() {
    return ledger.servedFees();
  }

  @Override
  public Optional<JobCoordinator.Snapshot> proverQueue() {
    return Optional.ofNullable(coordinator).map(JobCoordinator::snapshot);
  }

  /** The prover coordinator, if the node proves its batches (its servers hand jobs to workers). */
  public Optional<JobCoordinator> coordinator() {
    return Optional.ofNullable(coordinator);
  }

  private Web3jRollupContract openL1(L1Endpoint endpoint, Fr genesisRoot) {
    if (endpoint instanceof L1Endpoint.Ethereum eth) {
      Web3jRollupContract.Settings s =
          Web3jRollupContract.Settings.of(eth.rpc(), eth.contract(), Web3jRollupContract.readKeyFile(eth.keyFile()))
              .withChainId(eth.chainId())
              .withPollInterval(Duration.ofMillis(eth.pollMillis()))
              .withConfirmations(eth.confirmations())
              .withFromBlock(eth.fromBlock());
      return Web3jRollupContract.open(
          s,
          config.rollupId(),
          config.slots(),
          config.depth(),
          config.dataAvailability(),
          genesisRoot,
          config.operatorKeyHash(),
          // this.keys: the node opens L1 before it loads the keys, and encodes proofs only later.
          (proof, inputs) -> this.keys.solidityProof(new BatchProof(this.keys.system(), proof, inputs)));
    }
    throw new IllegalArgumentException("unknown L1 endpoint " + endpoint);
  }

  /** How many batches from 0 on L1 holds, as the publisher last saw (0 without an L1). */
  public long publishedBatches() {
    return publisher != null ? publisher.published() : 0;
  }

  /** Why publishing to L1 stopped, if it did. */
  public Optional<Throwable> publishFailure() {
    return Optional.ofNullable(publishFailure);
  }

  /** The node's Prometheus metrics (serve them with {@code MetricsEndpoint}). */
  public PrometheusRegistry metrics() {
    return metrics;
  }

  /** The failure that stopped the node from accepting, if any. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Stops accepting, drains the ring, stops building and proving, and closes the databases. */
  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    closeEach(requestWatcher, publisher, pipeline, sealer, coordinator, keys, l1, treeStore, db);
  }

  private static void closeEach(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.log(Level.WARNING, "closing " + c, e);
        }
      }
    }
  }

}
