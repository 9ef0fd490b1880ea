package io.zkrollup.aggregator.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.api.v1.ProverCoordinatorGrpc;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server prover workers connect to: ProverCoordinator and health checking, on its own
 * port so that it can have its own TLS (mutual TLS in production) and firewall rules, apart from
 * the public RollupService.
 */
public final class CoordinatorServer implements AutoCloseable {

  private final HealthCheckedServer server;

  private CoordinatorServer(HealthCheckedServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code coordinator} on {@code host:port} (0 picks a free port).
   *
   * @param tls the server's certificate and, for mutual TLS, the client CA; empty for plaintext
   * @throws UncheckedIOException if the port cannot be bound or the TLS files not loaded
   */
  public static CoordinatorServer start(JobCoordinator coordinator, String host, int port, Optional<ServerTls> tls) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port), ServerTls.credentials(tls))
            // Long polls and keep-alive pings from workers that wait minutes for a job.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(new ProverCoordinatorService(coordinator));
    return new CoordinatorServer(HealthCheckedServer.start(builder, ProverCoordinatorGrpc.SERVICE_NAME, "the prover coordinator on " + host + ":" + port));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Stops taking calls; waits briefly for running ones (long polls end when the coordinator closes). */
  @Override
  public void close() {
    server.close();
  }
}
