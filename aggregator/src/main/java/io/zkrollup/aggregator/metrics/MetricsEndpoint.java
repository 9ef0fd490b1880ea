package io.zkrollup.aggregator.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Serves one registry's metrics for Prometheus at {@code http://HOST:PORT/metrics} (and {@code
 * /-/healthy}), on the node and on each worker. Each process has its own registry, never the
 * library's static default one.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code registry} on {@code host:port} (port 0 picks a free one).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static MetricsEndpoint start(String host, int port, PrometheusRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    try {
      return new MetricsEndpoint(HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
