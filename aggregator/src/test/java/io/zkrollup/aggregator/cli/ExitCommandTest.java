package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad input to {@code zkrollup exit} is a usage error that names the option, before any L1 call. */
class ExitCommandTest {

  private static final String CONTRACT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

  @Test
  void withoutAnRpcNothingIsRead() {
    CliRun r = CliRun.of("exit", "balance", "--l1-contract", CONTRACT, "--owner", CONTRACT);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--l1-rpc is required");
  }

  @Test
  void aStepThatSendsNeedsTheKeyFileFirst() {
    CliRun r = CliRun.of("exit", "activate-exodus", "--l1-rpc", "http://127.0.0.1:9", "--l1-contract", CONTRACT);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--l1-key-file is required");
  }

  @Test
  void aMalformedContractAddressIsNamed() {
    CliRun r = CliRun.of("exit", "balance", "--l1-rpc", "http://127.0.0.1:9", "--l1-contract", "0x1234", "--owner", CONTRACT);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("0x and 40 hex digits");
  }

  @Test
  void everyStepExplainsItself() {
    for (String step : new String[] {"balance", "force-withdraw", "activate-exodus", "exit-account", "refund"}) {
      CliRun r = CliRun.of("exit", step, "--help");
      assertThat(r.status()).as(step).isZero();
      assertThat(r.out()).as(step).contains("zkrollup exit " + step).contains("--l1-rpc").contains("--l1-contract");
    }
  }
}
