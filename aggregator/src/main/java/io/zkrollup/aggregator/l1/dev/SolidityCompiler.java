package io.zkrollup.aggregator.l1.dev;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * Compiles Solidity with the pinned solc-js: {@code node contracts/scripts/compile.mjs} (settings
 * fixed in the script, so the verifier exported at run time is built like Rollup.sol at build
 * time). Needs Node.js on the PATH.
 */
public final class SolidityCompiler {

  /**
   * One compiled contract.
   *
   * @param name the contract's name
   * @param abi its ABI (JSON)
   * @param bytecode its creation bytecode (0x-hex)
   */
  public record Compiled(String name, String abi, String bytecode) {}

  private static final long TIMEOUT_SECONDS = 300;

  private final ContractsDir contracts;

  /** A compiler using {@code contracts}' solc-js and compile script. */
  public SolidityCompiler(ContractsDir contracts) {
    this.contracts = Objects.requireNonNull(contracts, "contracts");
  }

  /**
   * Compiles {@code sources} and returns the contract {@code name}.
   *
   * @param out where the {@code <Name>.json} artefacts go
   * @throws IllegalStateException with the compiler's output if it fails
   */
  public Compiled compile(Path out, String name, Path... sources) {
    List<String> cmd = new ArrayList<>(List.of("node", contracts.compileScript().toString(), "--out", out.toAbsolutePath().toString()));
    for (Path s : sources) {
      cmd.add(s.toAbsolutePath().toString());
    }
    String output = run(cmd);
    Path artefact = out.resolve(name + ".json");
    if (!Files.isRegularFile(artefact)) {
      throw new IllegalStateException("compile.mjs wrote no " + artefact + ":\n" + output);
    }
    try {
      JsonNode json = ObjectMapperFactory.getObjectMapper().readTree(artefact.toFile());
      return new Compiled(name, json.get("abi").toString(), json.get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String run(List<String> cmd) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(contracts.dir().toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run `node` (Node.js >= 20 must be on the PATH): " + e.getMessage(), e);
    }
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
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
