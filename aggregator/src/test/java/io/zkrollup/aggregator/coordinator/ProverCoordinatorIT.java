package io.zkrollup.aggregator.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.grpc.CoordinatorServer;
import io.zkrollup.aggregator.grpc.ServerTls;
import io.zkrollup.aggregator.grpc.TxStatusCodes;
import io.zkrollup.aggregator.metrics.MetricsEndpoint;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestCertificates;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.HeartbeatRequest;
import io.zkrollup.api.v1.Job;
import io.zkrollup.api.v1.LeaseJobRequest;
import io.zkrollup.api.v1.ProverCoordinatorGrpc;
import io.zkrollup.api.v1.ReportFailureRequest;
import io.zkrollup.api.v1.SubmitProofRequest;
import io.zkrollup.api.v1.SubmitProofResponse;
import io.zkrollup.api.v1.WorkerCapabilities;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.cluster.PublicInputsMessages;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator over a real gRPC channel on loopback, with a real node (RocksDB, Groth16 keys for
 * B=5, D=4) and real proofs. The test plays the workers, honest and not, so that each rule of the
 * protocol is seen to hold: verify before accept, re-queue on a bad proof or an expired lease,
 * bounded attempts, idempotent submissions, in-order announcement, leases that survive a restart,
 * and mutual TLS. The node's key directory holds only the manifest and the verifying key, which is
 * all a node may load: it never proves.
 */
class ProverCoordinatorIT {

  /** Short leases; failed batches are handed out again after 1 s. */
  private static final JobCoordinator.Settings LEASES =
      new JobCoordinator.Settings(1_500, 300, 3, 2_000).withWorkerLimits(new JobCoordinator.WorkerLimits(4, 3, 600_000, 1_000));

  private static Path keys;
  /** The node's copy of the keys: manifest and verifying key only, so a node that loaded more would not start. */
  private static Path verifyingKeys;
  private static GnarkProver prover;
  private static CircuitIdentity circuit;

  @TempDir Path dir;
  private TestNode node;
  private CoordinatorServer server;
  private volatile ManagedChannel channel;
  private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(1);

  @BeforeAll
  static void setUpKeys() throws Exception {
    keys = ClusterTestKeys.dir();
    verifyingKeys = Files.createTempDirectory("verifying-keys");
    for (String f : List.of("manifest.json", CircuitIdentity.VERIFYING_KEY_FILE)) {
      Files.copy(keys.resolve(f), verifyingKeys.resolve(f));
    }
    prover = GnarkProver.load(LibZkProver.load(), keys);
    circuit = CircuitIdentity.of(keys, ProofSystem.GROTH16, 5, 4, DataAvailability.ROLLUP);
  }

  @AfterAll
  static void closeKeys() {
    prover.close();
  }

  /** Starts a node whose genesis makes 4 batches (the operator's and 3 accounts' deposits, 5 slots each). */
  private void startNode(JobCoordinator.Settings leases, Optional<ServerTls> tls) {
    TestNode.Options o =
        TestNode.Options.defaults().withSealAfter(100).withProver(ProofSystem.GROTH16, verifyingKeys, 5, 4).withAccounts(3).withWorkers(0, leases);
    node = TestNode.start(dir.resolve("node"), o);
    server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", 0, tls);
  }

  private void restartNode() {
    int port = server.port();
    server.close();
    node.stop();
    node.open();
    server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", port, Optional.empty());
  }

  @AfterEach
  void stop() {
    heartbeats.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private synchronized ProverCoordinatorGrpc.ProverCoordinatorBlockingStub stub() {
    if (channel == null) {
      channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create()).maxInboundMessageSize(64 << 20).build();
    }
    return ProverCoordinatorGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static LeaseJobRequest leaseRequest(String worker, CircuitIdentity c) {
    return LeaseJobRequest.newBuilder()
        .setWorkerId(worker)
        .setCapabilities(WorkerCapabilities.newBuilder().addCircuits(c.toProto()).setCapacity(1))
        .setWaitMs(2_000)
        .build();
  }

  /** Leases a job as {@code worker} and renews it in the background, as a worker does, until it ends. */
  private Job lease(String worker) {
    Job job = leaseSilently(worker);
    heartbeats.scheduleAtFixedRate(
        () -> {
          try {
            stub().heartbeat(HeartbeatRequest.newBuilder().setWorkerId(worker).setLeaseId(job.getLeaseId()).build());
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
              throw e; // the lease ended: stop renewing it
            }
          }
        },
        job.getHeartbeatMs(),
        job.getHeartbeatMs(),
        TimeUnit.MILLISECONDS);
    return job;
  }

  /** Leases a job as {@code worker}, which then goes silent. */
  private Job leaseSilently(String worker) {
    var r = stub().leaseJob(leaseRequest(worker, circuit));
    assertThat(r.hasJob()).as("a job for " + worker).isTrue();
    return r.getJob();
  }

  private static byte[] prove(Job job) {
    return prover.prove(job.getWitness().toByteArray(), PublicInputsMessages.fromProto(job.getPublicInputs())).proof();
  }

  private SubmitProofResponse submit(String worker, Job job, long batch, byte[] proof) {
    return stub()
        .submitProof(
            SubmitProofRequest.newBuilder().setWorkerId(worker).setLeaseId(job.getLeaseId()).setBatchNumber(batch).setProof(ByteString.copyFrom(proof)).setProveMs(5).build());
  }

  private static String reason(StatusRuntimeException e) {
    return TxStatusCodes.errorInfo(e).getReason();
  }

  @Test
  void provesInAnyOrderAndAnnouncesInOrder() {
    startNode(LEASES, Optional.empty());
    List<Long> announced = new CopyOnWriteArrayList<>();
    node.node.subscribe(u -> {
      if (u.stage() == BatchUpdate.Stage.PROVEN) {
        announced.add(u.batch().number());
      }
    });
    Job first = lease("w1");
    Job second = lease("w2");
    assertThat(first.getBatchNumber()).isZero();
    assertThat(second.getBatchNumber()).isEqualTo(1);
    assertThat(first.getAttempt()).isEqualTo(1);
    assertThat(first.getCircuit()).isEqualTo(circuit.toProto());

    assertThat(submit("w2", second, 1, prove(second)).getAlreadyProven()).isFalse();
    assertThat(announced).as("batch 1 waits for batch 0").isEmpty();
    assertThat(node.node.coordinator().orElseThrow().snapshot().provenAhead()).isEqualTo(1);
    assertThat(node.status().getProvenBatches()).isZero();

    byte[] proof0 = prove(first);
    assertThat(submit("w1", first, 0, proof0).getAlreadyProven()).isFalse();
    assertThat(announced).containsExactly(0L, 1L);
    assertThat(node.status().getProvenBatches()).isEqualTo(2);
    assertThat(submit("w1", first, 0, proof0).getAlreadyProven()).as("a resent proof changes nothing").isTrue();
    assertThat(announced).containsExactly(0L, 1L);

    for (long n = 0; n < 2; n++) {
      StoredBatch b = node.node.batch(n).orElseThrow();
      assertThat(prover.verify(new BatchProof(ProofSystem.GROTH16, node.node.proof(n).orElseThrow().proof(), b.publicInputs()))).isTrue();
    }
  }

  @Test
  void refusesProofsThatDoNotVerifyAndQueuesTheBatchAgain() throws InterruptedException {
    startNode(LEASES, Optional.empty());
    Job job0 = lease("honest");
    byte[] proof0 = prove(job0);
    assertThat(submit("honest", job0, 0, proof0).getAlreadyProven()).isFalse();

    // Three workers each fail batch 1 once: a batch fails on different workers, not on one worker's word.
    Job job1 = lease("liar-1");
    assertThat(job1.getBatchNumber()).isEqualTo(1);
    byte[] garbage = new byte[proof0.length];
    garbage[7] = 1;
    assertThatThrownBy(() -> submit("liar-1", job1, 1, garbage))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(reason(e)).isEqualTo("PROOF_REJECTED");
        });
    assertThat(node.node.proof(1)).isEmpty();

    assertThat(lease("liar-1").getBatchNumber()).as("not the batch it failed: that waits for another worker").isEqualTo(2);
    Job again = lease("liar-2");
    assertThat(again.getBatchNumber()).as("re-queued, oldest first").isEqualTo(1);
    assertThat(again.getAttempt()).isEqualTo(2);
    // A valid proof, but of batch 0: it does not verify for batch 1's public inputs.
    assertThatThrownBy(() -> submit("liar-2", again, 1, proof0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(reason(e)).isEqualTo("PROOF_REJECTED"));
    Job third = lease("liar-3");
    assertThat(third.getBatchNumber()).isEqualTo(1);
    assertThat(third.getAttempt()).isEqualTo(3);
    // The same proof labelled as batch 0, under batch 1's lease.
    assertThatThrownBy(() -> submit("liar-3", third, 0, proof0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(reason(e)).isEqualTo("WRONG_BATCH");
        });
    JobCoordinator.Snapshot s = node.node.coordinator().orElseThrow().snapshot();
    assertThat(s.failed()).as("three workers failed it").containsOnlyKeys(1L);
    assertThat(node.node.proof(1)).isEmpty();
    // Batch 1 is not handed out for a while; the next job is batch 3 (liar-1 holds batch 2).
    assertThat(lease("honest").getBatchNumber()).isEqualTo(3);
    // After the pause it is handed out again, and an honest proof moves the queue on.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!node.node.coordinator().orElseThrow().snapshot().failed().isEmpty()) {
      assertThat(System.nanoTime()).as("batch 1 retried").isLessThan(end);
      Thread.sleep(20);
    }
    Job retried = lease("honest-2");
    assertThat(retried.getBatchNumber()).isEqualTo(1);
    assertThat(submit("honest-2", retried, 1, prove(retried)).getAlreadyProven()).isFalse();
    assertThat(node.status().getProvenBatches()).isEqualTo(2);
  }

  @Test
  void aWorkerThatOnlyFailsIsCappedAndQuarantinedAndAnotherProvesEveryBatch() {
    startNode(LEASES.withWorkerLimits(new JobCoordinator.WorkerLimits(2, 3, 600_000, 60_000)), Optional.empty());
    // Mallory claims room for 100 jobs; one identity holds at most 2 leases, however many are queued.
    Job m0 = leaseSilently("mallory");
    Job m1 = leaseSilently("mallory");
    assertThat(stub().leaseJob(leaseRequest("mallory", circuit).toBuilder().setCapabilities(WorkerCapabilities.newBuilder().addCircuits(circuit.toProto()).setCapacity(100)).setWaitMs(200).build()).hasJob())
        .as("a third lease").isFalse();
    // It reports failure on everything it gets: each batch costs one attempt of mallory's, however often.
    for (Job j : List.of(m0, m1)) {
      stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("mallory").setLeaseId(j.getLeaseId()).setReason("out of memory (a lie)").build());
    }
    Job m2 = leaseSilently("mallory");
    assertThat(m2.getBatchNumber()).as("not a batch it failed").isEqualTo(2);
    stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("mallory").setLeaseId(m2.getLeaseId()).setReason("out of memory (a lie)").build());
    assertThatThrownBy(() -> stub().leaseJob(leaseRequest("mallory", circuit)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(reason(e)).isEqualTo("WORKER_QUARANTINED");
          assertThat(e.getStatus().getDescription()).contains("3 leases in a row").contains("600 s");
        });
    // An honest worker proves every batch; none was given up.
    for (int i = 0; i < 4; i++) {
      Job j = lease("honest");
      assertThat(submit("honest", j, j.getBatchNumber(), prove(j)).getAlreadyProven()).isFalse();
    }
    assertThat(node.status().getProvenBatches()).isEqualTo(4);
    assertThat(node.node.coordinator().orElseThrow().snapshot().failed()).isEmpty();
  }

  @Test
  void anExpiredLeaseGoesToAnotherWorkerAndTheFirstIsRefused() throws Exception {
    startNode(LEASES, Optional.empty());
    Job lost = leaseSilently("w1");
    // w2 keeps its own lease alive while w1 goes silent past the TTL.
    Job kept = lease("w2");
    Thread.sleep(LEASES.leaseTtlMillis() * 2);
    Job retaken = lease("w3");
    assertThat(retaken.getBatchNumber()).isEqualTo(lost.getBatchNumber());
    assertThat(retaken.getAttempt()).isEqualTo(2);
    assertThatThrownBy(() -> stub().heartbeat(HeartbeatRequest.newBuilder().setWorkerId("w1").setLeaseId(lost.getLeaseId()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(reason(e)).isEqualTo("LEASE_NOT_FOUND");
        });
    assertThatThrownBy(() -> submit("w1", lost, lost.getBatchNumber(), new byte[192]))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(submit("w2", kept, kept.getBatchNumber(), prove(kept)).getAlreadyProven()).as("the renewed lease is still good").isFalse();
    assertThat(submit("w3", retaken, retaken.getBatchNumber(), prove(retaken)).getAlreadyProven()).isFalse();
  }

  @Test
  void aWorkerBackFromACrashGetsTheBatchWhoseLeaseExpiredAtOnce() throws Exception {
    // The production retry pause (60 s): the old rule barred w1 from the batch for that long.
    startNode(new JobCoordinator.Settings(1_500, 300, 3, 2_000), Optional.empty());
    Job lost = leaseSilently("w1"); // and w1 dies
    Thread.sleep(LEASES.leaseTtlMillis() * 2);
    // The same worker, started again: the oldest batch is its, not barred for the retry pause
    // (which stalled a one-worker cluster for a minute after every worker crash).
    Job again = lease("w1");
    assertThat(again.getBatchNumber()).isEqualTo(lost.getBatchNumber());
    assertThat(again.getAttempt()).isEqualTo(2);
    assertThat(submit("w1", again, again.getBatchNumber(), prove(again)).getAlreadyProven()).isFalse();
  }

  @Test
  void failuresCountAsAttemptsAndReleasesDoNot() {
    startNode(new JobCoordinator.Settings(1_500, 300, 2, 2_000), Optional.empty());
    Job a = lease("w1");
    stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("w1").setLeaseId(a.getLeaseId()).setReleased(true).setReason("SIGTERM").build());
    Job b = lease("w1");
    assertThat(b.getBatchNumber()).isZero();
    assertThat(b.getAttempt()).as("a release is not an attempt").isEqualTo(1);
    stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("w1").setLeaseId(b.getLeaseId()).setReason("out of memory").build());
    Job c = lease("w2");
    assertThat(c.getBatchNumber()).isZero();
    assertThat(c.getAttempt()).isEqualTo(2);
    stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("w2").setLeaseId(c.getLeaseId()).setReason("out of memory").build());
    assertThat(node.node.coordinator().orElseThrow().snapshot().failed()).containsOnlyKeys(0L);
    assertThat(node.node.coordinator().orElseThrow().snapshot().failed().get(0L)).contains("out of memory");
    var queue = node.status().getProverQueue();
    assertThat(queue.getFailedList()).extracting(f -> f.getBatchNumber()).as("operators see it in GetNodeStatus").containsExactly(0L);
    assertThat(queue.getFailed(0).getLastError()).contains("reported").contains("out of memory");
    Job d = lease("w1");
    assertThat(d.getBatchNumber()).isEqualTo(1);
    // A stopping worker gives back everything it holds, named or not.
    stub().reportFailure(ReportFailureRequest.newBuilder().setWorkerId("w1").setReleased(true).build());
    assertThat(node.node.coordinator().orElseThrow().leases()).isEmpty();
    Job e = lease("w3");
    assertThat(e.getBatchNumber()).isEqualTo(1);
    assertThat(e.getAttempt()).isEqualTo(1);
  }

  @Test
  void leasesSurviveACoordinatorRestart() {
    // A TTL well above one proof: this test proves without heartbeats, and a loaded machine
    // must not expire the lease it checks.
    startNode(new JobCoordinator.Settings(60_000, 300, 3, 2_000), Optional.empty());
    Job held = lease("w1");
    channel.shutdownNow();
    channel = null;
    restartNode();
    // The restored lease is honoured: renewed, not handed to anyone else, and its proof accepted.
    stub().heartbeat(HeartbeatRequest.newBuilder().setWorkerId("w1").setLeaseId(held.getLeaseId()).build());
    assertThat(node.node.coordinator().orElseThrow().leases()).extracting(JobLease::leaseId).containsExactly(held.getLeaseId());
    assertThat(lease("w2").getBatchNumber()).isEqualTo(held.getBatchNumber() + 1);
    assertThat(submit("w1", held, held.getBatchNumber(), prove(held)).getAlreadyProven()).isFalse();
    assertThat(node.node.proof(held.getBatchNumber())).isPresent();
  }

  @Test
  void refusesMalformedRequestsForeignLeasesAndOtherKeys() {
    startNode(LEASES, Optional.empty());
    assertThatThrownBy(() -> stub().leaseJob(leaseRequest("", circuit)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(reason(e)).isEqualTo("MALFORMED_REQUEST");
        });
    CircuitIdentity otherKeys = new CircuitIdentity(ProofSystem.GROTH16, 5, 4, DataAvailability.ROLLUP, new byte[32]);
    assertThatThrownBy(() -> stub().leaseJob(leaseRequest("w1", otherKeys)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(reason(e)).isEqualTo("CIRCUIT_MISMATCH");
        });
    Job job = lease("w1");
    assertThatThrownBy(() -> stub().heartbeat(HeartbeatRequest.newBuilder().setWorkerId("w2").setLeaseId(job.getLeaseId()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(reason(e)).isEqualTo("NOT_LEASE_HOLDER");
        });
    assertThatThrownBy(() -> submit("w2", job, job.getBatchNumber(), prove(job)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(reason(e)).isEqualTo("NOT_LEASE_HOLDER"));
    assertThatThrownBy(() -> submit("w1", job, job.getBatchNumber(), new byte[100_000]))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(reason(e)).isEqualTo("MALFORMED_REQUEST"));
    assertThat(node.node.coordinator().orElseThrow().leases()).as("refusals leave the lease alone").hasSize(1);
    assertThat(node.node.proof(job.getBatchNumber())).isEmpty();
  }

  @Test
  void mutualTlsRefusesWorkersWithoutACertificateFromTheClientCa() throws Exception {
    Path certs = dir.resolve("certs");
    TestCertificates.Issued ca = TestCertificates.ca(certs, "cluster-ca");
    TestCertificates.Issued coordinator = TestCertificates.server(certs, "coordinator", ca);
    TestCertificates.Issued worker = TestCertificates.client(certs, "worker-1", ca);
    TestCertificates.Issued rogueCa = TestCertificates.ca(certs, "rogue-ca");
    TestCertificates.Issued rogue = TestCertificates.client(certs, "rogue", rogueCa);
    startNode(LEASES, Optional.of(new ServerTls(coordinator.cert(), coordinator.key(), Optional.of(ca.cert()))));

    ChannelCredentials good = TlsChannelCredentials.newBuilder().trustManager(ca.cert().toFile()).keyManager(worker.cert().toFile(), worker.key().toFile()).build();
    assertThat(leaseWith(good).hasJob()).isTrue();

    ChannelCredentials wrongCert = TlsChannelCredentials.newBuilder().trustManager(ca.cert().toFile()).keyManager(rogue.cert().toFile(), rogue.key().toFile()).build();
    ChannelCredentials noCert = TlsChannelCredentials.newBuilder().trustManager(ca.cert().toFile()).build();
    for (ChannelCredentials refused : List.of(wrongCert, noCert, InsecureChannelCredentials.create())) {
      assertThatThrownBy(() -> leaseWith(refused))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(node.node.coordinator().orElseThrow().leases()).as("only the good worker got a lease").hasSize(1);
  }

  private io.zkrollup.api.v1.LeaseJobResponse leaseWith(ChannelCredentials credentials) {
    ManagedChannel c = Grpc.newChannelBuilderForAddress("localhost", server.port(), credentials).build();
    try {
      return ProverCoordinatorGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).leaseJob(leaseRequest("tls-worker", circuit));
    } finally {
      c.shutdownNow();
    }
  }

  @Test
  void metricsShowTheQueueAndEachWorkersProofs() throws Exception {
    startNode(LEASES, Optional.empty());
    Job job = lease("metrics-worker");
    submit("metrics-worker", job, job.getBatchNumber(), prove(job));
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, node.node.metrics())) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("zkrollup_prover_jobs_proven_total 1.0")
          .contains("zkrollup_prover_worker_proofs_total{worker=\"metrics-worker\"} 1.0")
          .contains("zkrollup_prover_queue_depth 3.0")
          .contains("zkrollup_prover_jobs_leased_total 1.0")
          .contains("zkrollup_node_batches{stage=\"proven\"} 1.0")
          .contains("zkrollup_prover_prove_seconds_count 1");
    }
  }
}
