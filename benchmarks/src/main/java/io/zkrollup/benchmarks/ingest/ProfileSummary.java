package io.zkrollup.benchmarks.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the node's CPU goes, from a JFR recording of it ({@code jdk.ExecutionSample}: Java threads
 * running Java code, sampled every 10 ms with the {@code profile} settings; time in native code,
 * RocksDB's included, and the JVM's own threads — GC, JIT — are not in these samples, but they are
 * in the per-thread CPU from /proc the benchmark reports beside it).
 *
 * <p>Each sample is put in a <em>stage</em> by the node's frames on its stack (signature stage,
 * gRPC decode, batch building, ...), and within it by its innermost project method; a second
 * table counts the samples whose stack holds a given method anywhere (inclusive time).
 */
public final class ProfileSummary {

  /** A time window of the recording to summarise. */
  public record Window(String name, Instant from, Instant to) {}

  /** Stages, tried in order: the first whose class appears anywhere on the stack wins. */
  private static final String[][] STAGES = {
    {"io.zkrollup.aggregator.batch.BatchSealer", "batch building (sealer thread: tree, witness, store)"},
    {"io.zkrollup.aggregator.ingest.SignatureStage", "signature stage (message hash, verify, key hash)"},
    {"io.zkrollup.aggregator.ingest.SequencerStage", "sequencer stage (ledger)"},
    {"io.zkrollup.aggregator.ingest.JournalStage", "journal stage (encode, RocksDB write + fsync)"},
    {"io.zkrollup.aggregator.ingest.AcknowledgeStage", "acknowledge stage (responses)"},
    {"io.zkrollup.aggregator.grpc.TransactionDecoder", "gRPC handler: TransactionDecoder.decode (key + R decoding)"},
    {"io.zkrollup.aggregator.grpc.RollupGrpcService", "gRPC handler: other"},
    {"io.zkrollup.aggregator.ingest.IngestionPipeline", "gRPC handler: other"},
    {"io.grpc.", "gRPC / Netty transport"},
    {"com.lmax.disruptor.", "Disruptor hand-off"},
  };

  /**
   * Methods counted inclusively: class name (a trailing dot: a package), method name (null: any
   * method of the class), and optionally a class that must also be on the stack (the caller's
   * context, e.g. verification inside batch building rather than inside the signature stage).
   */
  private static final String[][] INCLUSIVE = {
    {"io.zkrollup.aggregator.grpc.TransactionDecoder", "decode", null},
    {"io.zkrollup.circuits.eddsa.EdDsaPublicKey", "fromBytes", null},
    {"io.zkrollup.circuits.eddsa.EdDsaSignature", "fromBytes", null},
    {"io.zkrollup.circuits.eddsa.EdwardsPoint", "isInPrimeSubgroup", null},
    {"io.zkrollup.circuits.eddsa.EdDsaPublicKey", "verify", "io.zkrollup.aggregator.ingest.SignatureStage"},
    {"io.zkrollup.circuits.eddsa.Challenge", "compute", "io.zkrollup.aggregator.ingest.SignatureStage"},
    {"io.zkrollup.circuits.eddsa.ScalarMul", null, "io.zkrollup.aggregator.ingest.SignatureStage"},
    {"io.zkrollup.circuits.tx.SignableOp", "message", "io.zkrollup.aggregator.ingest.SignatureStage"},
    {"io.zkrollup.statetree.AccountLeaf", "keyHash", "io.zkrollup.aggregator.ingest.SignatureStage"},
    {"io.zkrollup.circuits.batch.BatchBuilder", "build", null},
    // Batch building verifies only in VERIFY_ALL (audits); the node's sealer trusts verified ops.
    {"io.zkrollup.circuits.eddsa.EdDsaPublicKey", "verify", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.AccountLeaf", "keyHash", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.AccountLeaf", "hash", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.StateTree", "put", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.StateTree", "proof", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.StateTree", "root", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.StateTree", "get", "io.zkrollup.circuits.batch.BatchBuilder"},
    {"io.zkrollup.statetree.StateTree", "commit", "io.zkrollup.aggregator.batch.BatchSealer"},
    {"io.zkrollup.circuits.batch.BatchWitness", "toBytes", "io.zkrollup.aggregator.batch.BatchSealer"},
    {"io.zkrollup.aggregator.batch.BatchStore", "storeBuilt", null},
    {"io.zkrollup.statetree.hash.Poseidon2", null, null},
    {"io.zkrollup.aggregator.journal.Journal", "add", null},
    {"io.zkrollup.aggregator.journal.Journal", "commit", null},
    {"io.zkrollup.aggregator.ledger.Ledger", "admit", null},
    {"com.google.protobuf.", null, null},
    {"com.lmax.disruptor.BlockingWaitStrategy", "waitFor", null},
  };

  private ProfileSummary() {}

  /** The summary of each window, as text; {@code threadCpu} names roles for the per-thread table. */
  public static Map<String, String> summarise(Path jfr, List<Window> windows) throws IOException {
    List<Acc> accs = new ArrayList<>();
    for (Window w : windows) {
      accs.add(new Acc(w));
    }
    try (RecordingFile rf = new RecordingFile(jfr)) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        String type = e.getEventType().getName();
        boolean sample = type.equals("jdk.ExecutionSample");
        boolean nativeSample = type.equals("jdk.NativeMethodSample");
        boolean gc = type.equals("jdk.GarbageCollection");
        if (!sample && !nativeSample && !gc) {
          continue;
        }
        Instant t = e.getStartTime();
        for (Acc a : accs) {
          if (t.isBefore(a.window.from()) || !t.isBefore(a.window.to())) {
            continue;
          }
          if (gc) {
            a.gcPause = a.gcPause.plus(e.getDuration("sumOfPauses"));
            a.gcCount++;
          } else if (nativeSample) {
            a.addNative(e.getThread("sampledThread"), e.getStackTrace());
          } else {
            a.add(e.getThread("sampledThread"), e.getStackTrace());
          }
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Acc a : accs) {
      out.put(a.window.name(), a.text());
    }
    return out;
  }

  private static final class Acc {
    final Window window;
    long samples;
    final Map<String, Long> stages = new HashMap<>();
    final Map<String, Map<String, Long>> innermost = new HashMap<>();
    final Map<String, Long> selfFrames = new HashMap<>();
    final long[] inclusive = new long[INCLUSIVE.length];
    final Map<String, Map<String, Long>> threadStages = new HashMap<>();
    long nativeSamples;
    final Map<String, Long> nativeFrames = new HashMap<>();
    Duration gcPause = Duration.ZERO;
    long gcCount;

    Acc(Window window) {
      this.window = window;
    }

    /** A thread in native code (running or waiting there): counted by its stage and its Java frame nearest the native code. */
    void addNative(RecordedThread thread, RecordedStackTrace stack) {
      if (stack == null || stack.getFrames().isEmpty()) {
        return;
      }
      nativeSamples++;
      List<RecordedFrame> frames = stack.getFrames();
      String stage = stage(frames, thread);
      nativeFrames.merge(stage + " | " + method(frames.get(0)), 1L, Long::sum);
    }

    private static String stage(List<RecordedFrame> frames, RecordedThread thread) {
      for (String[] s : STAGES) {
        for (RecordedFrame f : frames) {
          if (className(f).startsWith(s[0])) {
            return s[1];
          }
        }
      }
      String threadName = thread == null ? "?" : thread.getJavaName();
      return "other (" + threadName.replaceAll("[0-9]+", "N") + ")";
    }

    void add(RecordedThread thread, RecordedStackTrace stack) {
      if (stack == null || stack.getFrames().isEmpty()) {
        return;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      String stage = stage(frames, thread);
      stages.merge(stage, 1L, Long::sum);
      String inner = "(no project frame)";
      for (RecordedFrame f : frames) {
        if (className(f).startsWith("io.zkrollup.")) {
          inner = method(f);
          break;
        }
      }
      innermost.computeIfAbsent(stage, k -> new HashMap<>()).merge(inner, 1L, Long::sum);
      selfFrames.merge(method(frames.get(0)), 1L, Long::sum);
      for (int i = 0; i < INCLUSIVE.length; i++) {
        if (INCLUSIVE[i][2] != null && !onStack(frames, INCLUSIVE[i][2], null)) {
          continue;
        }
        if (onStack(frames, INCLUSIVE[i][0], INCLUSIVE[i][1])) {
          inclusive[i]++;
        }
      }
      if (thread != null) {
        String key = thread.getJavaName() + " (tid " + thread.getOSThreadId() + ")";
        threadStages.computeIfAbsent(key, k -> new HashMap<>()).merge(stage, 1L, Long::sum);
      }
    }

    String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("JFR execution samples in the window: %,d; GC: %d collections, %.0f ms of pauses%n", samples, gcCount, gcPause.toNanos() / 1e6));
      if (samples == 0) {
        return sb.toString();
      }
      sb.append("By stage (share of the node's Java samples; innermost project method within):\n");
      for (Map.Entry<String, Long> e : sorted(stages)) {
        sb.append(String.format("  %5.1f %%  %s%n", pct(e.getValue()), e.getKey()));
        int k = 0;
        for (Map.Entry<String, Long> m : sorted(innermost.get(e.getKey()))) {
          if (k++ == 4 || pct(m.getValue()) < 0.5) {
            break;
          }
          sb.append(String.format("           %5.1f %%  %s%n", pct(m.getValue()), m.getKey()));
        }
      }
      sb.append("Inclusive (samples with the method anywhere on the stack):\n");
      for (int i = 0; i < INCLUSIVE.length; i++) {
        if (inclusive[i] > 0) {
          String c = INCLUSIVE[i][0];
          String name = (c.endsWith(".") ? c + "*" : c.substring(c.lastIndexOf('.') + 1)) + (INCLUSIVE[i][1] == null ? ".*" : "." + INCLUSIVE[i][1]);
          if (INCLUSIVE[i][2] != null) {
            name += "  (within " + INCLUSIVE[i][2].substring(INCLUSIVE[i][2].lastIndexOf('.') + 1) + ")";
          }
          sb.append(String.format("  %5.1f %%  %s%n", pct(inclusive[i]), name));
        }
      }
      sb.append("Top self frames:\n");
      int k = 0;
      for (Map.Entry<String, Long> e : sorted(selfFrames)) {
        if (k++ == 15) {
          break;
        }
        sb.append(String.format("  %5.1f %%  %s%n", pct(e.getValue()), e.getKey()));
      }
      if (nativeSamples > 0) {
        sb.append(String.format("Native samples (jdk.NativeMethodSample: threads in native code, running or waiting; %,d), by stage | Java frame:%n", nativeSamples));
        int j = 0;
        for (Map.Entry<String, Long> e : sorted(nativeFrames)) {
          if (j++ == 12) {
            break;
          }
          sb.append(String.format("  %5.1f %%  %s%n", 100.0 * e.getValue() / nativeSamples, e.getKey()));
        }
      }
      sb.append("Threads by dominant stage (samples):\n");
      List<Map.Entry<String, Map<String, Long>>> threads = new ArrayList<>(threadStages.entrySet());
      threads.sort(Comparator.comparingLong((Map.Entry<String, Map<String, Long>> e) -> -total(e.getValue())));
      for (Map.Entry<String, Map<String, Long>> t : threads) {
        long tot = total(t.getValue());
        if (100.0 * tot / samples < 0.5) {
          continue;
        }
        Map.Entry<String, Long> top = sorted(t.getValue()).get(0);
        sb.append(String.format("  %5.1f %%  %-45s %s (%.0f %% of its samples)%n", pct(tot), t.getKey(), top.getKey(), 100.0 * top.getValue() / tot));
      }
      return sb.toString();
    }

    double pct(long n) {
      return 100.0 * n / samples;
    }
  }

  /** Whether a frame of {@code cls} (a trailing dot: a package; nested classes count) and {@code method} (null: any) is on the stack. */
  private static boolean onStack(List<RecordedFrame> frames, String cls, String method) {
    for (RecordedFrame f : frames) {
      String c = className(f);
      boolean classMatch = cls.endsWith(".") ? c.startsWith(cls) : c.equals(cls) || c.startsWith(cls + "$");
      if (classMatch && (method == null || method.equals(f.getMethod().getName()))) {
        return true;
      }
    }
    return false;
  }

  private static long total(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<Map.Entry<String, Long>> sorted(Map<String, Long> m) {
    List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    return l;
  }

  private static String className(RecordedFrame f) {
    return f.getMethod() == null ? "" : f.getMethod().getType().getName();
  }

  private static String method(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "?";
    }
    String c = f.getMethod().getType().getName();
    return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}
