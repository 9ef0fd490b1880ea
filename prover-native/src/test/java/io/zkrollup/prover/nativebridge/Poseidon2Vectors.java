package io.zkrollup.prover.nativebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The gnark-crypto vectors of native/testdata/poseidon2_vectors.txt (format in the file's header). */
record Poseidon2Vectors(List<Vector> all) {

  /** One line: an operation, its concatenated input elements, its concatenated output. */
  record Vector(String op, byte[] input, byte[] output, String line) {}

  static Poseidon2Vectors load() {
    String file = System.getProperty("zkprover.vectors", "../native/testdata/poseidon2_vectors.txt");
    List<Vector> vectors = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        vectors.add(new Vector(f[0], unhex(f[1]), unhex(f[2]), line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Poseidon2Vectors(List.copyOf(vectors));
  }

  List<Vector> of(String op) {
    return all.stream().filter(v -> v.op().equals(op)).toList();
  }

  private static byte[] unhex(String commaSeparated) {
    return HexFormat.of().parseHex(commaSeparated.replace(",", ""));
  }
}
