package io.zkrollup.benchmarks.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time from Linux's {@code /proc}: the node process (and each of its threads), this process,
 * and the whole machine, at one instant. Two snapshots give who used how much CPU in between,
 * which on a shared 2-core machine is the point: the client, the node and any neighbour compete
 * for the same cores.
 */
public record CpuSnapshot(long nanoTime, long nodeTicks, long clientTicks, long busyTicks, long totalTicks, long iowaitTicks, Map<Long, ThreadTicks> nodeThreads) {

  /** One thread's name (Linux truncates it to 15 characters) and CPU ticks. */
  public record ThreadTicks(long tid, String name, long ticks) {}

  /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every Linux this runs on. */
  public static final double TICKS_PER_SECOND = 100.0;

  /** Takes a snapshot; on a system without {@code /proc} every count is 0. */
  public static CpuSnapshot take(long nodePid) {
    long now = System.nanoTime();
    long[] sys = systemTicks();
    return new CpuSnapshot(
        now, processTicks(Path.of("/proc", Long.toString(nodePid), "stat")), processTicks(Path.of("/proc/self/stat")), sys[0], sys[1], sys[2], threads(nodePid));
  }

  /** utime + stime of a {@code stat} file (fields 14 and 15), 0 if unreadable. */
  static long processTicks(Path stat) {
    try {
      String s = Files.readString(stat, StandardCharsets.US_ASCII);
      // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** {busy, total, iowait} ticks of all CPUs, from the first line of /proc/stat. */
  static long[] systemTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      // user nice system idle iowait irq softirq steal (guest time is already in user)
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total, Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  static Map<Long, ThreadTicks> threads(long pid) {
    Map<Long, ThreadTicks> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          long tid = Long.parseLong(t.getFileName().toString());
          String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
          out.put(tid, new ThreadTicks(tid, name, processTicks(t.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc, or the process ended
    }
    return out;
  }

  /** Seconds between two snapshots. */
  public static double seconds(CpuSnapshot a, CpuSnapshot b) {
    return (b.nanoTime - a.nanoTime) / 1e9;
  }

  /** CPU seconds of each node thread between two snapshots (threads that started meanwhile count from 0). */
  public static Map<Long, ThreadTicks> threadDelta(CpuSnapshot a, CpuSnapshot b) {
    Map<Long, ThreadTicks> out = new HashMap<>();
    for (ThreadTicks t : b.nodeThreads.values()) {
      ThreadTicks before = a.nodeThreads.get(t.tid());
      long d = t.ticks() - (before == null ? 0 : before.ticks());
      out.put(t.tid(), new ThreadTicks(t.tid(), t.name(), d));
    }
    return out;
  }
}
