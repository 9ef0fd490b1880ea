package io.zkrollup.aggregator.cli;

import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeVersions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zkrollup info}: versions of the node and the proving core, and a hash through the bridge. */
@Command(name = "info", description = "Print versions and check the native proving core with a Poseidon2 hash.")
final class InfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LibZkProver prover = LibZkProver.load();
    NativeVersions v = prover.versions();
    out.printf("zkrollup      %s%n", ZkRollupCli.version());
    out.printf("libzkprover   %s (loaded from %s)%n", v.library(), prover.source());
    out.printf("gnark         %s%n", v.gnark());
    out.printf("gnark-crypto  %s%n", v.gnarkCrypto());
    out.printf("go            %s (%s)%n", v.go(), v.platform());
    FieldElementArgument field = new FieldElementArgument();
    byte[] one = field.convert("1");
    byte[] two = field.convert("2");
    out.println("Poseidon2 over BN254 through JNI (gnark-crypto, width 2, 6 full + 50 partial rounds):");
    out.printf("  compress(1, 2) = %s%n", FieldElementArgument.hex(prover.poseidon2Compress(one, two)));
    byte[] both = new byte[64];
    System.arraycopy(one, 0, both, 0, 32);
    System.arraycopy(two, 0, both, 32, 32);
    out.printf("  hash(1, 2)     = %s%n", FieldElementArgument.hex(prover.poseidon2Hash(both)));
    out.flush();
    return 0;
  }
}
