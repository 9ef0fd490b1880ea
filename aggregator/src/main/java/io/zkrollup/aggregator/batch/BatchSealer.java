package io.zkrollup.aggregator.batch;

import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds the batches the sequencer closed, in order, on its own thread: applies each to the state
 * tree through {@link BatchBuilder}, commits the tree, then stores witness, public data and the
 * changed accounts in one write, and announces the batch as {@link BatchUpdate.Stage#SEALED}.
 *
 * <p>The tree is committed before the store: after a crash between the two, the tree is one
 * version ahead and recovery reverts it ({@link #recover}), so the store decides what is built.
 */
public final class BatchSealer implements AutoCloseable {

  /**
   * The header values every batch of this node shares, and B; the operator and the fee are each
   * batch's ({@link SealedBatch#operator}, {@link SealedBatch#fee}: its fee token's).
   */
  public record Params(long rollupId, int slots) {}

  private final StateTree tree;
  private final BatchBuilder builder;
  private final BatchStore store;
  private final BatchEvents events;
  private final Params params;
  private final Consumer<Throwable> onFailure;
  private final Map<Long, AccountLeaf> built;
  private final BlockingQueue<SealedBatch> queue;
  private final Thread thread;
  private volatile long builtCount;
  private volatile boolean stopping;
  private volatile boolean failed;

  /**
   * @param tree the state tree, at the version {@link #recover} left it; this sealer owns it
   * @param builder the batch builder; the node's trusts the verified ops the sequencer closes
   *     batches with ({@code BatchBuilder.Signatures.TRUST_VERIFIED})
   * @param store where built batches go
   * @param events where {@code SEALED} updates go
   * @param params rollup id and B
   * @param queueCapacity how many closed batches may wait; a full queue holds up the sequencer
   * @param onFailure told if a batch cannot be built or stored (the node must stop)
   */
  public BatchSealer(
      StateTree tree, BatchBuilder builder, BatchStore store, BatchEvents events, Params params, int queueCapacity, Consumer<Throwable> onFailure) {
    this.tree = Objects.requireNonNull(tree, "tree");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.params = Objects.requireNonNull(params, "params");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.built = new ConcurrentHashMap<>(store.accounts());
    this.builtCount = store.builtCount();
    if (tree.version() != builtCount) {
      throw new IllegalStateException("the tree is at version " + tree.version() + " but " + builtCount + " batches are stored; call recover first");
    }
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.thread = new Thread(this::run, "batch-sealer");
    this.thread.setDaemon(true);
  }

  /**
   * Brings the tree back to the store's last built batch: a crash after the tree's commit but
   * before the store's write leaves the tree one version ahead.
   *
   * @return how many versions the tree was ahead and went back (0 or 1)
   * @throws IllegalStateException if the tree is behind the store (it cannot catch up by itself)
   */
  public static long recover(StateTree tree, BatchStore store) {
    long count = store.builtCount();
    long ahead = tree.version() - count;
    if (ahead > 0) {
      tree.revertTo(count);
    }
    if (tree.version() != count) {
      throw new IllegalStateException("the tree is at version " + tree.version() + " but " + count + " batches are stored");
    }
    return Math.max(0, ahead);
  }

  /** Starts the building thread. */
  public void start() {
    thread.start();
  }

  /**
   * Queues a closed batch for building; blocks while the queue is full (unless the sealer failed
   * or stopped, which drops the batch: the journal has it).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void submit(SealedBatch batch) throws InterruptedException {
    // A sealer that failed or stopped builds nothing more; the journal keeps the batch for the next start.
    while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
      if (failed || stopping) {
        return;
      }
    }
  }

  /** How many batches are built (the tree's version). */
  public long builtCount() {
    return builtCount;
  }

  /** How many closed batches wait to be built. */
  public int backlog() {
    return queue.size();
  }

  /** The account {@code index} as of the last built batch. */
  public Optional<AccountLeaf> builtAccount(long index) {
    return Optional.ofNullable(built.get(index));
  }

  /** A consistent view of the built state: the tree's version, root, one leaf's proof and its account. */
  public record TreeView(long version, Fr root, MerkleProof proof, Optional<AccountLeaf> account) {}

  /** The built tree's version and root, and the proof and account of leaf {@code index}. */
  public TreeView view(long index) {
    synchronized (tree) {
      return new TreeView(tree.version(), tree.committedRoot(), tree.proof(index), Optional.ofNullable(built.get(index)));
    }
  }

  private void run() {
    try {
      while (!stopping) {
        build(queue.take());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failed = true;
      if (!stopping) {
        onFailure.accept(e);
      }
    }
  }

  /**
   * Applies a closed batch to {@code tree} with its header (the node's rollup id, the batch number,
   * the operator account and fee of the batch's fee token), leaving the tree's changes pending: what building a batch means,
   * shared by the sealer and by replays of the journal from scratch ({@code JournalAudit}).
   *
   * @param accounts the accounts behind the tree's leaves, as of the batch before {@code sealed}
   * @throws io.zkrollup.circuits.batch.InvalidBatchException if an op breaks a rule (the tree is
   *     unchanged)
   */
  public static Batch apply(StateTree tree, BatchBuilder builder, Params params, Map<Long, AccountLeaf> accounts, SealedBatch sealed) {
    BatchHeader header = new BatchHeader(params.rollupId(), sealed.number(), sealed.operator(), sealed.fee());
    return builder.build(tree, index -> Optional.ofNullable(accounts.get(index)), header, params.slots(), sealed.ops());
  }

  /** Builds one batch, on the sealer's thread. */
  void build(SealedBatch sealed) {
    StoredBatch stored;
    // Readers of the tree and of the built accounts see a batch entirely or not at all.
    synchronized (tree) {
      if (tree.version() != sealed.number()) {
        throw new IllegalStateException("batch " + sealed.number() + " comes to a tree at version " + tree.version());
      }
      Batch batch = apply(tree, builder, params, built, sealed);
      tree.commit();
      tree.pin(tree.version());
      stored =
          new StoredBatch(sealed.number(), sealed.sealIndex(), sealed.ops().size(), batch.publicInputs(), batch.witness().toBytes(), batch.publicData().bytes(),
              batch.l1Data().bytes());
      store.storeBuilt(stored, batch.accountChanges());
      built.putAll(batch.accountChanges());
      builtCount = sealed.number() + 1;
    }
    events.publish(new BatchUpdate(stored, BatchUpdate.Stage.SEALED, 0));
  }

  /** Stops the thread after the batch in progress; batches still queued are rebuilt from the journal at the next start. */
  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      // A build in progress finishes (bounded work) before the caller closes the databases under it.
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
