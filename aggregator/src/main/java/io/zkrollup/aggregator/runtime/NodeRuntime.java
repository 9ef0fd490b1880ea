package io.zkrollup.aggregator.runtime;

import io.zkrollup.aggregator.grpc.CoordinatorServer;
import io.zkrollup.aggregator.grpc.NodeServer;
import io.zkrollup.aggregator.grpc.ServerTls;
import io.zkrollup.aggregator.metrics.MetricsEndpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.node.RollupNode;
import io.zkrollup.aggregator.process.LocalWorkers;
import io.zkrollup.prover.nativebridge.NativeVersions;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A rollup node with everything that runs around it: {@link RollupNode}, its RollupService server,
 * the prover coordinator served on loopback to the node's own worker processes and, when asked, on
 * a port of its own (with TLS) to remote workers, the Prometheus endpoint, and the local workers.
 * The node's JVM never proves: proofs come only from worker processes.
 */
public final class NodeRuntime implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeRuntime.class.getName());

  /** A host and port to listen on (port 0 picks a free one). */
  public record Listen(String host, int port) {

    /** Checks the values. */
    public Listen {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
    }

    /** A free port on loopback. */
    public static Listen loopback() {
      return new Listen("127.0.0.1", 0);
    }
  }

  /**
   * How the node runs.
   *
   * @param node the node's configuration
   * @param api where RollupService listens
   * @param coordinator where remote workers reach the prover coordinator, if they may
   * @param coordinatorTls the coordinator port's TLS (mutual TLS when it has a client CA)
   * @param metrics where the Prometheus endpoint listens, if anywhere
   * @param workers the node's own worker processes (count 0: none)
   * @param version the node's version, for NodeInfo
   */
  public record Settings(
      NodeConfig node, Listen api, Optional<Listen> coordinator, Optional<ServerTls> coordinatorTls, Optional<Listen> metrics, LocalWorkers.Settings workers, String version) {

    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(coordinator, "coordinator");
      Objects.requireNonNull(coordinatorTls, "coordinatorTls");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(workers, "workers");
      Objects.requireNonNull(version, "version");
      if (node.proving().isEmpty() && (coordinator.isPresent() || workers.count() > 0)) {
        throw new IllegalArgumentException("prover workers need a node that proves (a proof system, not none)");
      }
      if (coordinatorTls.isPresent() && coordinator.isEmpty()) {
        throw new IllegalArgumentException("TLS is for the coordinator's own port: give one");
      }
    }

    /** A node on {@code api} with no remote coordinator port, no metrics and no local workers. */
    public static Settings of(NodeConfig node, Listen api, String version) {
      return new Settings(node, api, Optional.empty(), Optional.empty(), Optional.empty(), LocalWorkers.Settings.of(0, node.dataDir()), version);
    }

    /** These settings with {@code workers} local worker processes. */
    public Settings withWorkers(LocalWorkers.Settings w) {
      return new Settings(node, api, coordinator, coordinatorTls, metrics, w, version);
    }

    /** These settings serving the coordinator to remote workers on {@code at}. */
    public Settings withCoordinator(Listen at, Optional<ServerTls> tls) {
      return new Settings(node, api, Optional.of(at), tls, metrics, workers, version);
    }

    /** These settings with the Prometheus endpoint on {@code at}. */
    public Settings withMetrics(Listen at) {
      return new Settings(node, api, coordinator, coordinatorTls, Optional.of(at), workers, version);
    }
  }

  private final RollupNode node;
  private final List<AutoCloseable> started = new ArrayList<>();
  private NodeServer api;
  private CoordinatorServer remoteCoordinator;
  private MetricsEndpoint metrics;
  private LocalWorkers workers;

  private NodeRuntime(RollupNode node) {
    this.node = node;
  }

  /**
   * Starts the node (recovering its data directory; setting up development keys in a child process
   * if its key directory is empty), then its servers, then its local workers.
   */
  public static NodeRuntime start(Settings settings, NativeVersions nativeVersions) {
    NodeRuntime rt = new NodeRuntime(RollupNode.start(settings.node()));
    try {
      rt.startAround(settings, nativeVersions);
      return rt;
    } catch (RuntimeException e) {
      rt.close();
      throw e;
    }
  }

  private void startAround(Settings s, NativeVersions nativeVersions) {
    api = NodeServer.start(node.api(), s.api().host(), s.api().port(), s.version(), nativeVersions);
    started.add(api);
    if (s.coordinator().isPresent()) {
      Listen at = s.coordinator().get();
      remoteCoordinator = CoordinatorServer.start(node.coordinator().orElseThrow(), at.host(), at.port(), s.coordinatorTls());
      started.add(remoteCoordinator);
    }
    if (s.workers().count() > 0) {
      // The node's own workers talk plaintext on loopback; TLS is for the port remote ones use.
      CoordinatorServer local = CoordinatorServer.start(node.coordinator().orElseThrow(), "127.0.0.1", 0, Optional.empty());
      started.add(local);
      workers = LocalWorkers.start(s.workers(), "127.0.0.1:" + local.port(), "local");
      started.add(workers);
      GaugeWithCallback.builder()
          .name("zkrollup_local_workers")
          .help("The node's own prover worker processes running now.")
          .callback(cb -> cb.call(workers.alive()))
          .register(node.metrics());
      GaugeWithCallback.builder()
          .name("zkrollup_local_worker_restarts")
          .help("How many times one of the node's own prover workers died and was started again.")
          .callback(cb -> cb.call(workers.restarts()))
          .register(node.metrics());
    }
    if (s.metrics().isPresent()) {
      metrics = MetricsEndpoint.start(s.metrics().get().host(), s.metrics().get().port(), node.metrics());
      started.add(metrics);
    }
  }

  /** The node. */
  public RollupNode node() {
    return node;
  }

  /** The port RollupService is served on. */
  public int apiPort() {
    return api.port();
  }

  /** The port remote workers reach the coordinator on, if it is served. */
  public Optional<Integer> coordinatorPort() {
    return Optional.ofNullable(remoteCoordinator).map(CoordinatorServer::port);
  }

  /** The port of the Prometheus endpoint, if it is served. */
  public Optional<Integer> metricsPort() {
    return Optional.ofNullable(metrics).map(MetricsEndpoint::port);
  }

  /** The node's own worker processes, if it has any. */
  public Optional<LocalWorkers> workers() {
    return Optional.ofNullable(workers);
  }

  /**
   * Stops in the reverse order of starting: the local workers first (each finishes its proof or
   * gives its job back, which needs the coordinator), then the servers, then the node.
   */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      closeQuietly(started.get(i));
    }
    started.clear();
    closeQuietly(node);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing " + c, e);
    }
  }
}
