package io.zkrollup.benchmarks.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who used the CPU during a measured window, from two {@link CpuSnapshot}s: the node, the client
 * (this JVM), everything else on the machine, and the node's threads grouped by role.
 *
 * @param nodeCores the node process's CPU, in cores (CPU seconds per second)
 * @param clientCores this benchmark process's CPU
 * @param machineBusyCores every CPU's non-idle time
 * @param otherCores what neither used (other processes, kernel work not charged to either)
 * @param iowaitCores idle time with I/O outstanding
 * @param nodeMicrosPerTx node CPU per accepted transfer, µs
 * @param clientMicrosPerTx client CPU per accepted transfer, µs
 * @param nodeRoles node threads by role: cores
 * @param nodeRoleMicrosPerTx node threads by role: µs per accepted transfer
 * @param nodeThreads the busiest node threads (≥ 0.01 core): "name (tid)" to cores
 */
public record CpuReport(
    double nodeCores,
    double clientCores,
    double machineBusyCores,
    double otherCores,
    double iowaitCores,
    double nodeMicrosPerTx,
    double clientMicrosPerTx,
    Map<String, Double> nodeRoles,
    Map<String, Double> nodeRoleMicrosPerTx,
    Map<String, Double> nodeThreads) {

  /** The report for a window; {@code verifiers} names the Disruptor's threads. */
  public static CpuReport of(CpuSnapshot a, CpuSnapshot b, long acceptedTx, int verifiers) {
    double s = CpuSnapshot.seconds(a, b);
    double t = CpuSnapshot.TICKS_PER_SECOND;
    double node = (b.nodeTicks() - a.nodeTicks()) / t;
    double client = (b.clientTicks() - a.clientTicks()) / t;
    double busy = (b.busyTicks() - a.busyTicks()) / t;
    double iowait = (b.iowaitTicks() - a.iowaitTicks()) / t;
    Map<Long, CpuSnapshot.ThreadTicks> threads = CpuSnapshot.threadDelta(a, b);
    Map<Long, String> roles = roles(b, verifiers);
    Map<String, Double> byRole = new TreeMap<>();
    for (CpuSnapshot.ThreadTicks th : threads.values()) {
      byRole.merge(roles.get(th.tid()), th.ticks() / t, Double::sum);
    }
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(byRole.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    Map<String, Double> cores = new LinkedHashMap<>();
    Map<String, Double> perTx = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : sorted) {
      if (e.getValue() <= 0) {
        continue;
      }
      cores.put(e.getKey(), e.getValue() / s);
      perTx.put(e.getKey(), acceptedTx == 0 ? 0 : e.getValue() * 1e6 / acceptedTx);
    }
    List<CpuSnapshot.ThreadTicks> busiest = new ArrayList<>(threads.values());
    busiest.sort(Comparator.comparingLong(th -> -th.ticks()));
    Map<String, Double> top = new LinkedHashMap<>();
    for (CpuSnapshot.ThreadTicks th : busiest) {
      if (th.ticks() / t / s >= 0.01) {
        top.put(th.name() + " (" + th.tid() + ", " + roles.get(th.tid()) + ")", th.ticks() / t / s);
      }
    }
    return new CpuReport(
        node / s, client / s, busy / s, Math.max(0, busy - node - client) / s, iowait / s, acceptedTx == 0 ? 0 : node * 1e6 / acceptedTx,
        acceptedTx == 0 ? 0 : client * 1e6 / acceptedTx, cores, perTx, top);
  }

  /**
   * The role of each node thread by its name. The Disruptor's handler threads are unnamed
   * ("Thread-N", numbered as created): {@code IngestionPipeline} starts the {@code verifiers}
   * signature handlers, then the sequencer, journal and acknowledging handlers, in that order.
   */
  static Map<Long, String> roles(CpuSnapshot s, int verifiers) {
    Map<Long, String> out = new LinkedHashMap<>();
    List<CpuSnapshot.ThreadTicks> anonymous = new ArrayList<>();
    for (CpuSnapshot.ThreadTicks th : s.nodeThreads().values()) {
      String n = th.name();
      String role;
      if (n.matches("Thread-[0-9]+")) {
        anonymous.add(th);
        continue;
      } else if (n.equals("batch-sealer")) {
        role = "batch sealer (tree, witness, store)";
      } else if (n.startsWith("grpc-default-ex")) {
        role = "gRPC executor (handlers: decode, submit)";
      } else if (n.startsWith("grpc-default-wo") || n.startsWith("grpc-default-bo") || n.startsWith("grpc-nio-")) {
        role = "Netty I/O (HTTP/2, protobuf framing)";
      } else if (n.startsWith("GC Thread") || n.startsWith("G1 ")) {
        role = "JVM: GC";
      } else if (n.startsWith("C1 Compiler") || n.startsWith("C2 Compiler")) {
        role = "JVM: JIT compiler";
      } else if (n.startsWith("rocksdb")) {
        role = "RocksDB background (flush, compaction)";
      } else if (n.startsWith("JFR") || n.startsWith("Jfr")) {
        role = "JFR (profiling run only)";
      } else if (n.equals("ingest-clock")) {
        role = "ingest clock";
      } else {
        role = "other JVM threads";
      }
      out.put(th.tid(), role);
    }
    anonymous.sort(Comparator.comparingInt(th -> Integer.parseInt(th.name().substring("Thread-".length()))));
    boolean known = anonymous.size() == verifiers + 3;
    for (int i = 0; i < anonymous.size(); i++) {
      String role;
      if (!known) {
        role = "Disruptor handlers (unnamed threads)";
      } else if (i < verifiers) {
        role = "signature stage (" + verifiers + " threads: message hash, verify, key hash)";
      } else if (i == verifiers) {
        role = "sequencer stage";
      } else if (i == verifiers + 1) {
        role = "journal stage (RocksDB write + fsync)";
      } else {
        role = "acknowledge stage (responses)";
      }
      out.put(anonymous.get(i).tid(), role);
    }
    return out;
  }
}
