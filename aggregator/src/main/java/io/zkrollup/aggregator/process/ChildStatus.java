package io.zkrollup.aggregator.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The exit status a child JVM's CLI records just before it exits ({@link ChildJvm#STATUS_FILE_ENV}),
 * so that its parent can tell a command that finished from a process ended under it.
 */
public final class ChildStatus {

  private ChildStatus() {}

  /** Records {@code status} if this JVM is a native job's child; does nothing otherwise. */
  public static void record(int status) {
    String file = System.getenv(ChildJvm.STATUS_FILE_ENV);
    if (file == null) {
      return;
    }
    try {
      Files.writeString(Path.of(file), Integer.toString(status), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      System.err.println("cannot record the exit status in " + file + ": " + e.getMessage());
    }
  }

  static Optional<Integer> read(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
