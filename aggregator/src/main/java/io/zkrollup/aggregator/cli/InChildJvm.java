package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.process.ChildJvm;
import io.zkrollup.aggregator.process.NativeJob;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a command whose native work can end its process (compiling or setting up a circuit) in a
 * child JVM: running out of memory there ends the child, and this JVM answers with an error.
 */
final class InChildJvm {

  private InChildJvm() {}

  /** Whether the command should do its work here: this JVM already is the child. */
  static boolean here() {
    return ChildJvm.isNativeJobChild();
  }

  /**
   * Runs {@code zkrollup args…} in a child JVM, relaying what it prints.
   *
   * @param what what the command does, for the error message ("compiling the circuit B=…")
   * @return the child's exit status if its command finished, else 1 after saying why
   */
  static int run(CommandSpec spec, List<String> args, String what) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    NativeJob.Outcome o =
        NativeJob.run(
            List.of(),
            Map.of(),
            args,
            line -> {
              out.println(line);
              out.flush();
            },
            line -> {
              err.println(line);
              err.flush();
            });
    if (o.finished()) {
      return o.exitStatus();
    }
    err.println("error: " + what + " did not finish: " + o.crash() + ".");
    err.println("This process is unharmed. A circuit too large for this machine's memory ends this way (docs/circuit-costs.md gives memory per constraint).");
    err.flush();
    return 1;
  }
}
