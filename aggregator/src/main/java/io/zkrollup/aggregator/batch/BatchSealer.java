package io.zkrollup.aggregator.batch;

import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
 *
 * <p>The tree's pinned version ({@link Pinning}) is the one it can always go back to. On an L1 it
 * is the last batch L1 verified ({@link #followL1}), and a reorganisation deeper than the node's
 * confirmations takes the tree and the store back there ({@link #goBack}).
 */
public final class BatchSealer implements AutoCloseable {

  /**
   * The header values every batch of this node shares, and B; the operator and the fee are each
   * batch's ({@link SealedBatch#operator}, {@link SealedBatch#fee}: its fee token's).
   */
  public record Params(long rollupId, int slots) {}

  /** Which version of the tree stays revertible. */
  public enum Pinning {
    /** Each built version: a node without an L1 never goes back, so the tree keeps no history for it. */
    BUILT_HEAD,
    /**
     * The last version L1 verified with the node's confirmations, moved by {@link #followL1}: what
     * a reorganisation deeper than the confirmations goes back to ({@link #goBack}).
     */
    L1_VERIFIED
  }

  private final StateTree tree;
  private final BatchBuilder builder;
  private final BatchStore store;
  private final BatchEvents events;
  private final Params params;
  private final Pinning pinning;
  private final Consumer<Throwable> onFailure;
  private final Map<Long, AccountLeaf> built;
  private final BlockingQueue<SealedBatch> queue;
  private final Thread thread;
  private volatile long builtCount;
  private volatile boolean stopping;
  private volatile boolean failed;
  /** The tree's pinned version, for readers that do not take the tree's lock. */
  private volatile long pinned;
  /** {@link BatchStore#l1Verified}, for readers that do not take the tree's lock. */
  private volatile long verified;
  /** Set by {@link #goBack}: the sealer builds nothing more. */
  private volatile boolean wentBack;

  /**
   * @param tree the state tree, at the version {@link #recover} left it; this sealer owns it
   * @param builder the batch builder; the node's trusts the verified ops the sequencer closes
   *     batches with ({@code BatchBuilder.Signatures.TRUST_VERIFIED})
   * @param store where built batches go
   * @param events where {@code SEALED} updates go
   * @param params rollup id and B
   * @param pinning which version stays revertible: the built head without an L1, the last one L1
   *     verified with one
   * @param queueCapacity how many closed batches may wait; a full queue holds up the sequencer
   * @param onFailure told if a batch cannot be built or stored (the node must stop)
   */
  public BatchSealer(
      StateTree tree, BatchBuilder builder, BatchStore store, BatchEvents events, Params params, Pinning pinning, int queueCapacity, Consumer<Throwable> onFailure) {
    this.tree = Objects.requireNonNull(tree, "tree");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.params = Objects.requireNonNull(params, "params");
    this.pinning = Objects.requireNonNull(pinning, "pinning");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.built = new ConcurrentHashMap<>(store.accounts());
    this.builtCount = store.builtCount();
    if (tree.version() != builtCount) {
      throw new IllegalStateException("the tree is at version " + tree.version() + " but " + builtCount + " batches are stored; call recover first");
    }
    this.pinned = tree.pinnedVersion();
    this.verified = store.l1Verified();
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

  /** The tree's pinned version: the one it can always go back to. */
  public long pinnedVersion() {
    return pinned;
  }

  /**
   * How many batches L1 holds with the node's confirmations, as last seen ({@link #followL1}) and
   * recorded in the store: with {@link Pinning#L1_VERIFIED}, the tree's pinned version.
   */
  public long l1Verified() {
    return verified;
  }

  /**
   * L1 holds {@code count} batches, the last of them with root {@code root}, read at the block that
   * has the node's confirmations: if the node built that many, with that root, the tree's pin moves
   * to {@code count} and the store records it. L1 ahead of the built batches (after a restart,
   * before the sealer caught up) moves nothing: a later call does.
   *
   * <p>A data directory from before the record pinned every built version: there the first counts
   * move the pin down to L1's (as far as the tree still has versions) rather than count as a
   * reorganisation.
   *
   * @return empty if L1 agrees with the built batches; else how it differs: fewer batches than it
   *     had verified (a reorganisation took verified commits away), or another root
   * @throws IllegalStateException if the sealer does not pin what L1 verified ({@link Pinning})
   */
  public Optional<String> followL1(long count, Fr root) {
    if (pinning != Pinning.L1_VERIFIED) {
      throw new IllegalStateException("this sealer pins the built head, not what L1 verified");
    }
    synchronized (tree) {
      if (wentBack) {
        return Optional.empty(); // the node has stopped; goBack said why
      }
      if (count < verified) {
        return Optional.of("L1 now holds " + count + " verified batches, fewer than the " + verified + " it had verified with the node's confirmations");
      }
      if (count > tree.version()) {
        return Optional.empty();
      }
      if (count >= tree.oldestVersion()) {
        Fr ours = tree.rootAt(count).orElseThrow(() -> new IllegalStateException("the tree lost version " + count + ", which it keeps"));
        if (!ours.equals(root)) {
          return Optional.of("L1's root after " + count + " batches is " + root + ", the node built " + ours);
        }
        if (count != tree.pinnedVersion()) {
          tree.pin(count);
          pinned = count;
        }
      }
      if (count > verified) {
        store.recordL1Verified(count);
        verified = count;
      }
      return Optional.empty();
    }
  }

  /**
   * Takes the built state back to the last batch L1 verified, durably, because L1 reorganised deeper
   * than the node's confirmations: the store ({@link BatchStore#wentBackTo}, which records {@code
   * why}) and the tree go back to {@code l1Count} batches if the tree still has that version (L1
   * lost commits it had verified), else to the pinned version. The sealer builds nothing afterwards.
   *
   * @param l1Count how many batches L1 holds now, with the confirmations, if it could be read
   * @return the version the tree and the store are at now
   */
  public long goBack(OptionalLong l1Count, String why) {
    wentBack = true;
    synchronized (tree) {
      long target = tree.pinnedVersion();
      if (l1Count.isPresent() && l1Count.getAsLong() < target && l1Count.getAsLong() >= tree.oldestVersion()) {
        target = l1Count.getAsLong();
      }
      // The store first, with the reason: after a crash before the tree follows, the tree is ahead
      // (recover() reverts such a tree), and the recorded reason stops the next start either way.
      store.wentBackTo(target, why);
      tree.revertTo(target);
      // Readers without the lock (builtAccount) never see an empty map in between.
      Map<Long, AccountLeaf> restored = store.accounts();
      built.keySet().retainAll(restored.keySet());
      built.putAll(restored);
      builtCount = target;
      pinned = tree.pinnedVersion();
      verified = store.l1Verified();
      return target;
    }
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
      if (wentBack) {
        return; // the node stopped after L1 reorganised: nothing is built on what L1 dropped
      }
      if (tree.version() != sealed.number()) {
        throw new IllegalStateException("batch " + sealed.number() + " comes to a tree at version " + tree.version());
      }
      Batch batch = apply(tree, builder, params, built, sealed);
      Map<Long, AccountLeaf> previous = new HashMap<>();
      for (Long index : batch.accountChanges().keySet()) {
        AccountLeaf before = built.get(index);
        if (before != null) {
          previous.put(index, before);
        }
      }
      tree.commit();
      if (pinning == Pinning.BUILT_HEAD) {
        tree.pin(tree.version());
        pinned = tree.version();
      }
      stored =
          new StoredBatch(sealed.number(), sealed.sealIndex(), sealed.ops().size(), batch.publicInputs(), batch.witness().toBytes(), batch.publicData().bytes(),
              batch.l1Data().bytes());
      // The store keeps undo records as far back as the tree can go.
      store.storeBuilt(stored, batch.accountChanges(), previous, tree.oldestVersion());
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
