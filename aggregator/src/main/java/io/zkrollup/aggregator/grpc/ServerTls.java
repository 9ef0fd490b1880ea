package io.zkrollup.aggregator.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for a gRPC server: its certificate chain and PKCS#8 private key (PEM), and optionally the CA
 * whose certificates clients must present (mutual TLS). docs/prover-cluster.md shows how to make
 * them.
 *
 * @param certChain the server's certificate chain
 * @param privateKey its private key
 * @param clientCa with mutual TLS, the CA that signs client certificates; a client without a valid
 *     one fails the handshake
 */
public record ServerTls(Path certChain, Path privateKey, Optional<Path> clientCa) {

  /** Checks for nulls. */
  public ServerTls {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }

  /**
   * The server credentials for {@code tls}, or plaintext when it is empty.
   *
   * @throws UncheckedIOException if a file cannot be read or parsed
   */
  public static ServerCredentials credentials(Optional<ServerTls> tls) {
    if (tls.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    ServerTls t = tls.get();
    try {
      TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(t.certChain.toFile(), t.privateKey.toFile());
      if (t.clientCa.isPresent()) {
        b.trustManager(t.clientCa.get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("cannot load TLS files " + t + ": " + e.getMessage(), e));
    }
  }
}
