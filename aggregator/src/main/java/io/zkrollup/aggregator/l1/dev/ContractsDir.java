package io.zkrollup.aggregator.l1.dev;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The repository's {@code contracts/} directory at run time: Rollup.sol, the pinned solc-js and
 * anvil in its {@code node_modules}, and {@code scripts/compile.mjs}. Found, in this order:
 *
 * <ol>
 *   <li>the system property {@value #PROPERTY};
 *   <li>the environment variable {@value #ENV};
 *   <li>beside the running code: {@code aggregator/target/zkrollup.jar} (or {@code
 *       aggregator/target/classes}) → {@code ../../contracts}, the repository's own;
 *   <li>{@code ./contracts} in the working directory.
 * </ol>
 */
public final class ContractsDir {

  /** System property naming the directory. */
  public static final String PROPERTY = "zkrollup.contracts.dir";

  /** Environment variable naming the directory. */
  public static final String ENV = "ZKROLLUP_CONTRACTS_DIR";

  /** What installs the npm packages (the build runs it too). */
  public static final String INSTALL = "bash contracts/scripts/install.sh";

  private final Path dir;

  private ContractsDir(Path dir) {
    this.dir = dir;
  }

  /**
   * Finds {@code contracts/} and checks that its npm packages are installed.
   *
   * @throws IllegalStateException naming the places tried, or the install command, if it is missing
   */
  public static ContractsDir locate() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return at(Path.of(property));
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return at(Path.of(env));
    }
    List<Path> tried = new ArrayList<>();
    besideTheCode().ifPresent(tried::add);
    tried.add(Path.of("contracts"));
    for (Path p : tried) {
      if (Files.isRegularFile(p.resolve("package-lock.json"))) {
        return at(p);
      }
    }
    throw new IllegalStateException(
        "cannot find the contracts/ directory (tried " + tried.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
            + "): run from the repository, or set -D" + PROPERTY + "=DIR or " + ENV + "=DIR");
  }

  /** {@code ../../contracts} from the jar or class directory this class was loaded from. */
  private static java.util.Optional<Path> besideTheCode() {
    try {
      CodeSource source = ContractsDir.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return java.util.Optional.empty();
      }
      Path code = Path.of(source.getLocation().toURI()); // …/aggregator/target/zkrollup.jar or …/target/classes
      Path module = code.getParent() == null ? null : code.getParent().getParent();
      return module == null ? java.util.Optional.empty() : java.util.Optional.of(module.resolveSibling("contracts"));
    } catch (URISyntaxException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * {@code contractsDir}, checked: it must hold {@code package-lock.json} and the installed packages.
   *
   * @throws IllegalStateException naming the fix if the directory or its node_modules is missing
   */
  public static ContractsDir at(Path contractsDir) {
    Path dir = Objects.requireNonNull(contractsDir, "contractsDir").toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
      throw new IllegalStateException("no contracts/ directory with package-lock.json at " + dir + " (set -D" + PROPERTY + " or " + ENV + ")");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("solc"))) {
      throw new IllegalStateException(
          dir.resolve("node_modules")
              + " is missing: run `"
              + INSTALL
              + "` (npm ci; needs Node.js >= 20 and npm), or build with ./mvnw, which runs it");
    }
    return new ContractsDir(dir);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** {@code src/Rollup.sol}. */
  public Path rollupSol() {
    return dir.resolve("src").resolve("Rollup.sol");
  }

  /** {@code scripts/compile.mjs}. */
  public Path compileScript() {
    return dir.resolve("scripts").resolve("compile.mjs");
  }

  /**
   * The anvil binary of the {@code @foundry-rs/anvil} platform package for this machine (run
   * directly, not through the package's Node wrapper, so stopping the process stops anvil).
   *
   * @throws IllegalStateException if it is not installed
   */
  public Path anvil() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch");
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    Path bin = dir.resolve("node_modules/@foundry-rs/anvil-" + os + "-" + cpu + "/bin/anvil");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("no anvil binary at " + bin + ": run `" + INSTALL + "`");
    }
    return bin;
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
