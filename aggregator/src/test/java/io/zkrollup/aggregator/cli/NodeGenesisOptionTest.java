package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zkrollup node --genesis}: a file that is not one account per line stops with status 2, naming the lines, and starts nothing. */
class NodeGenesisOptionTest {

  @TempDir Path dir;

  private static String key(int wallet) {
    return HexFormat.of().formatHex(TestNode.wallet(wallet).publicKey().toBytes());
  }

  private CliRun node(List<String> genesis) throws Exception {
    Path file = Files.write(dir.resolve("genesis.txt"), genesis);
    return CliRun.of("node", "--data-dir", dir.resolve("data").toString(), "--operator-key", key(0), "--genesis", file.toString());
  }

  @Test
  void twoLinesAtOneIndexOrOfOneAccountAreRefusedAtStart() throws Exception {
    CliRun index = node(List.of("1 " + key(1) + " 100", "1 " + key(2) + " 100"));
    assertThat(index.status()).isEqualTo(2);
    assertThat(index.err()).contains("--genesis:").contains("line 2: index 1 is already line 1's account");
    CliRun account = node(List.of("1 " + key(1) + " 100", "2 " + key(1) + " 100"));
    assertThat(account.status()).isEqualTo(2);
    assertThat(account.err()).contains("line 2: key hash").contains("at index 1 (line 1)");
    assertThat(dir.resolve("data")).as("no node was started").doesNotExist();
  }
}
