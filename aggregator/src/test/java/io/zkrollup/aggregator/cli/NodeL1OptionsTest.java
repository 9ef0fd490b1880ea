package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zkrollup node --l1-*}: incomplete or malformed L1 options stop with status 2 and start nothing. */
class NodeL1OptionsTest {

  @TempDir Path dir;

  private CliRun node(String... l1) {
    String[] base = {"node", "--data-dir", dir.resolve("data").toString(), "--operator-key", HexFormat.of().formatHex(TestNode.wallet(0).publicKey().toBytes())};
    String[] args = new String[base.length + l1.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(l1, 0, args, base.length, l1.length);
    return CliRun.of(args);
  }

  @Test
  void theThreeL1OptionsGoTogether() {
    CliRun r = node("--l1-rpc", "http://127.0.0.1:8545", "--l1-contract", "0x" + "ab".repeat(20));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--l1-rpc, --l1-contract and --l1-key-file go together");
    assertThat(dir.resolve("data")).as("no node was started").doesNotExist();
  }

  @Test
  void aMalformedAddressOrConfirmationCountIsRefused() throws Exception {
    Path key = Files.writeString(dir.resolve("k"), "11".repeat(32));
    CliRun address = node("--l1-rpc", "http://127.0.0.1:8545", "--l1-contract", "0x1234", "--l1-key-file", key.toString());
    assertThat(address.status()).isEqualTo(2);
    assertThat(address.err()).contains("0x and 40 hex digits, got 0x1234");
    CliRun confirmations =
        node("--l1-rpc", "http://127.0.0.1:8545", "--l1-contract", "0x" + "ab".repeat(20), "--l1-key-file", key.toString(), "--l1-confirmations", "0");
    assertThat(confirmations.status()).isEqualTo(2);
    assertThat(confirmations.err()).contains("confirmations must be ≥ 1");
    assertThat(dir.resolve("data")).as("no node was started").doesNotExist();
  }

  @Test
  void theDevelopmentL1DoesNotGoWithAnotherOne() throws Exception {
    Path key = Files.writeString(dir.resolve("k"), "11".repeat(32));
    CliRun r = node("--l1-dev", "--l1-rpc", "http://127.0.0.1:8545", "--l1-contract", "0x" + "ab".repeat(20), "--l1-key-file", key.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--l1-dev starts its own L1");
    assertThat(dir.resolve("data")).as("no node was started").doesNotExist();
  }
}
