package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without contracts/ or its npm packages the L1 tests stop at once, saying what to run. */
class ContractsTest {

  @Test
  void aMissingDirectoryOrNodeModulesIsNamedWithTheFix(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Contracts.at(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("package-lock.json")
        .hasMessageContaining(Contracts.DIR_PROPERTY);
    Files.writeString(dir.resolve("package-lock.json"), "{}");
    assertThatThrownBy(() -> Contracts.at(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node_modules is missing")
        .hasMessageContaining("bash contracts/scripts/install.sh");
  }
}
