package io.zkrollup.aggregator.grpc;

import io.grpc.stub.StreamObserver;
import io.zkrollup.api.v1.GetVersionsRequest;
import io.zkrollup.api.v1.GetVersionsResponse;
import io.zkrollup.api.v1.NodeInfoGrpc;
import io.zkrollup.prover.nativebridge.NativeVersions;

/** Answers {@code zkrollup.v1.NodeInfo}: the node's version and its proving core's. */
public final class NodeInfoService extends NodeInfoGrpc.NodeInfoImplBase {

  private final GetVersionsResponse versions;

  /**
   * @param nodeVersion the node's project version
   * @param nativeVersions the versions reported by the loaded libzkprover
   */
  public NodeInfoService(String nodeVersion, NativeVersions nativeVersions) {
    this.versions =
        GetVersionsResponse.newBuilder()
            .setNodeVersion(nodeVersion)
            .setLibzkproverVersion(nativeVersions.library())
            .setGnarkVersion(nativeVersions.gnark())
            .setGnarkCryptoVersion(nativeVersions.gnarkCrypto())
            .setGoVersion(nativeVersions.go())
            .setPlatform(nativeVersions.platform())
            .build();
  }

  @Override
  public void getVersions(GetVersionsRequest request, StreamObserver<GetVersionsResponse> response) {
    response.onNext(versions);
    response.onCompleted();
  }
}
