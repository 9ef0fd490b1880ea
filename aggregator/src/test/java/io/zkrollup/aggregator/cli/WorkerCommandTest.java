package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code zkrollup worker}'s command line: bad option combinations are refused before any key is
 * loaded or connection made. (A running worker is covered by the multi-process cluster tests.)
 */
class WorkerCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = ZkRollupCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void aClientCertificateWithoutItsKeyIsRefused() {
    Run r = run("worker", "--coordinator", "127.0.0.1:1", "--keys", "/nonexistent", "--tls-ca", "ca.pem", "--tls-cert", "cert.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-cert and --tls-key go together");
  }

  @Test
  void aClientCertificateWithoutACaIsRefused() {
    Run r = run("worker", "--coordinator", "127.0.0.1:1", "--keys", "/nonexistent", "--tls-cert", "cert.pem", "--tls-key", "key.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-cert needs --tls-ca");
  }

  @Test
  void theCoordinatorAndTheKeysAreRequired() {
    Run r = run("worker", "--keys", "/nonexistent");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option").contains("--coordinator");
  }

  @Test
  void aCoordinatorWithoutAPortIsRefused() {
    Run r = run("worker", "--coordinator", "localhost", "--keys", "/nonexistent");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--coordinator must be HOST:PORT");
  }

  @Test
  void aWorkerIdWithASpaceIsRefused() {
    Run r = run("worker", "--coordinator", "localhost:1", "--keys", "/nonexistent", "--worker-id", "two words");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("worker id must be");
  }

  @Test
  void unreadableTlsFilesAreRefusedWithTheirName() {
    Run r = run("worker", "--coordinator", "localhost:1", "--keys", "/nonexistent", "--tls-ca", "/nonexistent/ca.pem");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read the TLS files").contains("ca.pem");
  }

  @Test
  void helpListsTheStableOptions() {
    Run r = run("worker", "--help");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("--coordinator", "--keys", "--worker-id", "--tls-ca", "--tls-cert", "--tls-key", "--metrics-host", "--metrics-port")
        .contains("--lease-wait-ms", "--drain-timeout-s", "--config");
  }
}
