package io.zkrollup.prover.worker;

import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.zkrollup.prover.cluster.CircuitIdentity;
import java.util.Locale;

/**
 * A worker's metrics, in a registry of its own (never the library's static default one, so two
 * workers in one JVM, as in tests, do not share counters):
 *
 * <ul>
 *   <li>{@code zkrollup_worker_jobs_total{outcome}}: leased jobs by {@link JobOutcome}
 *   <li>{@code zkrollup_worker_prove_seconds}: time in the native prover per job
 *   <li>{@code zkrollup_worker_busy}: 1 while a job is held
 *   <li>{@code zkrollup_worker_call_errors_total{call,code}}: coordinator calls that failed, by gRPC code
 *   <li>{@code zkrollup_worker_info{worker,backend,slots,depth,gpu}}: always 1
 * </ul>
 */
public final class WorkerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter jobs;
  private final Histogram proveSeconds;
  private final Gauge busy;
  private final Counter callErrors;

  /** Registers the metrics of a worker named {@code workerId} proving {@code circuit}. */
  public WorkerMetrics(String workerId, CircuitIdentity circuit, boolean gpu) {
    jobs =
        Counter.builder()
            .name("zkrollup_worker_jobs_total")
            .help("Leased jobs by how they ended on this worker")
            .labelNames("outcome")
            .register(registry);
    for (JobOutcome o : JobOutcome.values()) {
      jobs.labelValues(o.label()); // every outcome shows from the start, at 0
    }
    proveSeconds =
        Histogram.builder()
            .name("zkrollup_worker_prove_seconds")
            .help("Time spent in the native prover per job")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
            .register(registry);
    busy = Gauge.builder().name("zkrollup_worker_busy").help("1 while the worker holds a job").register(registry);
    callErrors =
        Counter.builder()
            .name("zkrollup_worker_call_errors_total")
            .help("Coordinator calls that failed, by call and gRPC status code")
            .labelNames("call", "code")
            .register(registry);
    Gauge.builder()
        .name("zkrollup_worker_info")
        .help("The worker's name and the circuit it proves")
        .labelNames("worker", "backend", "slots", "depth", "gpu")
        .register(registry)
        .labelValues(workerId, circuit.system().label(), Integer.toString(circuit.slots()), Integer.toString(circuit.depth()), Boolean.toString(gpu))
        .set(1);
  }

  /** The registry holding these metrics, for a /metrics endpoint. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** How many jobs ended with {@code outcome} so far. */
  public long jobs(JobOutcome outcome) {
    return (long) jobs.labelValues(outcome.label()).get();
  }

  void jobEnded(JobOutcome outcome) {
    jobs.labelValues(outcome.label()).inc();
  }

  void proved(long nanos) {
    proveSeconds.observe(nanos / 1e9);
  }

  void busy(boolean held) {
    busy.set(held ? 1 : 0);
  }

  void callFailed(String call, Status.Code code) {
    callErrors.labelValues(call, code.name().toLowerCase(Locale.ROOT)).inc();
  }
}
