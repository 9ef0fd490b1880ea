package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zkrollup.api.v1.GetVersionsRequest;
import io.zkrollup.api.v1.GetVersionsResponse;
import io.zkrollup.api.v1.NodeInfoGrpc;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NodeInfo over a real gRPC channel on loopback, answering from the loaded native library. */
class NodeInfoServiceTest {

  @Test
  void reportsNodeAndNativeVersionsOverGrpc() throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new NodeInfoService("9.9.9", LibZkProver.load().versions()))
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      GetVersionsResponse versions =
          NodeInfoGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getVersions(GetVersionsRequest.getDefaultInstance());
      assertThat(versions.getNodeVersion()).isEqualTo("9.9.9");
      assertThat(versions.getGnarkVersion()).isEqualTo("v0.16.3");
      assertThat(versions.getGnarkCryptoVersion()).isEqualTo("v0.21.0");
      assertThat(versions.getGoVersion()).startsWith("go1.");
      assertThat(versions.getPlatform()).isEqualTo("linux-amd64");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
