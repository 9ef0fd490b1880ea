package io.zkrollup.aggregator.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.grpc.CoordinatorServer;
import io.zkrollup.aggregator.grpc.ServerTls;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestCertificates;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator (a node in this JVM) and real worker processes ({@code zkrollup.jar worker}) on
 * loopback, proving real Groth16 proofs (B=5, D=4): parallel proving with in-order announcement, a
 * worker killed with SIGKILL mid-proof, a coordinator restart under running workers, and mutual
 * TLS refusing a worker with a certificate from another CA.
 */
class ProverClusterIT {

  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir Path dir;
  private final List<Process> workers = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<Long> announced = new CopyOnWriteArrayList<>();
  private volatile TestNode node;
  private CoordinatorServer server;
  private LeaseLog leaseLog;

  /** Every lease seen, polled from the coordinator every few milliseconds. */
  private final class LeaseLog implements AutoCloseable {
    final Map<String, JobLease> seen = new ConcurrentHashMap<>();
    final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;

    LeaseLog() {
      thread =
          new Thread(
              () -> {
                while (!stop) {
                  try {
                    TestNode t = node;
                    List<JobLease> now = t.node.coordinator().orElseThrow().leases();
                    maxConcurrent.accumulateAndGet(now.size(), Math::max);
                    for (JobLease l : now) {
                      if (seen.putIfAbsent(l.leaseId(), l) == null) {
                        firstSeenNanos.put(l.leaseId(), System.nanoTime());
                      }
                    }
                  } catch (RuntimeException e) {
                    // the node is restarting
                  }
                  try {
                    Thread.sleep(3);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "lease-log");
      thread.setDaemon(true);
      thread.start();
    }

    List<JobLease> of(long batch) {
      return seen.values().stream()
          .filter(l -> l.batchNumber() == batch)
          .sorted(java.util.Comparator.comparingLong(l -> firstSeenNanos.get(l.leaseId())))
          .toList();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(1000);
    }
  }

  /**
   * Starts the node with wallets 1..{@code accounts} funded: its genesis is one batch per account
   * and one for the operator (a deposit fills the 5 slots), each a proof the workers make before
   * anything else, so a test funds only the wallets it uses.
   */
  private void startNode(int accounts, JobCoordinator.Settings leases, Optional<ServerTls> tls, int port) {
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(accounts)
            .withWorkers(0, leases);
    node = TestNode.start(dir.resolve("node"), o);
    follow();
    server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", port, tls);
    leaseLog = new LeaseLog();
  }

  private void follow() {
    node.node.subscribe(u -> {
      if (u.stage() == BatchUpdate.Stage.PROVEN) {
        announced.add(u.batch().number());
      }
    });
  }

  private Process startWorker(String id, String... extra) throws IOException {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    Path tmp = Files.createDirectories(dir.resolve("tmp-" + id));
    Path log = dir.resolve(id + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                // C1 only: the proofs are Go's, and C2's compiles during the start would take CPU from
                // the other worker's proof on a 2-core machine.
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + tmp,
                "-jar",
                jar.toString(),
                "worker",
                "--coordinator",
                "localhost:" + server.port(),
                "--keys",
                ClusterTestKeys.dir().toString(),
                "--worker-id",
                id,
                "--lease-wait-ms",
                "1000",
                "--drain-timeout-s",
                "5"));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    workers.add(p);
    logs.add(log);
    return p;
  }

  /** Submits {@code n} transfers far enough apart in time that each is sealed into a batch of its own. */
  private void makeBatches(int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      long before = node.status().getSealedBatches();
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(2, BigInteger.TEN, BigInteger.ONE, i)).build());
      node.await(s -> s.getSealedBatches() > before, Duration.ofSeconds(30));
    }
  }

  private GetNodeStatusResponse awaitAllProven(long atLeast) throws InterruptedException {
    Predicate<GetNodeStatusResponse> done =
        s -> s.getSealedBatches() >= atLeast && s.getBuiltBatches() == s.getSealedBatches() && s.getProvenBatches() == s.getSealedBatches();
    return node.await(done, PATIENCE);
  }

  /** Every batch was announced once, in order, and its stored proof verifies. */
  private void assertProvenInOrder(long batches) {
    assertThat(announced).containsExactlyElementsOf(LongStream.range(0, batches).boxed().toList());
    try (GnarkProver verifier = GnarkProver.load(LibZkProver.load(), ClusterTestKeys.dir())) {
      for (long n = 0; n < batches; n++) {
        StoredBatch b = node.node.batch(n).orElseThrow();
        assertThat(verifier.verify(new BatchProof(ProofSystem.GROTH16, node.node.proof(n).orElseThrow().proof(), b.publicInputs()))).isTrue();
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (leaseLog != null) {
      leaseLog.close();
    }
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private void printLogs() throws IOException {
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      System.out.println("---- " + log.getFileName() + " (last lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
    }
  }

  @Test
  void twoWorkersProveInParallelAndBatchesAreAnnouncedInOrder() throws Exception {
    startNode(2, new JobCoordinator.Settings(5_000, 500, 3, 2_000), Optional.empty(), 0);
    startWorker("w1");
    startWorker("w2");
    try {
      makeBatches(4);
      GetNodeStatusResponse s = awaitAllProven(3 + 4);
      assertProvenInOrder(s.getProvenBatches());
      assertThat(leaseLog.maxConcurrent.get()).as("two batches were out on lease at once").isEqualTo(2);
      assertThat(leaseLog.seen.values()).extracting(JobLease::workerId).contains("w1", "w2");
      assertThat(leaseLog.seen.values()).as("no batch needed a second attempt").allMatch(l -> l.attempt() == 1);
      assertThat(leaseLog.seen).hasSize((int) s.getProvenBatches());
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  @Test
  void aWorkerKilledMidProofHasItsJobReleasedAfterTheLeaseAndProvenByAnother() throws Exception {
    JobCoordinator.Settings leases = new JobCoordinator.Settings(3_000, 300, 3, 2_000);
    startNode(1, leases, Optional.empty(), 0);
    Process doomed = startWorker("doomed");
    try {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (leaseLog.seen.values().stream().noneMatch(l -> l.workerId().equals("doomed"))) {
        assertThat(System.nanoTime()).as("the worker leases a job").isLessThan(deadline);
        Thread.sleep(2);
      }
      doomed.destroyForcibly(); // SIGKILL while the witness is being proven
      long killed = System.nanoTime();
      assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(doomed.exitValue()).as("died of SIGKILL").isEqualTo(137);
      JobLease lost = leaseLog.seen.values().stream().filter(l -> l.workerId().equals("doomed")).findFirst().orElseThrow();
      assertThat(node.node.proof(lost.batchNumber())).as("killed before it could submit").isEmpty();

      startWorker("rescuer");
      GetNodeStatusResponse s = awaitAllProven(2);
      assertProvenInOrder(s.getProvenBatches());
      List<JobLease> attempts = leaseLog.of(lost.batchNumber());
      assertThat(attempts).extracting(JobLease::workerId).containsExactly("doomed", "rescuer");
      assertThat(attempts.get(1).attempt()).isEqualTo(2);
      long releasedAfterMillis = TimeUnit.NANOSECONDS.toMillis(leaseLog.firstSeenNanos.get(attempts.get(1).leaseId()) - killed);
      assertThat(releasedAfterMillis).as("re-leased only once the lease expired").isGreaterThanOrEqualTo(leases.leaseTtlMillis() - leases.heartbeatMillis() - 100);
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  @Test
  void aWorkerStoppedWithSigtermGivesItsLeaseBackAtOnce() throws Exception {
    // A TTL far beyond the test: only the release can free the batch in time.
    startNode(1, new JobCoordinator.Settings(600_000, 500, 3, 2_000), Optional.empty(), 0);
    Process leaving = startWorker("leaving", "--drain-timeout-s", "0");
    try {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (leaseLog.seen.values().stream().noneMatch(l -> l.workerId().equals("leaving"))) {
        assertThat(System.nanoTime()).as("the worker leases a job").isLessThan(deadline);
        Thread.sleep(2);
      }
      leaving.destroy(); // SIGTERM
      assertThat(leaving.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(leaving.exitValue()).as("a graceful stop").isZero();
      JobLease released = leaseLog.seen.values().stream().filter(l -> l.workerId().equals("leaving")).findFirst().orElseThrow();
      assertThat(node.node.coordinator().orElseThrow().leases()).as("the lease was given back, not left to expire").isEmpty();

      startWorker("staying");
      GetNodeStatusResponse s = awaitAllProven(2);
      assertProvenInOrder(s.getProvenBatches());
      List<JobLease> attempts = leaseLog.of(released.batchNumber());
      assertThat(attempts).extracting(JobLease::workerId).containsExactly("leaving", "staying");
      assertThat(attempts).extracting(JobLease::attempt).as("a release is not a failed attempt").containsExactly(1, 1);
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  @Test
  void workersRideThroughACoordinatorRestartAndNoBatchIsProvenTwice() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startNode(2, new JobCoordinator.Settings(8_000, 300, 3, 2_000), Optional.empty(), port);
    startWorker("w1");
    startWorker("w2");
    try {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (node.node.coordinator().orElseThrow().leases().isEmpty()) {
        assertThat(System.nanoTime()).as("a worker leases a job").isLessThan(deadline);
        Thread.sleep(2);
      }
      // Restart while proofs are running: first the port (no more calls), then the node.
      server.close();
      List<String> outstanding = node.node.coordinator().orElseThrow().leases().stream().map(JobLease::leaseId).toList();
      node.stop();
      node.open();
      follow();
      assertThat(node.node.coordinator().orElseThrow().leases()).extracting(JobLease::leaseId).as("leases survive the restart").containsExactlyInAnyOrderElementsOf(outstanding);
      server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", port, Optional.empty());

      makeBatches(2);
      GetNodeStatusResponse s = awaitAllProven(3 + 2);
      assertProvenInOrder(s.getProvenBatches());
      assertThat(leaseLog.seen.values()).as("every batch leased once: no batch lost, none proven twice").allMatch(l -> l.attempt() == 1);
      assertThat(leaseLog.seen).hasSize((int) s.getProvenBatches());
      assertThat(workers).allMatch(Process::isAlive);
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  @Test
  void mutualTlsRefusesAWorkerWhoseCertificateComesFromAnotherCa() throws Exception {
    Path certs = dir.resolve("certs");
    TestCertificates.Issued ca = TestCertificates.ca(certs, "cluster-ca");
    TestCertificates.Issued coordinator = TestCertificates.server(certs, "coordinator", ca);
    TestCertificates.Issued good = TestCertificates.client(certs, "good-worker", ca);
    TestCertificates.Issued rogueCa = TestCertificates.ca(certs, "rogue-ca");
    TestCertificates.Issued rogue = TestCertificates.client(certs, "rogue-worker", rogueCa);
    startNode(1, new JobCoordinator.Settings(5_000, 500, 3, 2_000), Optional.of(new ServerTls(coordinator.cert(), coordinator.key(), Optional.of(ca.cert()))), 0);
    Process rogueWorker = startWorker("rogue", "--tls-ca", ca.cert().toString(), "--tls-cert", rogue.cert().toString(), "--tls-key", rogue.key().toString());
    startWorker("good", "--tls-ca", ca.cert().toString(), "--tls-cert", good.cert().toString(), "--tls-key", good.key().toString());
    try {
      GetNodeStatusResponse s = awaitAllProven(2);
      assertProvenInOrder(s.getProvenBatches());
      assertThat(leaseLog.seen.values()).extracting(JobLease::workerId).containsOnly("good");
      assertThat(rogueWorker.isAlive()).as("the rogue keeps knocking").isTrue();
      assertThat(Files.readString(logs.get(0))).contains("UNAVAILABLE");
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }
}
