package io.zkrollup.aggregator.coordinator;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The coordinator's Prometheus metrics. {@code zkrollup_prover_queue_depth} (batches waiting for a
 * worker) is the signal to scale workers on; {@code rate(zkrollup_prover_worker_proofs_total[5m])}
 * is each worker's throughput.
 */
public final class CoordinatorMetrics {

  /** Prove times from seconds to hours: production batches take minutes on a CPU. */
  private static final double[] PROVE_SECONDS = {0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600};

  private final PrometheusRegistry registry;
  private final Counter leased;
  private final Counter proven;
  private final Counter failed;
  private final Counter released;
  private final Counter givenUp;
  private final Counter workerProofs;
  private final Histogram proveSeconds;
  private final Histogram verifySeconds;

  /** Registers the coordinator's metrics in {@code registry}. */
  public CoordinatorMetrics(PrometheusRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    leased = Counter.builder().name("zkrollup_prover_jobs_leased_total").help("Leases granted to workers.").register(registry);
    proven = Counter.builder().name("zkrollup_prover_jobs_proven_total").help("Batches whose proof was verified and stored.").register(registry);
    failed =
        Counter.builder()
            .name("zkrollup_prover_jobs_failed_total")
            .help("Failed attempts, by reason: expired (no heartbeat), rejected (proof did not verify), wrong_batch, reported (the worker gave up).")
            .labelNames("reason")
            .register(registry);
    released = Counter.builder().name("zkrollup_prover_jobs_released_total").help("Leases given back by workers shutting down (not counted as attempts).").register(registry);
    givenUp = Counter.builder().name("zkrollup_prover_jobs_given_up_total").help("Batches that used up their attempts and wait for the operator.").register(registry);
    workerProofs = Counter.builder().name("zkrollup_prover_worker_proofs_total").help("Accepted proofs by worker.").labelNames("worker").register(registry);
    proveSeconds =
        Histogram.builder().name("zkrollup_prover_prove_seconds").help("Prove time of accepted proofs as their workers report it.").classicUpperBounds(PROVE_SECONDS).classicOnly().register(registry);
    verifySeconds =
        Histogram.builder().name("zkrollup_prover_verify_seconds").help("Time to verify a submitted proof.").classicOnly().register(registry);
  }

  /** Adds the gauges read from {@code snapshot} on every scrape. */
  void watch(Supplier<JobCoordinator.Snapshot> snapshot) {
    GaugeWithCallback.builder()
        .name("zkrollup_prover_jobs")
        .help("Batches by state: queued (waiting for a worker), leased (being proven), failed (attempts used up), proven_ahead (proven, waiting for an earlier batch).")
        .labelNames("state")
        .callback(
            cb -> {
              JobCoordinator.Snapshot s = snapshot.get();
              cb.call(s.queued(), "queued");
              cb.call(s.leased(), "leased");
              cb.call(s.failed().size(), "failed");
              cb.call(s.provenAhead(), "proven_ahead");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("zkrollup_prover_queue_depth")
        .help("Batches waiting for a worker: scale workers on this.")
        .callback(cb -> cb.call(snapshot.get().queued()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("zkrollup_prover_proven_batches")
        .help("Batches proven from 0 on without a gap (announced in order).")
        .callback(cb -> cb.call(snapshot.get().announced()))
        .register(registry);
  }

  void leased() {
    leased.inc();
  }

  void proven(String worker, long proveMillis, long verifyNanos) {
    proven.inc();
    workerProofs.labelValues(worker).inc();
    proveSeconds.observe(proveMillis / 1e3);
    verifySeconds.observe(verifyNanos / 1e9);
  }

  void failed(String reason) {
    failed.labelValues(reason).inc();
  }

  void released() {
    released.inc();
  }

  void givenUp() {
    givenUp.inc();
  }
}
