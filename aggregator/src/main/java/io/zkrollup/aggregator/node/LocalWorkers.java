package io.zkrollup.aggregator.node;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.grpc.ProverCoordinatorService;
import io.zkrollup.prover.Prover;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.worker.ProverWorker;
import io.zkrollup.prover.worker.WorkerMetrics;
import io.zkrollup.prover.worker.WorkerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Prover workers inside the node. They are the same {@link ProverWorker}s a remote machine runs,
 * talking to the same coordinator service over an in-process gRPC channel, so one code path leases,
 * heartbeats, submits and recovers, whether the worker is local or not. They share the node's keys.
 */
final class LocalWorkers implements AutoCloseable {

  /** How long a stopping node lets a local proof finish before it gives the lease back. */
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final Server server;
  private final ManagedChannel channel;
  private final List<ProverWorker> workers;

  private LocalWorkers(Server server, ManagedChannel channel, List<ProverWorker> workers) {
    this.server = server;
    this.channel = channel;
    this.workers = workers;
  }

  /** Starts {@code count} workers proving with {@code keys} (none: returns null). */
  static LocalWorkers start(JobCoordinator coordinator, Prover keys, CircuitIdentity circuit, int count) {
    if (count == 0) {
      return null;
    }
    String name = "zkrollup-coordinator-" + UUID.randomUUID();
    Server server = InProcessServerBuilder.forName(name).addService(new ProverCoordinatorService(coordinator)).build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the in-process coordinator: " + e.getMessage(), e);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    List<ProverWorker> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkerSettings settings = WorkerSettings.defaults("local-" + i, false).withDrainTimeout(DRAIN);
      ProverWorker w = new ProverWorker(channel, keys, circuit, settings, new WorkerMetrics(settings.workerId(), circuit, false));
      w.start();
      workers.add(w);
    }
    return new LocalWorkers(server, channel, workers);
  }

  /**
   * Stops the workers (each finishes its proof within the drain time or gives its lease back).
   *
   * @return whether no proof is still running (if one is, the keys must stay open)
   */
  boolean closeAndAwait() {
    for (ProverWorker w : workers) {
      w.close();
    }
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return workers.stream().noneMatch(ProverWorker::busy);
  }

  @Override
  public void close() {
    closeAndAwait();
  }
}
