package io.zkrollup.prover.testing;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.CircuitReport;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeLibraryLoader;
import io.zkrollup.prover.nativebridge.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Key directories for the tests, set up once per build and shared by every module's tests: a setup
 * takes up to a minute on 2 cores, and the prover-native, aggregator and benchmarks tests need the
 * same few circuits.
 *
 * <p>They live under {@code <root>/<library hash>/<system>-b<B>-d<D>[-validium]}: the root is the
 * system property {@code zkrollup.test.keys} (the build sets it to the reactor's {@code
 * target/test-keys}), and the library hash is the SHA-256 of the libzkprover this JVM loads, so a
 * changed circuit never reuses keys of the old one. The first JVM that asks for a set sets it up,
 * holding a file lock so that two JVMs never set up the same set at once, and writes it under a
 * temporary name first, so a killed setup leaves nothing that looks complete.
 */
public final class SharedTestKeys {

  private static final String ROOT_PROPERTY = "zkrollup.test.keys";
  private static final String REPORT = ".setup-report";

  private SharedTestKeys() {}

  /** The key directory of (system, B, D, mode), set up if this build has none yet. */
  public static synchronized Path of(ProofSystem system, int slots, int depth, DataAvailability mode) {
    return keySet(system, slots, depth, mode).dir();
  }

  /** The key directory with what its setup reported (the setup may have run in another JVM). */
  public static synchronized KeySet keySet(ProofSystem system, int slots, int depth, DataAvailability mode) {
    String name = name(system, slots, depth, mode);
    Path base = root().resolve(libraryHash());
    Path dir = base.resolve(name);
    Path report = base.resolve(name + REPORT);
    try {
      Files.createDirectories(base);
      try (FileChannel lockFile = FileChannel.open(base.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (!Files.exists(report)) {
          setUp(system, slots, depth, mode, dir, report);
        }
      }
      return new KeySet(dir, readReport(report));
    } catch (IOException e) {
      throw new UncheckedIOException("test keys " + name + " in " + base + ": " + e.getMessage(), e);
    }
  }

  /**
   * A shared key directory and what its setup reported.
   *
   * @param dir the key directory
   * @param report the setup's report (constraints, setup time, file sizes)
   */
  public record KeySet(Path dir, CircuitReport report) {}

  /** {@code groth16-b5-d4}, {@code groth16-b5-d4-validium}: the bench command's naming for rollup keys too. */
  public static String name(ProofSystem system, int slots, int depth, DataAvailability mode) {
    return system.label() + "-b" + slots + "-d" + depth + (mode == DataAvailability.ROLLUP ? "" : "-" + mode.label());
  }

  /** Where this build's key sets are (the directory {@link #of} puts them in). */
  public static Path buildDirectory() {
    return root().resolve(libraryHash());
  }

  private static void setUp(ProofSystem system, int slots, int depth, DataAvailability mode, Path dir, Path report) throws IOException {
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    deleteTree(tmp);
    deleteTree(dir);
    CircuitReport r = GnarkProver.setup(LibZkProver.load(), slots, depth, system, mode, tmp);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    String text = new TreeMap<>(r.values()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
    Path reportTmp = report.resolveSibling(report.getFileName() + ".tmp");
    Files.writeString(reportTmp, text, StandardCharsets.UTF_8);
    Files.move(reportTmp, report, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path root() {
    String configured = System.getProperty(ROOT_PROPERTY);
    return configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "zkrollup-test-keys");
  }

  /** The first 16 hex digits of the SHA-256 of the libzkprover this JVM loads. */
  private static String libraryHash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String override = System.getProperty(NativeLibraryLoader.LIBRARY_PATH_PROPERTY);
      try (InputStream in =
          override != null
              ? Files.newInputStream(Path.of(override))
              : LibZkProver.class.getResourceAsStream(Platform.current().resourceName())) {
        if (in == null) {
          throw new IllegalStateException("no libzkprover for " + Platform.current().id() + " on the class path");
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static CircuitReport readReport(Path report) throws IOException {
    Map<String, String> values = new TreeMap<>();
    for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new CircuitReport(values);
  }

}
