package io.zkrollup.aggregator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the {@code zkrollup} command line, with what it printed. */
record CliRun(int status, String out, String err) {

  /** Runs {@code zkrollup ARGS...} and captures its exit status, stdout and stderr. */
  static CliRun of(String... args) {
    CommandLine cli = ZkRollupCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new CliRun(status, out.toString(), err.toString());
  }
}
