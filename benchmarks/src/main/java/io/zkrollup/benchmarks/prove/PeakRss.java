package io.zkrollup.benchmarks.prove;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident set size, from Linux's {@code /proc/self/status} (VmHWM). */
final class PeakRss {

  private PeakRss() {}

  /** Peak RSS in KiB, or -1 where {@code /proc} has no such line (not Linux). */
  static long ofThisProcessKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
