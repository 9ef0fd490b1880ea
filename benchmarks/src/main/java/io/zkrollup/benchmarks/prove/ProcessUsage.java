package io.zkrollup.benchmarks.prove;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's CPU time (every thread: the caller, the Go runtime's threads, the JVM's own) and
 * minor page faults so far. Taken around a JNI proof, as provebench takes getrusage around its own,
 * so the report can tell extra work in the JVM process from waiting.
 *
 * @param cpuNanos user plus system time of the process
 * @param minorFaults minor page faults, from Linux's {@code /proc/self/stat}; -1 elsewhere
 */
record ProcessUsage(long cpuNanos, long minorFaults) {

  /** Now. */
  static ProcessUsage now() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new ProcessUsage(os.getProcessCpuTime(), readMinorFaults());
  }

  /** CPU milliseconds from {@code earlier} to this. */
  double cpuMillisSince(ProcessUsage earlier) {
    return (cpuNanos - earlier.cpuNanos) / 1e6;
  }

  /** Minor faults from {@code earlier} to this; -1 if either is unknown. */
  long minorFaultsSince(ProcessUsage earlier) {
    return minorFaults < 0 || earlier.minorFaults < 0 ? -1 : minorFaults - earlier.minorFaults;
  }

  private static long readMinorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which may hold spaces: state ppid pgrp session tty_nr tpgid flags minflt …
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
