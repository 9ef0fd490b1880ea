package io.zkrollup.aggregator.l1;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.SolidityCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * Solidity compiles for the L1 tests, each made once per build: several test classes compile the
 * same sources (the verifier of the shared B=5, D=4 keys, AcceptAnyProofVerifier.sol, which
 * imports and so compiles Rollup.sol again, the test tokens), and solc-js takes 2 to 7 s a compile
 * on 2 cores.
 *
 * <p>An entry is keyed by the SHA-256 of everything compile.mjs's output depends on: the sources
 * (names and contents, in order), every {@code .sol} file an import can be read from (under the
 * sources' directories and contracts/src), compile.mjs itself (the compiler settings) and
 * package-lock.json (the versions of solc-js and of the npm packages imports name). A miss compiles
 * with {@link SolidityCompiler}, exactly as without the cache; a failed compile is not kept. The
 * entries live in the module's {@code target/solc-cache}, so {@code mvn clean} empties it.
 */
final class CompileCache {

  private static final Path ROOT = Path.of("target", "solc-cache").toAbsolutePath();

  private CompileCache() {}

  /**
   * What {@code new SolidityCompiler(contracts).compile(out, name, sources)} returns, with the same
   * artefacts in {@code out}.
   */
  static SolidityCompiler.Compiled compile(ContractsDir contracts, Path out, String name, Path... sources) {
    try {
      Files.createDirectories(ROOT);
      Path entry = ROOT.resolve(key(contracts, sources));
      boolean hit = Files.isDirectory(entry);
      long start = System.nanoTime();
      if (!hit) {
        Path tmp = ROOT.resolve("tmp-" + UUID.randomUUID());
        new SolidityCompiler(contracts).compile(tmp, name, sources);
        try {
          Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (!Files.isDirectory(entry)) {
            throw e;
          }
          deleteTree(tmp); // made meanwhile by another JVM of this build: the same files
        }
      }
      System.out.printf("solc-cache: %s %s (%s), %d ms%n", hit ? "hit" : "compiled", name, sources[0].getFileName(), (System.nanoTime() - start) / 1_000_000);
      Files.createDirectories(out);
      try (Stream<Path> files = Files.list(entry)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, out.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      // As SolidityCompiler.compile reads its artefact.
      Path artefact = out.resolve(name + ".json");
      if (!Files.isRegularFile(artefact)) {
        throw new IllegalStateException("compile.mjs wrote no " + artefact);
      }
      JsonNode json = ObjectMapperFactory.getObjectMapper().readTree(artefact.toFile());
      return new SolidityCompiler.Compiled(name, json.get("abi").toString(), json.get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(ContractsDir contracts, Path... sources) throws IOException {
    MessageDigest sha = sha256();
    add(sha, "compile.mjs", Files.readAllBytes(contracts.compileScript()));
    add(sha, "package-lock.json", Files.readAllBytes(contracts.dir().resolve("package-lock.json")));
    Set<Path> searchDirs = new LinkedHashSet<>();
    for (Path s : sources) {
      Path source = s.toAbsolutePath();
      add(sha, "source " + source.getFileName(), Files.readAllBytes(source));
      searchDirs.add(source.getParent());
    }
    searchDirs.add(contracts.rollupSol().toAbsolutePath().getParent());
    for (Path dir : searchDirs) {
      List<Path> sol = new ArrayList<>();
      try (Stream<Path> all = Files.walk(dir)) {
        all.filter(p -> p.getFileName().toString().endsWith(".sol") && Files.isRegularFile(p) && !p.startsWith(ROOT)).forEach(sol::add);
      }
      sol.sort(Comparator.naturalOrder());
      add(sha, "search dir " + sol.size(), new byte[0]);
      for (Path p : sol) {
        add(sha, dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** A length-prefixed label and content, so that no two different inputs hash the same. */
  private static void add(MessageDigest sha, String label, byte[] content) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    sha.update(longBytes(l.length));
    sha.update(l);
    sha.update(longBytes(content.length));
    sha.update(content);
  }

  private static byte[] longBytes(long v) {
    return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
