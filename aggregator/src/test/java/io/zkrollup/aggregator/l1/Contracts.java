package io.zkrollup.aggregator.l1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code contracts/} directory for tests: the pinned solc-js and anvil in its
 * {@code node_modules} (installed by {@code contracts/scripts/install.sh}, which the Maven build
 * runs before the ITs) and {@code scripts/compile.mjs}.
 */
final class Contracts {

  /** Set by the aggregator's failsafe configuration; otherwise {@code ../contracts} from the module. */
  static final String DIR_PROPERTY = "zkrollup.contracts.dir";

  private final Path dir;

  private Contracts(Path dir) {
    this.dir = dir;
  }

  /**
   * Finds {@code contracts/} and checks its npm packages are installed.
   *
   * @throws IllegalStateException naming the fix if the directory or its node_modules is missing
   */
  static Contracts locate() {
    String configured = System.getProperty(DIR_PROPERTY);
    return at(configured != null ? Path.of(configured) : Path.of("..", "contracts"));
  }

  /** {@link #locate()} for a given directory. */
  static Contracts at(Path contractsDir) {
    Path dir = contractsDir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
      throw new IllegalStateException("no contracts/ directory with package-lock.json at " + dir + " (set -D" + DIR_PROPERTY + ")");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("solc"))) {
      throw new IllegalStateException(
          dir.resolve("node_modules")
              + " is missing: run `bash contracts/scripts/install.sh` (npm ci; needs Node.js >= 20 and npm),"
              + " or `./mvnw verify`, whose aggregator build runs it before the integration tests");
    }
    return new Contracts(dir);
  }

  Path dir() {
    return dir;
  }

  /**
   * The anvil binary of the {@code @foundry-rs/anvil} platform package for this machine (run
   * directly, not through the package's Node wrapper, so stopping the process stops anvil).
   */
  Path anvil() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch");
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    Path bin = dir.resolve("node_modules/@foundry-rs/anvil-" + os + "-" + cpu + "/bin/anvil");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("no anvil binary at " + bin + ": run `bash contracts/scripts/install.sh`");
    }
    return bin;
  }

  /** One compiled contract: its ABI (JSON) and creation bytecode (0x-hex). */
  record Compiled(String name, String abi, String bytecode) {}

  /**
   * Compiles Solidity files with {@code node scripts/compile.mjs} (solc-js, settings in the script).
   *
   * @param out where the {@code <Name>.json} artefacts go
   * @param name the contract to return
   * @throws IllegalStateException with the compiler's output if it fails
   */
  Compiled compile(Path out, String name, Path... sources) {
    List<String> cmd = new ArrayList<>(List.of("node", dir.resolve("scripts/compile.mjs").toString(), "--out", out.toString()));
    for (Path s : sources) {
      cmd.add(s.toAbsolutePath().toString());
    }
    String output = run(cmd, 300);
    Path artefact = out.resolve(name + ".json");
    if (!Files.isRegularFile(artefact)) {
      throw new IllegalStateException("compile.mjs wrote no " + artefact + ":\n" + output);
    }
    try {
      JsonNode json = new ObjectMapper().readTree(artefact.toFile());
      return new Compiled(name, json.get("abi").toString(), json.get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String run(List<String> cmd, long timeoutSeconds) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run `" + cmd.get(0) + "` (Node.js >= 20 must be on the PATH): " + e.getMessage(), e);
    }
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed with status " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
