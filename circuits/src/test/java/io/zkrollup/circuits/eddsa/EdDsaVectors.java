package io.zkrollup.circuits.eddsa;

import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The EdDSA vectors gnark-crypto produced: {@code native/testdata/eddsa_vectors.txt}, written and
 * checked by {@code native/signing/signing_test.go}. The build names the directory in the system
 * property {@code zkprover.testdata}.
 */
final class EdDsaVectors {
  private EdDsaVectors() {}

  /** One line: seed, message, public key, signature. */
  record Vector(String line, byte[] seed, Fr message, byte[] publicKey, byte[] signature) {}

  static List<Vector> load() {
    String dir = System.getProperty("zkprover.testdata");
    if (dir == null) {
      throw new IllegalStateException("system property zkprover.testdata is not set; run the tests through Maven");
    }
    try {
      HexFormat hex = HexFormat.of();
      return Files.readAllLines(Path.of(dir, "eddsa_vectors.txt")).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(
              l -> {
                String[] f = l.split(" ");
                if (f.length != 4) {
                  throw new IllegalStateException("malformed vector line: " + l);
                }
                return new Vector(
                    l, hex.parseHex(f[0]), Fr.fromBytes(hex.parseHex(f[1])), hex.parseHex(f[2]), hex.parseHex(f[3]));
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
