package io.zkrollup.aggregator.cli;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.KeyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup keygen [--seed HEX] [--out FILE]}: makes an account key (EdDSA on Baby Jubjub, docs/eddsa.md)
 * and prints its seed, its public key (for {@code node --operator-key} and genesis files) and its
 * key hash (what an L1 deposit names).
 */
@Command(
    name = "keygen",
    description = {
      "Make an account key: prints the seed (keep it secret), the public key (for --operator-key and",
      "genesis files) and the key hash (what an L1 deposit names)."
    })
final class KeygenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--seed", paramLabel = "HEX", description = "Derive the key from this 32-byte seed instead of a random one.")
  String seedHex;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the seed (hex) to FILE, readable by its owner only, instead of printing it: the key file of zkrollup wallet.")
  Path out;

  @Override
  public Integer call() {
    byte[] seed;
    if (seedHex != null) {
      try {
        seed = HexFormat.of().parseHex(seedHex.startsWith("0x") ? seedHex.substring(2) : seedHex);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--seed is not hex: " + e.getMessage());
      }
      if (seed.length != EdDsaPrivateKey.SEED_BYTES) {
        throw new ParameterException(spec.commandLine(), "--seed must be " + EdDsaPrivateKey.SEED_BYTES + " bytes, got " + seed.length);
      }
    } else {
      seed = new byte[EdDsaPrivateKey.SEED_BYTES];
      new SecureRandom().nextBytes(seed);
    }
    AccountKey key = AccountKey.fromSeed(seed);
    PrintWriter stdout = spec.commandLine().getOut();
    if (out != null) {
      try {
        KeyFile.write(out, key);
      } catch (IOException e) {
        spec.commandLine().getErr().println("cannot write " + out + ": " + e.getMessage());
        return 1;
      }
      stdout.printf("key file    %s (the seed; keep it secret)%n", out.toAbsolutePath());
    } else {
      stdout.printf("seed        %s%n", HexFormat.of().formatHex(seed));
    }
    stdout.printf("public key  %s%n", HexFormat.of().formatHex(key.publicKey().toBytes()));
    stdout.printf("key hash    %s%n", key.keyHash());
    stdout.flush();
    return 0;
  }
}
