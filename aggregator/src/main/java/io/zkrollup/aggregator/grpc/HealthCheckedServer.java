package io.zkrollup.aggregator.grpc;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A started gRPC server that answers {@code grpc.health.v1} checks (for grpc_health_probe and load
 * balancers): SERVING once started, NOT_SERVING as soon as it stops.
 */
final class HealthCheckedServer implements AutoCloseable {

  private final Server server;
  private final HealthStatusManager health;

  private HealthCheckedServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
  }

  /**
   * Adds the health service to {@code builder}, builds and starts the server, and reports {@code
   * serviceName} (and the server as a whole) SERVING.
   *
   * @param what what is served where, for the error message
   * @throws UncheckedIOException if the port cannot be bound
   */
  static HealthCheckedServer start(NettyServerBuilder builder, String serviceName, String what) {
    HealthStatusManager health = new HealthStatusManager();
    Server server = builder.addService(health.getHealthService()).build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve " + what + ": " + e.getMessage(), e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(serviceName, ServingStatus.SERVING);
    return new HealthCheckedServer(server, health);
  }

  int port() {
    return server.getPort();
  }

  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Reports NOT_SERVING, stops taking calls and waits briefly for running ones. */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
