package io.zkrollup.statetree.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a separate JVM that is committing batches to a RocksDB tree with SIGKILL at random moments,
 * then reopens the tree. Contract: the reopened tree is at the last root the child reported as
 * committed, or at the root of the batch that was being committed when it died (if that write
 * reached the disk) and nothing else; and its leaves are exactly those of that version.
 */
class CrashSafetyTest {

  private static final int KILLS = 8;

  private final Poseidon2 poseidon2 = new Poseidon2();

  @TempDir Path dir;

  record Report(String kind, long version, String root) {}

  @Test
  void aKilledWriterLeavesTheTreeAtItsLastCommittedRoot() throws Exception {
    Path db = dir.resolve("db");
    SplittableRandom random = new SplittableRandom(20261124L);
    int landedInFlight = 0;
    for (int round = 0; round < KILLS; round++) {
      // Iterated by this thread while the reader appends: copy-on-write iteration cannot throw.
      List<Report> reports = new CopyOnWriteArrayList<>();
      Path stderr = dir.resolve("child-" + round + ".err");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xmx256m",
                  CrashWriter.class.getName(),
                  db.toString())
              .redirectError(stderr.toFile())
              .start();
      // Even rounds kill at a random moment (mostly while the batch is being hashed); odd rounds
      // kill as soon as a batch is announced as in flight, i.e. while commit() reads, encodes and
      // writes it, to hit the store write itself.
      boolean killAtCommit = round % 2 == 1;
      Thread reader = new Thread(() -> readReports(child, reports, killAtCommit));
      reader.start();
      // Let it commit at least one batch of its own, then kill it at a random point.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (reports.stream().noneMatch(r -> r.kind().equals("COMMITTED"))) {
        if ((!child.isAlive() && !killAtCommit) || System.nanoTime() > deadline) {
          child.destroyForcibly();
          throw new AssertionError("child made no progress; stderr: " + Files.readString(stderr));
        }
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(10, 250));
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no RocksDB close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

      Report committed = last(reports, "COMMITTED");
      Report inFlight = last(reports, "INFLIGHT");
      try (RocksDbTreeStore store = RocksDbTreeStore.open(db, CrashWriter.DEPTH)) {
        StateTree tree = new StateTree(store, poseidon2, 1000);
        String root = tree.committedRoot().toHex();
        boolean atCommitted = tree.version() == committed.version() && root.equals(committed.root());
        boolean atInFlight =
            inFlight.version() == committed.version() + 1
                && tree.version() == inFlight.version()
                && root.equals(inFlight.root());
        assertThat(atCommitted || atInFlight)
            .as("round %d: reopened at version %d root %s; last committed %s, in flight %s", round, tree.version(), root, committed, inFlight)
            .isTrue();
        if (atInFlight) {
          landedInFlight++;
        }
        // Every leaf is that version's, and the stored nodes hash up to the head's root.
        assertThat(tree.committedLeaves()).isEqualTo(replay(tree.version()));
        assertThat(tree.verifyIntegrity().toHex()).isEqualTo(root);
      }
    }
    // After the crashes, history is still usable: revert a few versions and compare with a replay.
    try (RocksDbTreeStore store = RocksDbTreeStore.open(db, CrashWriter.DEPTH)) {
      StateTree tree = new StateTree(store, poseidon2, 1000);
      long target = Math.max(0, tree.version() - 3);
      tree.revertTo(target);
      assertThat(tree.committedLeaves()).isEqualTo(replay(target));
      assertThat(tree.verifyIntegrity()).isEqualTo(tree.root());
    }
    System.out.printf("crash test: %d kills, %d landed the in-flight batch%n", KILLS, landedInFlight);
  }

  private static Report last(List<Report> reports, String kind) {
    synchronized (reports) {
      for (int i = reports.size() - 1; i >= 0; i--) {
        if (reports.get(i).kind().equals(kind)) {
          return reports.get(i);
        }
      }
    }
    throw new AssertionError("no " + kind + " report");
  }

  /** The non-empty leaves of version v: batches 1..v applied in order. */
  private static TreeMap<Long, Fr> replay(long version) {
    TreeMap<Long, Fr> leaves = new TreeMap<>();
    long[] indices = new long[CrashWriter.BATCH];
    Fr[] values = new Fr[CrashWriter.BATCH];
    for (long v = 1; v <= version; v++) {
      CrashWriter.batch(v, indices, values);
      for (int i = 0; i < indices.length; i++) {
        if (values[i].isZero()) {
          leaves.remove(indices[i]);
        } else {
          leaves.put(indices[i], values[i]);
        }
      }
    }
    return leaves;
  }

  private static void readReports(Process child, List<Report> reports, boolean killAtCommit) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean committedOnce = false;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ");
        if (f.length == 3) {
          reports.add(new Report(f[0], Long.parseLong(f[1]), f[2]));
          committedOnce |= f[0].equals("COMMITTED");
          if (killAtCommit && committedOnce && f[0].equals("INFLIGHT")) {
            child.destroyForcibly();
          }
        }
      }
    } catch (IOException e) {
      // the pipe breaks when the child dies
    }
  }
}
