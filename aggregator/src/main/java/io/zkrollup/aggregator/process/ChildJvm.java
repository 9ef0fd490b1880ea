package io.zkrollup.aggregator.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The command line that runs {@code zkrollup <args>} in a new JVM of the same Java and class path
 * as this one: the shaded jar when the node runs from it, the test class path in tests. System
 * properties of the project ({@code zkrollup.*}, {@code zkprover.*}, e.g. {@code
 * zkprover.library.path} for a GPU build of the native library) go to the child too.
 */
public final class ChildJvm {

  /** The CLI's main class, by name: this package sits below the CLI and must not import it. */
  static final String CLI_MAIN = "io.zkrollup.aggregator.cli.ZkRollupCli";

  /**
   * Set in a child's environment: names the file its CLI writes its exit status to just before it
   * exits. A child that exits without writing it was ended by something else (native code).
   */
  public static final String STATUS_FILE_ENV = "ZKROLLUP_CHILD_STATUS_FILE";

  private ChildJvm() {}

  /**
   * The command of a child JVM running {@code zkrollup args…}.
   *
   * @param jvmOptions options for the child JVM (e.g. {@code -Xmx4g}), before the class path
   * @param args the CLI's arguments, the command first
   */
  public static List<String> command(List<String> jvmOptions, List<String> args) {
    Objects.requireNonNull(jvmOptions, "jvmOptions");
    Objects.requireNonNull(args, "args");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
      if (name.startsWith("zkrollup.") || name.startsWith("zkprover.")) {
        cmd.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CLI_MAIN);
    cmd.addAll(args);
    return cmd;
  }

  /** Whether this JVM is a child started by {@link NativeJob} (it then runs its command itself). */
  public static boolean isNativeJobChild() {
    return System.getenv(STATUS_FILE_ENV) != null;
  }
}
