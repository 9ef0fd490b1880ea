package io.zkrollup.aggregator.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.prover.ProofSystem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local prover worker that dies of a Go fatal error while proving takes only itself down: the
 * worker runs the fault-injection build of libzkprover (native/README.md), which ends its process
 * on the first prove while a trigger file exists, the way a panic on one of gnark's goroutines or
 * running out of memory would. The node keeps accepting, starts the worker again, and the batch is
 * leased again when its lease expires, and proven.
 */
class WorkerCrashIT {

  private static final JobCoordinator.Settings QUICK_LEASES = new JobCoordinator.Settings(4_000, 500, 3, 2_000);

  @TempDir Path dir;

  @Test
  void aWorkerEndedByAGoFatalErrorIsStartedAgainAndItsBatchIsProven() throws Exception {
    Path faultLibrary = Path.of(System.getProperty("zkrollup.test.faultinject.library", "missing"));
    assertThat(faultLibrary).as("the fault-injection build of libzkprover (the prover-native module builds it for tests)").exists();
    Path trigger = Files.createFile(dir.resolve("fault-once"));
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            // Wallets 1 and 2 only: every genesis account is a deposit batch the worker must prove.
            .withAccounts(2)
            .withWorkers(1, QUICK_LEASES)
            // C1 only: the proofs are Go's, and the worker starts twice.
            .withWorkerProcess(
                List.of("-Dzkprover.library.path=" + faultLibrary, "-XX:TieredStopAtLevel=1"), Map.of("ZKPROVER_FAULT_ONCE_FILE", trigger.toString()));
    try (TestNode t = TestNode.start(dir.resolve("node"), o)) {
      LocalWorkers workers = t.runtime.workers().orElseThrow();
      long firstPid = awaitPid(workers);
      submitTransfer(t, 1, 0);
      // The worker leases the first batch and its process ends inside the prove.
      await(() -> !Files.exists(trigger), "the worker to reach the fault");
      await(() -> workers.restarts() >= 1, "the supervisor to start the worker again");
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).as("the first worker process is gone").isFalse();

      // The node is untouched: it still accepts, and every batch gets proven by the new worker.
      submitTransfer(t, 2, 0);
      var s =
          t.await(
              x -> x.getSealedBatches() >= 2 && x.getBuiltBatches() == x.getSealedBatches() && x.getProvenBatches() == x.getSealedBatches(),
              Duration.ofMinutes(4));
      assertThat(s.getProvenBatches()).isGreaterThanOrEqualTo(2);
      assertThat(t.node.failure()).isEmpty();
      assertThat(workers.restarts()).as("one fault, one restart").isEqualTo(1);
      assertThat(workers.pids()).doesNotContain(firstPid).hasSize(1);
    }
  }

  /** A transfer from wallet {@code from} (1 or 2) to the other. */
  private static void submitTransfer(TestNode t, int from, long nonce) {
    t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(from).transfer(3 - from, BigInteger.TEN, BigInteger.ONE, nonce)).build());
  }

  private static long awaitPid(LocalWorkers workers) throws InterruptedException {
    await(() -> !workers.pids().isEmpty(), "the worker process to start");
    return workers.pids().get(0);
  }

  private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
