package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code zkrollup worker}'s command line: bad option combinations are refused before any key is
 * loaded or connection made. (A running worker is covered by the multi-process cluster tests.)
 */
class WorkerCommandTest {

  @Test
  void plaintextIsWarnedAboutOnlyOffLoopback() {
    assertThat(WorkerCommand.onLoopback("127.0.0.1:50052")).isTrue();
    assertThat(WorkerCommand.onLoopback("localhost:50052")).isTrue();
    assertThat(WorkerCommand.onLoopback("[::1]:50052")).isTrue();
    assertThat(WorkerCommand.onLoopback("prover.example.internal:50052")).isFalse();
    assertThat(WorkerCommand.onLoopback("10.0.0.7:50052")).isFalse();
  }

  @Test
  void aClientCertificateWithoutItsKeyIsRefused() {
    CliRun r = CliRun.of("worker", "--coordinator", "127.0.0.1:1", "--keys", "/nonexistent", "--tls-ca", "ca.pem", "--tls-cert", "cert.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-cert and --tls-key go together");
  }

  @Test
  void aClientCertificateWithoutACaIsRefused() {
    CliRun r = CliRun.of("worker", "--coordinator", "127.0.0.1:1", "--keys", "/nonexistent", "--tls-cert", "cert.pem", "--tls-key", "key.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-cert needs --tls-ca");
  }

  @Test
  void theCoordinatorAndTheKeysAreRequired() {
    CliRun r = CliRun.of("worker", "--keys", "/nonexistent");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option").contains("--coordinator");
  }

  @Test
  void aCoordinatorWithoutAPortIsRefused() {
    CliRun r = CliRun.of("worker", "--coordinator", "localhost", "--keys", "/nonexistent");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--coordinator must be HOST:PORT");
  }

  @Test
  void aWorkerIdWithASpaceIsRefused() {
    CliRun r = CliRun.of("worker", "--coordinator", "localhost:1", "--keys", "/nonexistent", "--worker-id", "two words");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("worker id must be");
  }

  @Test
  void unreadableTlsFilesAreRefusedWithTheirName() {
    CliRun r = CliRun.of("worker", "--coordinator", "localhost:1", "--keys", "/nonexistent", "--tls-ca", "/nonexistent/ca.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read the TLS files").contains("ca.pem");
  }

  @Test
  void helpListsTheStableOptions() {
    CliRun r = CliRun.of("worker", "--help");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("--coordinator", "--keys", "--worker-id", "--tls-ca", "--tls-cert", "--tls-key", "--metrics-host", "--metrics-port")
        .contains("--lease-wait-ms", "--drain-timeout-s", "--config");
  }
}
