package io.zkrollup.prover.nativebridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fault-injection build of libzkprover (native/README.md, "The fault-injection build"): the
 * test hooks it adds, and child JVMs that load it. Maven builds it to {@code
 * target/faultinject/libzkprover.so} for the integration tests; the library in the jar has none of
 * this. The hooks are therefore only ever called in a child JVM started by {@link #run}, whose
 * {@code zkprover.library.path} names that build.
 */
public final class FaultInjection {

  /** The environment variable that makes the next proof kill the process (once per file). */
  public static final String FAULT_ONCE_FILE = "ZKPROVER_FAULT_ONCE_FILE";

  /** The panics {@link #diagnosticPanic} raises; the ordinals are the native kinds. */
  public enum PanicKind {
    VALUE,
    NIL_POINTER,
    INDEX_OUT_OF_RANGE,
    ERROR_VALUE
  }

  private FaultInjection() {}

  /** The fault-injection library, named by the system property Maven's failsafe sets. */
  public static Path library() {
    String path = System.getProperty("zkprover.faultinject.library");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "no fault-injection library at '" + path + "' (zkprover.faultinject.library): prover-native builds it in"
              + " pre-integration-test, see native/README.md");
    }
    return Path.of(path);
  }

  /** Makes Go panic on purpose, on the call's own goroutine, which guard recovers. */
  public static void diagnosticPanic(PanicKind kind) {
    diagnosticPanic(kind.ordinal());
  }

  /**
   * Makes one call on the verifier's handle that stays in flight for {@code millis}, taking the
   * handle's lock as every call does.
   */
  public static void holdHandle(BatchVerifier verifier, int millis) {
    holdHandle(verifier.handle(), millis);
  }

  /** As {@link #holdHandle(BatchVerifier, int)}, on a prover's handle. */
  public static void holdHandle(BatchProver prover, int millis) {
    holdHandle(prover.handle(), millis);
  }

  private static native void diagnosticPanic(int kind);

  private static native void holdHandle(long handle, int millis);

  /** How a child JVM ended: its exit status and everything it printed (stdout and stderr). */
  public record Child(int exitCode, String output) {}

  /**
   * Runs {@code main} of the test classpath in a JVM of its own that loads the fault-injection
   * library, and waits for it.
   *
   * @param dir the child's working directory (it also gets any {@code hs_err} file there)
   * @param env environment variables to add
   * @throws AssertionError if the child runs longer than {@code timeout} (it is killed)
   */
  public static Child run(Path dir, Duration timeout, Map<String, String> env, Class<?> main, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")));
    command.add("-D" + NativeLibraryLoader.LIBRARY_PATH_PROPERTY + "=" + library());
    for (String forwarded : List.of("zkprover.vectors")) {
      if (System.getProperty(forwarded) != null) {
        command.add("-D" + forwarded + "=" + System.getProperty(forwarded));
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "child-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process child = builder.start();
    if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      child.destroyForcibly().waitFor();
      throw new AssertionError("child " + main.getSimpleName() + " ran longer than " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Child(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
