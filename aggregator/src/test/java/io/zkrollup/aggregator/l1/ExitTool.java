package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.cli.ZkRollupCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/** {@code zkrollup exit STEP} run in-process as an L1 user does, for the exodus tests. */
final class ExitTool {

  /** What one run printed and returned. */
  record Run(int status, String out, String err) {}

  private ExitTool() {}

  /** The key file of {@code c} in {@code dir} (0x-less hex, as the CLI reads it), written once. */
  static Path keyFile(Path dir, Credentials c) throws IOException {
    Path f = dir.resolve(c.getAddress() + ".key");
    if (!Files.exists(f)) {
      Files.writeString(f, Numeric.toHexStringNoPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64) + "\n");
    }
    return f;
  }

  /** {@code zkrollup exit STEP L1ARGS --l1-key-file (who's key) MORE…}. */
  static Run run(Path dir, Credentials who, String step, String[] l1Args, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("exit", step));
    args.addAll(List.of(l1Args));
    args.addAll(List.of("--l1-key-file", keyFile(dir, who).toString()));
    args.addAll(List.of(more));
    CommandLine cli = ZkRollupCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args.toArray(String[]::new)), out.toString(), err.toString());
  }
}
