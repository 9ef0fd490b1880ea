package io.zkrollup.statetree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the vector files that the Go tests in native/ generate from gnark-crypto. */
public final class TestData {
  private TestData() {}

  /** The system property (set by the build) naming native/testdata. */
  public static final String DIRECTORY_PROPERTY = "zkprover.testdata";

  /** The non-empty, non-comment lines of a file in native/testdata. */
  public static List<String> lines(String name) throws IOException {
    String dir = System.getProperty(DIRECTORY_PROPERTY);
    if (dir == null) {
      throw new IllegalStateException(
          "system property " + DIRECTORY_PROPERTY + " is not set; run the tests through Maven");
    }
    List<String> lines =
        Files.readAllLines(Path.of(dir, name)).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    if (lines.isEmpty()) {
      throw new IllegalStateException(name + " holds no vectors");
    }
    return lines;
  }
}
