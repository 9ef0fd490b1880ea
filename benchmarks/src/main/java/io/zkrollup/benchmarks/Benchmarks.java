package io.zkrollup.benchmarks;

import io.zkrollup.benchmarks.prove.BenchCommand;
import java.util.Arrays;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar}: {@code bench [options]} runs the end-to-end
 * proving benchmark ({@link BenchCommand}); anything else goes to JMH as it is (benchmark names,
 * {@code -l}, {@code -h}, ...).
 */
public final class Benchmarks {

  private Benchmarks() {}

  /** Dispatches to the bench command or JMH. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("bench")) {
      System.exit(BenchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    org.openjdk.jmh.Main.main(args);
  }
}
