package io.zkrollup.aggregator.l1.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without contracts/ or its npm packages the dev L1 stops at once, saying what to run. */
class ContractsDirTest {

  @Test
  void aMissingDirectoryOrNodeModulesIsNamedWithTheFix(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ContractsDir.at(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("package-lock.json")
        .hasMessageContaining(ContractsDir.PROPERTY)
        .hasMessageContaining(ContractsDir.ENV);
    Files.writeString(dir.resolve("package-lock.json"), "{}");
    assertThatThrownBy(() -> ContractsDir.at(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node_modules is missing")
        .hasMessageContaining("bash contracts/scripts/install.sh");
    Files.createDirectories(dir.resolve("node_modules/solc"));
    assertThat(ContractsDir.at(dir).rollupSol()).isEqualTo(dir.toAbsolutePath().normalize().resolve("src/Rollup.sol"));
    assertThatThrownBy(() -> ContractsDir.at(dir).anvil()).hasMessageContaining("no anvil binary").hasMessageContaining("install.sh");
  }

  @Test
  void theSystemPropertyWinsAndIsCheckedAsGiven(@TempDir Path dir) {
    String before = System.getProperty(ContractsDir.PROPERTY);
    System.setProperty(ContractsDir.PROPERTY, dir.toString());
    try {
      assertThatThrownBy(ContractsDir::locate).hasMessageContaining(dir.toAbsolutePath().normalize().toString());
    } finally {
      if (before == null) {
        System.clearProperty(ContractsDir.PROPERTY);
      } else {
        System.setProperty(ContractsDir.PROPERTY, before);
      }
    }
  }

  @Test
  void withoutPropertyItIsFoundBesideTheBuiltCode() {
    String before = System.getProperty(ContractsDir.PROPERTY);
    System.clearProperty(ContractsDir.PROPERTY);
    try {
      // Surefire runs from aggregator/, whose classes are in aggregator/target/classes: ../../contracts.
      if (System.getenv(ContractsDir.ENV) == null && Files.isDirectory(Path.of("../contracts/node_modules/solc"))) {
        assertThat(ContractsDir.locate().dir()).isEqualTo(Path.of("../contracts").toAbsolutePath().normalize());
      }
    } finally {
      if (before != null) {
        System.setProperty(ContractsDir.PROPERTY, before);
      }
    }
  }
}
