package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.testing.ClusterTestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code zkrollup quickstart}, at the test size (Groth16, B=5, D=4, the
 * shared test keys placed where the command keeps its keys): on a local anvil with Rollup.sol and
 * the exported verifier, it deposits with transactions, transfers, withdraws in one list, proves,
 * commits and claims with transactions, and says the contract and the node agree.
 */
class QuickstartCommandIT {

  @TempDir Path dir;

  @Test
  void runsTheRollupEndToEndOnAnvilWithRollupSol() throws IOException {
    Path keys = dir.resolve("keys-groth16-b" + ClusterTestKeys.SLOTS + "-d" + ClusterTestKeys.DEPTH);
    Files.createDirectories(keys);
    try (Stream<Path> files = Files.list(ClusterTestKeys.dir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, keys.resolve(f.getFileName()));
      }
    }
    CliRun r =
        CliRun.of(
            "quickstart", "--dir", dir.toString(), "--slots", Integer.toString(ClusterTestKeys.SLOTS), "--depth", Integer.toString(ClusterTestKeys.DEPTH),
            "--timeout-s", "300");
    assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
    assertThat(r.out())
        .contains("using the keys set up before")
        .contains("alice has L2 account 1 with 1 ETH", "bob   has L2 account 2 with 1 ETH", "carol has L2 account 3 with 1 ETH")
        // 1 ETH − 0.25 + 0.1 − fee, then all but the withdrawal's fee; the command checks each claim pays what was withdrawn.
        .contains("alice claims 0.849998 ETH (its Claimed event)")
        .contains("bob   claims 1.149998 ETH (its Claimed event)")
        .contains("carol claims 0.999998 ETH (its Claimed event)")
        .contains("4 of 4 priority requests consumed (read from Rollup.sol)")
        .contains("L1 and the node agree")
        .doesNotContain("MISMATCH")
        .doesNotContain("NOT WHAT WAS WITHDRAWN");
    assertThat(r.out())
        .containsPattern("anvil http://127\\.0\\.0\\.1:\\d+ \\(chain 31337")
        .containsPattern("deposits 1 ETH \\(L1 queue entry 1, gas [0-9,]+\\)")
        .containsPattern("batch 0 proven in \\d+\\.\\d\\d s")
        .containsPattern("batch \\d+ published: Rollup.sol on anvil verified its proof");
  }
}
