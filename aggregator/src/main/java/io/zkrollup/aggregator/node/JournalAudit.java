package io.zkrollup.aggregator.node;

import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.aggregator.sequencer.Sequencer;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a stopped node's whole journal from index 0, with nothing but the journal: a fresh
 * {@link Ledger}, a fresh {@link Sequencer} ({@link Sequencer#replay}) and a fresh in-memory state
 * tree, building every sealed batch as the node's sealer does ({@link BatchSealer#apply}), except
 * that it verifies every signature again ({@link BatchBuilder.Signatures#VERIFY_ALL}), which the
 * sealer leaves to the ingestion pipeline. What it
 * returns is what the node's stores must agree with: the root and public inputs of every batch,
 * the accounts, and where every transaction is.
 *
 * <p>It reads the node database read-only and never touches the node's state tree, so the next
 * start of the node recovers from exactly what a crash left.
 */
public final class JournalAudit {

  /**
   * One sealed batch as the replay built it.
   *
   * @param sealIndex the journal index of its seal entry
   * @param ops its ops (signed ops and deposits)
   * @param signedOps how many of them are signed (each pays the fee)
   * @param publicInputs old root, new root, batch number and public-data hash
   */
  public record AuditedBatch(long sealIndex, int ops, int signedOps, PublicInputs publicInputs) {
    /** The batch number. */
    public long number() {
      return publicInputs.batchNumber();
    }

    /** The root after the batch. */
    public Fr newRoot() {
      return publicInputs.newRoot();
    }
  }

  /**
   * What the replay reached.
   *
   * @param journalEntries how many entries the journal holds (the next index)
   * @param emptyRoot the root of the empty tree (the state before batch 0)
   * @param batches every sealed batch, in order (batch i at position i)
   * @param ledger every account after every journal entry (sealed or not)
   * @param sealedAccounts every account after the last sealed batch
   * @param openOps the ops journaled after the last seal, in the open batch
   * @param txIndices the journal indices at which each transaction hash occurs
   */
  public record Result(
      long journalEntries,
      Fr emptyRoot,
      List<AuditedBatch> batches,
      Map<Long, AccountLeaf> ledger,
      Map<Long, AccountLeaf> sealedAccounts,
      List<BatchOp> openOps,
      Map<Fr, List<Long>> txIndices) {

    /** Copies the collections. */
    public Result {
      batches = List.copyOf(batches);
      ledger = Map.copyOf(ledger);
      sealedAccounts = Map.copyOf(sealedAccounts);
      openOps = List.copyOf(openOps);
      Map<Fr, List<Long>> copy = new HashMap<>();
      txIndices.forEach((hash, indices) -> copy.put(hash, List.copyOf(indices)));
      txIndices = Map.copyOf(copy);
    }

    /** How many batches are sealed. */
    public long sealedBatches() {
      return batches.size();
    }

    /** The root after every sealed batch. */
    public Fr root() {
      return rootAfter(batches.size());
    }

    /** The root after the first {@code count} batches (the empty root for 0). */
    public Fr rootAfter(long count) {
      Objects.checkIndex(count, batches.size() + 1);
      return count == 0 ? emptyRoot : batches.get((int) count - 1).newRoot();
    }

    /** How often the transaction with hash {@code txHash} occurs in the journal. */
    public int occurrences(Fr txHash) {
      List<Long> at = txIndices.get(txHash);
      return at == null ? 0 : at.size();
    }

    /** How many transactions the journal holds. */
    public long transactions() {
      return txIndices.values().stream().mapToLong(List::size).sum();
    }
  }

  private JournalAudit() {}

  /**
   * Audits the stopped node in {@code config.dataDir()}, which must have been made with {@code
   * config}'s fixed parameters (the rest of the config is not used).
   *
   * @throws IllegalStateException if the directory belongs to a node with other parameters, or the
   *     journal does not replay (an entry that no longer applies, a seal out of order, a batch that
   *     does not build)
   * @throws io.zkrollup.aggregator.store.StorageException if there is no node database, or the
   *     journal has a hole
   */
  public static Result run(NodeConfig config) {
    try (NodeDatabase db = openNodeDatabase(config.dataDir())) {
      String stored =
          RollupNode.storedParameters(db)
              .orElseThrow(() -> new IllegalStateException(config.dataDir() + " has no recorded node parameters: no node started on it"));
      if (!stored.equals(config.fixedParameters())) {
        throw new IllegalStateException(config.dataDir() + " belongs to a node with " + stored + ", not " + config.fixedParameters());
      }
      return replay(new Journal(db), config);
    }
  }

  /**
   * The configuration recorded in the stopped node's {@code dataDir}: its fixed parameters ({@link
   * NodeConfig#ofFixedParameters}).
   *
   * @throws IllegalStateException if no node started on it
   */
  public static NodeConfig storedConfig(Path dataDir) {
    try (NodeDatabase db = openNodeDatabase(dataDir)) {
      String stored =
          RollupNode.storedParameters(db).orElseThrow(() -> new IllegalStateException(dataDir + " has no recorded node parameters: no node started on it"));
      return NodeConfig.ofFixedParameters(dataDir, stored);
    }
  }

  private static NodeDatabase openNodeDatabase(Path dataDir) {
    Path dir = dataDir.resolve("node");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(dataDir + " holds no node database (" + dir + " is missing)");
    }
    return NodeDatabase.openReadOnly(dir);
  }

  /**
   * Replays {@code journal} from index 0 with {@code config}'s fixed parameters.
   *
   * @throws IllegalStateException if the journal does not replay
   */
  public static Result replay(Journal journal, NodeConfig config) {
    Poseidon2 poseidon2 = new Poseidon2();
    StateTree tree = new StateTree(new InMemoryTreeStore(config.depth()), poseidon2, 0);
    Fr emptyRoot = tree.committedRoot();
    // Unlike the node's sealer, the audit trusts nothing it reads: every signature, key hash and
    // transaction hash in the journal is checked again.
    BatchBuilder builder = new BatchBuilder(poseidon2, config.dataAvailability(), BatchBuilder.Signatures.VERIFY_ALL);
    BatchSealer.Params params = config.sealerParams();
    Ledger ledger = new Ledger(config.depth(), config.fees(), config.operator(), Map.of());
    Sequencer sequencer = new Sequencer(ledger, config.slots(), Long.MAX_VALUE, 0, 0);
    Map<Long, AccountLeaf> sealedAccounts = new HashMap<>();
    List<AuditedBatch> batches = new ArrayList<>();
    Map<Fr, List<Long>> txIndices = new HashMap<>();
    Sequencer.Output build =
        new Sequencer.Output() {
          @Override
          public void journal(long index, JournalEntry entry) {
            throw new IllegalStateException("a replay journals nothing");
          }

          @Override
          public void sealed(SealedBatch sealed) {
            if (sealed.number() != batches.size()) {
              throw new IllegalStateException("batch " + sealed.number() + " sealed after " + batches.size() + " batches");
            }
            Batch batch;
            try {
              batch = BatchSealer.apply(tree, builder, params, sealedAccounts, sealed);
            } catch (RuntimeException e) {
              throw new IllegalStateException("batch " + sealed.number() + " (sealed at journal index " + sealed.sealIndex() + ") does not build: " + e.getMessage(), e);
            }
            tree.commit();
            sealedAccounts.putAll(batch.accountChanges());
            batches.add(new AuditedBatch(sealed.sealIndex(), sealed.ops().size(), sealed.signedOps(), batch.publicInputs()));
          }
        };
    List<BatchOp> open = new ArrayList<>();
    journal.forEach(
        0,
        (index, entry) -> {
          sequencer.replay(index, entry, build);
          if (entry instanceof JournalEntry.Tx t) {
            txIndices.computeIfAbsent(t.tx().txHash(), h -> new ArrayList<>(1)).add(index);
            open.add(t.tx().signed());
          } else if (entry instanceof JournalEntry.Priority p) {
            open.add(p.op());
          } else {
            open.clear();
          }
        });
    return new Result(sequencer.nextIndex(), emptyRoot, batches, ledger.snapshot(), sealedAccounts, open, txIndices);
  }
}
