package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.node.JournalAudit;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup audit --data-dir DIR}: replays a stopped node's journal from scratch ({@link
 * JournalAudit}) and compares the result with what the node stored: every built batch's public
 * inputs, the accounts, the transaction index and the state tree. Exit status 0 if they agree, 1 if
 * not, 2 if the directory cannot be audited.
 */
@Command(
    name = "audit",
    description = {
      "Replay a stopped node's journal from index 0 into a fresh ledger, sequencer and state tree, and",
      "compare with the node's stores: built batches, accounts, transaction index and state tree.",
      "Run it only while no node runs on --data-dir. Exit status 0: consistent, 1: not, 2: cannot audit."
    })
final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The data directory of a stopped node.")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NodeConfig config;
    try {
      config = JournalAudit.storedConfig(dataDir);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("cannot audit " + dataDir + ": " + e.getMessage());
      return 2;
    }
    out.printf("data dir        %s%n", dataDir);
    out.printf(
        "parameters      rollup %s, B=%d, D=%d, fee %s%s, operator %d%n", Long.toUnsignedString(config.rollupId()), config.slots(), config.depth(), config.fee(),
        config.tokenFees().isEmpty() ? "" : " (tokens " + config.fees().tokenFeesText() + ")", config.operator());
    List<String> problems = new ArrayList<>();
    long started = System.nanoTime();
    JournalAudit.Result audit;
    try {
      audit = JournalAudit.run(config);
    } catch (RuntimeException e) {
      out.printf("journal         does not replay: %s%n", e.getMessage());
      out.println("result          INCONSISTENT");
      out.flush();
      return 1;
    }
    long replayMillis = (System.nanoTime() - started) / 1_000_000;
    long repeated = audit.txIndices().values().stream().filter(at -> at.size() != 1).count();
    out.printf(
        "journal         %d entries, %d transactions, replayed in %d ms%n", audit.journalEntries(), audit.transactions(), replayMillis);
    if (repeated > 0) {
      problems.add(repeated + " transaction hashes occur more than once in the journal");
    }
    out.printf("sealed batches  %d (open batch: %d ops)%n", audit.sealedBatches(), audit.openOps().size());
    out.printf("replayed root   %s%n", audit.root());

    long built;
    try (NodeDatabase db = NodeDatabase.openReadOnly(dataDir.resolve("node"))) {
      BatchStore store = new BatchStore(db);
      built = store.builtCount();
      compareBatches(store, built, audit, problems, out);
      compareTxIndex(new Journal(db), audit, problems, out);
      if (built == audit.sealedBatches()) {
        boolean same = store.accounts().equals(audit.sealedAccounts());
        out.printf("accounts        %s%n", same ? "the stored accounts equal the replay's" : "DIFFER from the replay's");
        if (!same) {
          problems.add("the stored accounts differ from the replay's after " + built + " batches");
        }
      } else if (store.wentBack().isPresent()) {
        out.printf("accounts        not compared: the stores went back to the %d batches L1 verified, %d sealed batches after them are not built%n", built, audit.sealedBatches() - built);
      } else {
        out.printf("accounts        not compared: %d sealed batches are not built yet (the next start builds them)%n", audit.sealedBatches() - built);
      }
      store
          .wentBack()
          .ifPresent(why -> out.printf("went back       after an L1 reorganisation deeper than the confirmations (%s): the node does not start on this directory (docs/operations.md, \"Recovery\")%n", why));
    }
    compareTree(config, built, audit, problems, out);

    if (problems.isEmpty()) {
      out.println("result          CONSISTENT");
    } else {
      out.println("result          INCONSISTENT");
      problems.forEach(p -> out.println("  - " + p));
    }
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  private static void compareBatches(BatchStore store, long built, JournalAudit.Result audit, List<String> problems, PrintWriter out) {
    if (built > audit.sealedBatches()) {
      problems.add(built + " batches are stored but the journal seals only " + audit.sealedBatches());
    }
    long differ = 0;
    for (long n = 0; n < Math.min(built, audit.sealedBatches()); n++) {
      Optional<StoredBatch> stored = store.batch(n);
      JournalAudit.AuditedBatch replayed = audit.batches().get((int) n);
      if (stored.isEmpty()) {
        problems.add("batch " + n + " is missing from the store");
        differ++;
      } else if (!stored.get().publicInputs().equals(replayed.publicInputs())
          || stored.get().sealIndex() != replayed.sealIndex()
          || stored.get().ops() != replayed.ops()) {
        if (differ++ < 5) {
          problems.add("stored batch " + n + " " + stored.get() + " differs from the replay's " + replayed);
        }
      }
    }
    out.printf(
        "stored batches  %d built; %s%n",
        built,
        differ == 0 ? "public inputs, seal index and op count of each equal the replay's" : differ + " DIFFER from the replay");
  }

  private static void compareTxIndex(Journal journal, JournalAudit.Result audit, List<String> problems, PrintWriter out) {
    long wrong = 0;
    for (Map.Entry<Fr, List<Long>> e : audit.txIndices().entrySet()) {
      OptionalLong indexed = journal.indexOf(e.getKey());
      if (indexed.isEmpty() || !e.getValue().contains(indexed.getAsLong())) {
        if (wrong++ < 5) {
          problems.add("the tx index has " + indexed + " for transaction " + e.getKey() + ", journaled at " + e.getValue());
        }
      }
    }
    out.printf("tx index        %s%n", wrong == 0 ? "every transaction's entry points at its journal entry" : wrong + " entries are WRONG");
  }

  private static void compareTree(NodeConfig config, long built, JournalAudit.Result audit, List<String> problems, PrintWriter out) {
    // Opened read-write (the tree store has no read-only mode), only read.
    try (RocksDbTreeStore treeStore = RocksDbTreeStore.open(config.dataDir().resolve("tree"), config.depth())) {
      StateTree tree = new StateTree(treeStore, new Poseidon2(), 0);
      long version = tree.version();
      Fr recomputed = tree.verifyIntegrity();
      StringBuilder line = new StringBuilder("version " + version + ", root " + recomputed + " (recomputed from its leaves)");
      if (version != built && version != built + 1) {
        problems.add("the tree is at version " + version + " but " + built + " batches are stored");
      } else if (built <= audit.sealedBatches()) {
        Optional<Fr> atBuilt = version == built ? Optional.of(recomputed) : tree.rootAt(built);
        if (atBuilt.isEmpty()) {
          problems.add("the tree no longer keeps version " + built);
        } else if (!atBuilt.get().equals(audit.rootAfter(built))) {
          problems.add("the tree's root at version " + built + " is " + atBuilt.get() + ", the replay's after " + built + " batches is " + audit.rootAfter(built));
        } else {
          line.append("; its root at version ").append(built).append(" equals the replay's after ").append(built).append(" batches");
        }
        if (version == built + 1) {
          line.append("; one version ahead of the stored batches (a stop between the tree's commit and the batch store: the next start reverts it)");
          if (version > audit.sealedBatches()) {
            problems.add("the tree is at version " + version + " but only " + audit.sealedBatches() + " batches are sealed");
          } else if (!recomputed.equals(audit.rootAfter(version))) {
            problems.add("the tree's root at version " + version + " is " + recomputed + ", the replay's is " + audit.rootAfter(version));
          }
        }
      }
      out.printf("state tree      %s%n", line);
    } catch (RuntimeException e) {
      problems.add("the state tree cannot be read: " + e.getMessage());
      out.printf("state tree      cannot be read: %s%n", e.getMessage());
    }
  }
}
