package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.zkrollup.api.v1.LeaseJobRequest;
import io.zkrollup.api.v1.LeaseJobResponse;
import io.zkrollup.api.v1.ProverCoordinatorGrpc;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's channel credentials against a real Netty server that requires client certificates:
 * {@code --tls-ca} with {@code --tls-cert/--tls-key} gets through, {@code --tls-ca} alone is turned
 * away, so the files are really used. Certificates are made here for each run.
 */
class WorkerChannelTlsTest {

  @TempDir Path dir;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startServer() throws Exception {
    KeyPair caKeys = keys();
    X500Name caName = new X500Name("CN=zkrollup test CA");
    X509Certificate ca = sign(caName, caName, caKeys.getPublic(), caKeys.getPrivate(), true);
    KeyPair serverKeys = keys();
    KeyPair clientKeys = keys();
    write("ca.pem", "CERTIFICATE", ca.getEncoded());
    write("server.pem", "CERTIFICATE", sign(caName, new X500Name("CN=localhost"), serverKeys.getPublic(), caKeys.getPrivate(), false).getEncoded());
    write("server.key", "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
    write("client.pem", "CERTIFICATE", sign(caName, new X500Name("CN=worker"), clientKeys.getPublic(), caKeys.getPrivate(), false).getEncoded());
    write("client.key", "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
    TlsServerCredentials.Builder tls =
        TlsServerCredentials.newBuilder()
            .keyManager(dir.resolve("server.pem").toFile(), dir.resolve("server.key").toFile())
            .trustManager(dir.resolve("ca.pem").toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    server =
        Grpc.newServerBuilderForPort(0, tls.build())
            .addService(
                new ProverCoordinatorGrpc.ProverCoordinatorImplBase() {
                  @Override
                  public void leaseJob(LeaseJobRequest request, StreamObserver<LeaseJobResponse> out) {
                    out.onNext(LeaseJobResponse.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private LeaseJobResponse lease() {
    return ProverCoordinatorGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .leaseJob(LeaseJobRequest.newBuilder().setWorkerId("tls-test").build());
  }

  @Test
  void mutualTlsWithTheClientCertificateGetsThrough() throws IOException {
    channel =
        WorkerCommand.channel(
            "localhost:" + server.getPort(),
            WorkerCommand.credentials(dir.resolve("ca.pem"), dir.resolve("client.pem"), dir.resolve("client.key")));

    assertThat(lease().hasJob()).isFalse();
  }

  @Test
  void withoutTheClientCertificateTheServerTurnsTheWorkerAway() throws IOException {
    channel = WorkerCommand.channel("localhost:" + server.getPort(), WorkerCommand.credentials(dir.resolve("ca.pem"), null, null));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, this::lease);

    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void plaintextIsTurnedAwayByATlsServer() throws IOException {
    channel = WorkerCommand.channel("localhost:" + server.getPort(), WorkerCommand.credentials(null, null, null));

    assertThat(catchThrowableOfType(StatusRuntimeException.class, this::lease)).isNotNull();
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey key, PrivateKey issuerKey, boolean isCa)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer, BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)), Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)), subject, key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!isCa) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
              }));
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private void write(String name, String type, byte[] der) throws IOException {
    String pem =
        "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }
}
