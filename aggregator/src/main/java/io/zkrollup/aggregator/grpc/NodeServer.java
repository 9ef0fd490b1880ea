package io.zkrollup.aggregator.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.zkrollup.aggregator.service.NodeApi;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.prover.nativebridge.NativeVersions;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's gRPC server: RollupService, NodeInfo, health checking ({@code grpc.health.v1}, for
 * grpc_health_probe and load balancers) and server reflection (for grpcurl). Requests larger than
 * a full list of transactions are refused with RESOURCE_EXHAUSTED: by gRPC itself, or by {@link
 * InflatedSizeGuard} for a compressed one that inflates past the limit; calls beyond
 * the {@link CallLimits} are refused with RESOURCE_EXHAUSTED and reason {@code BUSY}, and a fixed
 * pool of threads runs them all.
 */
public final class NodeServer implements AutoCloseable {

  /**
   * Bytes a request may have per transaction of a list. The longest transaction the node reads is a
   * withdrawal with every field at its longest (a 32-bit index, two amounts of {@value
   * TransactionDecoder#MAX_AMOUNT_DIGITS} digits, the largest nonce and token, key and signature):
   * 229 bytes as an entry of a list. Amounts are canonical decimals, so no transaction the node takes
   * is longer, and a full list always fits, with room to spare; HostileClientTest sends one.
   */
  static final int BYTES_PER_TRANSACTION = 256;

  private final HealthCheckedServer server;
  private final ExecutorService calls;

  private NodeServer(HealthCheckedServer server, ExecutorService calls) {
    this.server = server;
    this.calls = calls;
  }

  /**
   * Starts serving a node's API on {@code host:port} (port 0 picks a free one).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static NodeServer start(NodeApi node, String host, int port, String nodeVersion, NativeVersions nativeVersions) {
    return start(node, host, port, nodeVersion, nativeVersions, CallLimits.defaults(Runtime.getRuntime().availableProcessors()));
  }

  /** {@link #start(NodeApi, String, int, String, NativeVersions)} with other {@code limits}. */
  public static NodeServer start(NodeApi node, String host, int port, String nodeVersion, NativeVersions nativeVersions, CallLimits limits) {
    int maxBytes = 1024 + BYTES_PER_TRANSACTION * node.parameters().maxListSize();
    ClientErrorLogFilter.install();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService calls =
        Executors.newFixedThreadPool(
            limits.threads(),
            r -> {
              Thread t = new Thread(r, "grpc-call-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .executor(calls)
            .maxInboundMessageSize(maxBytes)
            .intercept(limits.interceptor())
            .addService(InflatedSizeGuard.guard(new RollupGrpcService(node)))
            .addService(InflatedSizeGuard.guard(new NodeInfoService(nodeVersion, nativeVersions)))
            .addService(ProtoReflectionServiceV1.newInstance());
    try {
      return new NodeServer(HealthCheckedServer.start(builder, RollupServiceGrpc.SERVICE_NAME, "the node on " + host + ":" + port), calls);
    } catch (RuntimeException e) {
      calls.shutdownNow();
      throw e;
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Blocks until the server stops. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Reports NOT_SERVING, stops taking calls and waits briefly for running ones. */
  @Override
  public void close() {
    server.close();
    calls.shutdownNow();
  }
}
