package io.zkrollup.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.zkrollup.api.v1.Job;
import io.zkrollup.api.v1.ReportFailureRequest;
import io.zkrollup.api.v1.SubmitProofRequest;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Prover;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.cluster.PublicInputsMessages;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The worker as the caller of a ProverCoordinator: real Groth16 keys (B=5, D=4) and a real signed
 * batch, against a scripted coordinator on an in-process gRPC server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProverWorkerTest {
  private static final int B = 5;
  private static final int D = 4;
  private static final long WAIT_S = 30;

  private Path keyDir;
  private GnarkProver realProver;
  private CircuitIdentity identity;
  private Batch batch;

  private TestCoordinator coordinator;
  private Server server;
  private ManagedChannel channel;
  private ProverWorker worker;
  private WorkerMetrics metrics;

  @BeforeAll
  void setUpKeys() throws IOException {
    LibZkProver lib = LibZkProver.load();
    keyDir = SharedTestKeys.of(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP);
    realProver = GnarkProver.load(lib, keyDir);
    identity = CircuitIdentity.of(keyDir, ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP);
    batch = TestBatches.oneTransfer(B, D);
  }

  @AfterAll
  void closeKeys() {
    realProver.close();
  }

  @BeforeEach
  void startCoordinator() throws IOException {
    coordinator = new TestCoordinator();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(coordinator).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ProverWorker start(Prover prover, Duration drain) {
    WorkerSettings settings =
        new WorkerSettings(
            "test-worker", false, Duration.ofMillis(200), Duration.ofSeconds(5), drain, Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofSeconds(5));
    metrics = new WorkerMetrics(settings.workerId(), identity, false);
    worker = new ProverWorker(channel, prover, identity, settings, metrics);
    worker.start();
    return worker;
  }

  private Job job(String leaseId, byte[] witness, CircuitIdentity circuit) {
    return Job.newBuilder()
        .setLeaseId(leaseId)
        .setBatchNumber(batch.publicInputs().batchNumber())
        .setCircuit(circuit.toProto())
        .setWitness(ByteString.copyFrom(witness))
        .setPublicInputs(PublicInputsMessages.toProto(batch.publicInputs()))
        .setAttempt(1)
        .setLeaseTtlMs(1_000)
        .setHeartbeatMs(20)
        .build();
  }

  private Job job(String leaseId) {
    return job(leaseId, batch.witness().toBytes(), identity);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void provesALeasedJobAndTheSubmittedProofVerifies() throws InterruptedException {
    coordinator.jobs.add(job("lease-1"));
    start(realProver, Duration.ofSeconds(30));

    SubmitProofRequest submitted = coordinator.accepted.poll(WAIT_S, TimeUnit.SECONDS);

    assertThat(submitted).isNotNull();
    assertThat(submitted.getLeaseId()).isEqualTo("lease-1");
    assertThat(submitted.getWorkerId()).isEqualTo("test-worker");
    assertThat(submitted.getBatchNumber()).isEqualTo(batch.publicInputs().batchNumber());
    BatchProof proof = new BatchProof(ProofSystem.GROTH16, submitted.getProof().toByteArray(), batch.publicInputs());
    assertThat(realProver.verify(proof)).isTrue();
    await(() -> metrics.jobs(JobOutcome.PROVEN) == 1, "the proven count");
    assertThat(coordinator.reports).isEmpty();
    var lease = coordinator.leaseRequests.peek();
    assertThat(lease.getCapabilities().getCapacity()).isEqualTo(1);
    assertThat(lease.getCapabilities().getCircuitsList()).containsExactly(identity.toProto());
  }

  @Test
  void heartbeatsAreSentWhileProving() throws InterruptedException {
    // The prove waits for two heartbeats first: they must come while the job is being proven.
    CountDownLatch beats = new CountDownLatch(1);
    ObservedProver prover =
        new ObservedProver(
            realProver,
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (coordinator.heartbeats.get() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
              if (coordinator.heartbeats.get() >= 2) {
                beats.countDown();
              }
            });
    coordinator.jobs.add(job("lease-hb"));
    start(prover, Duration.ofSeconds(30));

    assertThat(coordinator.accepted.poll(WAIT_S, TimeUnit.SECONDS)).isNotNull();
    assertThat(beats.getCount()).as("two heartbeats arrived during the prove").isZero();
  }

  @Test
  void aJobForAnotherCircuitIsReportedNotProven() throws InterruptedException {
    ObservedProver prover = new ObservedProver(realProver, () -> {});
    byte[] otherKey = new byte[32];
    Arrays.fill(otherKey, (byte) 7);
    coordinator.jobs.add(job("lease-other", batch.witness().toBytes(), new CircuitIdentity(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP, otherKey)));
    start(prover, Duration.ofSeconds(30));

    ReportFailureRequest report = coordinator.reports.poll(WAIT_S, TimeUnit.SECONDS);

    assertThat(report).isNotNull();
    assertThat(report.getLeaseId()).isEqualTo("lease-other");
    assertThat(report.getReleased()).isFalse();
    assertThat(report.getReason()).contains("proves");
    assertThat(prover.calls.get()).isZero();
    assertThat(coordinator.submitAttempts.get()).isZero();
    await(() -> metrics.jobs(JobOutcome.FAILED) == 1, "the failed count");
  }

  @Test
  void aLeaseLostOnHeartbeatIsNotSubmitted() throws InterruptedException {
    coordinator.heartbeatAnswer = Status.NOT_FOUND.withDescription("lease expired");
    // Hold the prove until a heartbeat has been refused, so the loss is known before it ends.
    ObservedProver prover =
        new ObservedProver(
            realProver,
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (coordinator.heartbeats.get() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
            });
    coordinator.jobs.add(job("lease-lost"));
    start(prover, Duration.ofSeconds(30));

    await(() -> metrics.jobs(JobOutcome.LEASE_LOST) == 1, "the lease-lost count");

    assertThat(coordinator.heartbeats.get()).isPositive();
    assertThat(prover.returned.getCount()).isZero();
    assertThat(coordinator.submitAttempts.get()).isZero();
    assertThat(coordinator.reports).isEmpty();
    assertThat(worker.busy()).isFalse();
  }

  @Test
  void aSubmitThatFindsTheCoordinatorUnavailableIsRetriedUntilItGetsThrough() throws InterruptedException {
    coordinator.submitUnavailable.set(2);
    coordinator.jobs.add(job("lease-retry"));
    start(realProver, Duration.ofSeconds(30));

    SubmitProofRequest submitted = coordinator.accepted.poll(WAIT_S, TimeUnit.SECONDS);

    assertThat(submitted).isNotNull();
    assertThat(submitted.getLeaseId()).isEqualTo("lease-retry");
    await(() -> metrics.jobs(JobOutcome.PROVEN) == 1, "the proven count");
    assertThat(coordinator.submitAttempts.get()).isEqualTo(3);
    assertThat(coordinator.accepted).isEmpty();
  }

  @Test
  void leasingGoesOnAfterTheCoordinatorWasUnavailable() throws InterruptedException {
    coordinator.leaseUnavailable.set(3);
    coordinator.jobs.add(job("lease-after-restart"));
    start(realProver, Duration.ofSeconds(30));

    assertThat(coordinator.accepted.poll(WAIT_S, TimeUnit.SECONDS)).isNotNull();
    assertThat(coordinator.leaseRequests.size()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void closingWhileProvingPastTheDrainTimeoutGivesTheLeaseBack() throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    ObservedProver prover =
        new ObservedProver(
            realProver,
            () -> {
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    coordinator.jobs.add(job("lease-drain"));
    start(prover, Duration.ZERO);
    assertThat(prover.entered.await(WAIT_S, TimeUnit.SECONDS)).isTrue();

    worker.close();

    ReportFailureRequest report = coordinator.reports.poll(5, TimeUnit.SECONDS);
    assertThat(report).isNotNull();
    assertThat(report.getLeaseId()).isEqualTo("lease-drain");
    assertThat(report.getReleased()).isTrue();
    assertThat(metrics.jobs(JobOutcome.RELEASED)).isEqualTo(1);
    // The prove ends later: its proof belongs to a lease given back and must not be submitted.
    gate.countDown();
    assertThat(prover.returned.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
    await(() -> !worker.busy(), "the worker to let go of the job");
    assertThat(coordinator.submitAttempts.get()).isZero();
  }

  @Test
  void closingWhileProvingWithinTheDrainTimeoutSubmitsFirst() throws InterruptedException {
    CountDownLatch closing = new CountDownLatch(1);
    ObservedProver prover =
        new ObservedProver(
            realProver,
            () -> {
              try {
                closing.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    coordinator.jobs.add(job("lease-drained"));
    start(prover, Duration.ofSeconds(30));
    assertThat(prover.entered.await(WAIT_S, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(worker::close);
    closer.start();
    Thread.sleep(50); // close is now waiting for the prove
    closing.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(WAIT_S));

    assertThat(closer.isAlive()).isFalse();
    assertThat(coordinator.accepted.poll()).isNotNull();
    assertOnlyTheStoppingRelease("test-worker");
    assertThat(metrics.jobs(JobOutcome.PROVEN)).isEqualTo(1);
  }

  @Test
  void closingAnIdleWorkerCancelsTheLongPollAndReturnsAtOnce() throws InterruptedException {
    WorkerSettings settings = WorkerSettings.defaults("idle-worker", false).withLeaseWait(Duration.ofSeconds(20));
    metrics = new WorkerMetrics(settings.workerId(), identity, false);
    worker = new ProverWorker(channel, realProver, identity, settings, metrics);
    worker.start();
    assertThat(coordinator.leaseRequests.poll(WAIT_S, TimeUnit.SECONDS)).isNotNull(); // the poll is pending

    long t0 = System.nanoTime();
    worker.close();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertOnlyTheStoppingRelease("idle-worker");
  }

  /**
   * A stopping worker gives back, without a lease id, whatever its cancelled long poll may have
   * leased; it reports nothing else.
   */
  private void assertOnlyTheStoppingRelease(String workerId) {
    assertThat(coordinator.reports).singleElement().satisfies(r -> {
      assertThat(r.getLeaseId()).isEmpty();
      assertThat(r.getReleased()).isTrue();
      assertThat(r.getWorkerId()).isEqualTo(workerId);
    });
  }

  @Test
  void aWitnessThatCannotBeProvenIsReportedAsAFailedAttempt() throws InterruptedException {
    byte[] witness = batch.witness().toBytes();
    coordinator.jobs.add(job("lease-broken", Arrays.copyOf(witness, witness.length - 1), identity));
    start(realProver, Duration.ofSeconds(30));

    ReportFailureRequest report = coordinator.reports.poll(WAIT_S, TimeUnit.SECONDS);

    assertThat(report).isNotNull();
    assertThat(report.getLeaseId()).isEqualTo("lease-broken");
    assertThat(report.getReleased()).isFalse();
    assertThat(report.getReason()).isNotBlank();
    await(() -> metrics.jobs(JobOutcome.FAILED) == 1, "the failed count");
    assertThat(coordinator.submitAttempts.get()).isZero();
  }

  @Test
  void theMetricsNameTheWorkerAndItsCircuit() {
    WorkerMetrics m = new WorkerMetrics("w-1", identity, true);
    MetricSnapshots snapshots = m.registry().scrape();

    assertThat(snapshots.stream().map(s -> s.getMetadata().getPrometheusName()))
        .contains("zkrollup_worker_jobs", "zkrollup_worker_prove_seconds", "zkrollup_worker_busy", "zkrollup_worker_info");
    GaugeSnapshot info =
        (GaugeSnapshot) snapshots.stream().filter(s -> s.getMetadata().getPrometheusName().equals("zkrollup_worker_info")).findFirst().orElseThrow();
    GaugeSnapshot.GaugeDataPointSnapshot point = info.getDataPoints().get(0);
    assertThat(point.getValue()).isEqualTo(1.0);
    assertThat(point.getLabels().get("worker")).isEqualTo("w-1");
    assertThat(point.getLabels().get("backend")).isEqualTo("groth16");
    assertThat(point.getLabels().get("slots")).isEqualTo("5");
    assertThat(point.getLabels().get("depth")).isEqualTo("4");
    assertThat(point.getLabels().get("gpu")).isEqualTo("true");
    assertThat(m.jobs(JobOutcome.PROVEN)).isZero();
  }
}
