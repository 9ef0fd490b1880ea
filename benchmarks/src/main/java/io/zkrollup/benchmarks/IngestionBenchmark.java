package io.zkrollup.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.aggregator.cli.BatchingOptions;
import io.zkrollup.benchmarks.ingest.CpuReport;
import io.zkrollup.benchmarks.ingest.CpuSnapshot;
import io.zkrollup.benchmarks.ingest.CryptoCalibration;
import io.zkrollup.benchmarks.report.Json;
import io.zkrollup.benchmarks.ingest.LoadRunner;
import io.zkrollup.benchmarks.ingest.NodeProcess;
import io.zkrollup.benchmarks.ingest.ProfileSummary;
import io.zkrollup.benchmarks.ingest.TransferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * End-to-end ingestion over gRPC: signed transfers accepted per second, and acknowledgement
 * latency at half that rate, against a real node in its own JVM ({@code zkrollup.jar node}, real
 * RocksDB journal with fsync, no prover).
 *
 * <ol>
 *   <li>Derives N account keys and pre-signs the transfers (in parallel; cached in a file keyed by
 *       the parameters, so reruns start at once), and times the node's per-transfer cryptography
 *       on one core in this JVM (the verification ceiling).
 *   <li>Writes a genesis of N funded accounts, starts the node on a fresh data directory and waits
 *       until the genesis batches are built.
 *   <li>Phase 1, throughput: for each mode ({@code single@C}: SubmitTransaction with C calls in
 *       flight; {@code listL@C}: SubmitTransactions with lists of L), warm-up then a measured
 *       window; accepted transfers per second, refusals by reason, CPU by process and by node
 *       thread.
 *   <li>Phase 2, latency: SubmitTransaction open loop at half the best single-call rate (or {@code
 *       --latency-rate}); p50/p99/p99.9/max from the moment each call was due.
 *   <li>With {@code --profile}, the node runs under JFR and each window's samples are summarised
 *       by stage and method.
 * </ol>
 *
 * <p>Run from the repository root after {@code ./mvnw -B -q -DskipTests package}: {@code java -cp
 * benchmarks/target/benchmarks.jar io.zkrollup.benchmarks.IngestionBenchmark --help}. Not part of
 * the test suite.
 */
@Command(
    name = "IngestionBenchmark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Signed transfers per second over gRPC against a zkrollup node process, and ack latency at half that rate.")
public final class IngestionBenchmark implements Callable<Integer> {

  @Option(names = "--node-jar", defaultValue = "aggregator/target/zkrollup.jar", description = "The node's jar (default ${DEFAULT-VALUE}).")
  Path nodeJar;

  @Option(names = "--node-java-opts", defaultValue = "", description = "JVM options for the node, space separated (default none).")
  String nodeJavaOpts;

  @Option(names = "--work-dir", description = "Where the node's data, log, JFR recording and result.json go (default: a new temp directory).")
  Path workDir;

  @Option(names = "--keep-data", description = "Keep the node's data directory afterwards.")
  boolean keepData;

  @Option(names = "--cache-dir", description = "Cache of signed transfers (default: java.io.tmpdir/zkrollup-ingest-bench-cache).")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Sign every transfer again and write no cache.")
  boolean noCache;

  @Option(names = "--accounts", defaultValue = "16384", description = "Funded accounts; must exceed the transfers in flight (default ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--balance", defaultValue = "1000000000000000", description = "Genesis balance of each account (default ${DEFAULT-VALUE}).")
  BigInteger balance;

  /** The node's batching options, passed on to the node it starts; --fee is also each transfer's max fee. */
  @Mixin BatchingOptions node;

  @Option(names = "--amount", defaultValue = "1", description = "Amount of each transfer, a float16 value (default ${DEFAULT-VALUE}).")
  long amount;

  @Option(names = "--transfers", defaultValue = "300000", description = "Pre-signed transfers; a window that runs out ends early (default ${DEFAULT-VALUE}).")
  int transfers;

  @Option(names = "--modes", split = ",", defaultValue = "single@64,single@256,single@1024,list16@16,list64@8", description = "Phase 1 modes: single@CONCURRENCY or listSIZE@CONCURRENCY (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--warmup", defaultValue = "10", description = "Phase 1 warm-up seconds per mode (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--measure", defaultValue = "20", description = "Phase 1 measured seconds per mode (default ${DEFAULT-VALUE}).")
  double measure;

  @Option(names = "--latency-rate", split = ",", description = "Phase 2 rates, transfers/s (default: --latency-fraction of the best single-call rate).")
  List<Double> latencyRates;

  @Option(names = "--latency-fraction", defaultValue = "0.5", description = "Phase 2 rate as a fraction of the best single-call rate (default ${DEFAULT-VALUE}).")
  double latencyFraction;

  @Option(names = "--latency-warmup", defaultValue = "5", description = "Phase 2 warm-up seconds (default ${DEFAULT-VALUE}).")
  double latencyWarmup;

  @Option(names = "--latency-measure", defaultValue = "30", description = "Phase 2 measured seconds (default ${DEFAULT-VALUE}).")
  double latencyMeasure;

  @Option(names = "--max-outstanding", defaultValue = "10000", description = "Phase 2: unanswered calls before the sender waits (default ${DEFAULT-VALUE}).")
  int maxOutstanding;

  @Option(names = "--channels", defaultValue = "1", description = "gRPC channels (TCP connections), used in turn (default ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--deadline-ms", defaultValue = "60000", description = "Deadline of each call (default ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--calibrate-seconds", defaultValue = "3", description = "Seconds per crypto calibration step, 0 to skip (default ${DEFAULT-VALUE}).")
  double calibrateSeconds;

  @Option(names = "--profile", description = "Run the node under JFR and summarise each window's samples by stage and method.")
  boolean profile;

  @Option(names = "--quiet-wait", defaultValue = "0", description = "Before each window, wait up to this many seconds for other processes to use under 0.1 core (shared machines; default ${DEFAULT-VALUE}).")
  long quietWait;

  @Option(names = "--settle-timeout", defaultValue = "900", description = "Seconds to wait for the sealer to catch up between windows (default ${DEFAULT-VALUE}).")
  long settleTimeout;

  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<ProfileSummary.Window> windows = new ArrayList<>();
  private int nodeVerifiers;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestionBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    nodeVerifiers = node.verifiers != null ? node.verifiers : cpus;
    List<LoadRunner.Mode> parsedModes = modes.stream().map(LoadRunner.Mode::parse).toList();
    int maxInFlight = parsedModes.stream().mapToInt(m -> m.listSize() * m.concurrency()).max().orElse(0);
    if (maxInFlight * 2 > accounts) {
      throw new IllegalArgumentException(
          "--accounts " + accounts + " must be at least twice the most transfers in flight (" + maxInFlight + "), or nonces arrive out of order");
    }
    if (workDir == null) {
      workDir = Files.createTempDirectory("zkrollup-ingest-");
    }
    Files.createDirectories(workDir);
    Path cache = noCache ? null : cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "zkrollup-ingest-bench-cache");
    Path dataDir = workDir.resolve("data");

    machine(cpus, dataDir.getParent());
    print("== pre-signing %,d transfers from %,d accounts (cache %s)", transfers, accounts, cache);
    long t0 = System.nanoTime();
    TransferPool pool = TransferPool.create(new TransferPool.Params(node.rollupId(), accounts, amount, node.fee.longValueExact()), cpus);
    SignedTransaction[] txs = pool.transfers(transfers, cache, cpus, n -> print("  signed %,d", n));
    print("  ready in %.1f s", (System.nanoTime() - t0) / 1e9);

    if (calibrateSeconds > 0) {
      quiet(-1);
      calibrate(txs, cpus);
    }

    Path genesis = workDir.resolve("genesis.txt");
    pool.writeGenesis(genesis, balance);
    List<String> javaOpts = new ArrayList<>(Arrays.stream(nodeJavaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    Path jfr = workDir.resolve("node.jfr");
    if (profile) {
      javaOpts.add("-XX:StartFlightRecording=name=ingest-bench,settings=profile,dumponexit=true,filename=" + jfr);
      javaOpts.add("-XX:FlightRecorderOptions=stackdepth=128");
    }
    List<String> nodeArgs =
        new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--operator-key", pool.operatorKeyHex(), "--genesis", genesis.toString(), "--prover", "none"));
    nodeArgs.addAll(node.toArgs());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("accounts", accounts);
    params.put("slots", node.slots);
    params.put("depth", node.depth);
    params.put("fee", node.fee);
    params.put("sealAfterMs", node.sealAfterMillis);
    params.put("ringSize", node.ringSize);
    params.put("verifiers", nodeVerifiers);
    params.put("sealerQueue", node.sealerQueue);
    params.put("channels", channels);
    params.put("warmupSeconds", warmup);
    params.put("measureSeconds", measure);
    params.put("nodeJavaOpts", javaOpts);
    params.put("profile", profile);
    params.put("quietWaitSeconds", quietWait);
    json.put("parameters", params);

    print("== starting the node (B=%d, D=%d, %,d genesis accounts, verifiers %d, ring %d, sealer queue %d)", node.slots, node.depth, accounts, nodeVerifiers, node.ringSize, node.sealerQueue);
    t0 = System.nanoTime();
    List<ManagedChannel> chans = new ArrayList<>();
    try (NodeProcess node = NodeProcess.start(nodeJar, javaOpts, nodeArgs, workDir, Duration.ofMinutes(10))) {
      print("  serving on port %d after %.1f s (pid %d, log %s)", node.port(), (System.nanoTime() - t0) / 1e9, node.pid(), node.log());
      json.put("nodeCommand", String.join(" ", node.command()));
      for (int i = 0; i < channels; i++) {
        chans.add(NettyChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().directExecutor().build());
      }
      ManagedChannel statusChannel = NettyChannelBuilder.forAddress("127.0.0.1", node.port()).usePlaintext().build();
      chans.add(statusChannel);
      RollupServiceGrpc.RollupServiceBlockingStub status = RollupServiceGrpc.newBlockingStub(statusChannel);
      settle(status, "genesis batches");
      print("  genesis built after %.1f s", (System.nanoTime() - t0) / 1e9);

      List<RollupServiceGrpc.RollupServiceStub> stubs = new ArrayList<>();
      for (int i = 0; i < channels; i++) {
        stubs.add(RollupServiceGrpc.newStub(chans.get(i)));
      }
      LoadRunner runner = new LoadRunner(stubs, txs, deadlineMs, () -> nodeStatus(status, 900), this::print);
      LoadRunner.Probe probe = () -> new LoadRunner.Sample(Instant.now(), CpuSnapshot.take(node.pid()), nodeStatus(status, 5000));

      // Phase 1.
      List<Map<String, Object>> phase1 = new ArrayList<>();
      List<LoadRunner.Result> results = new ArrayList<>();
      for (LoadRunner.Mode mode : parsedModes) {
        settle(status, "the sealer's backlog");
        quiet(node.pid());
        print("== phase 1: %s, %s, %d in flight: %.0f s warm-up + %.0f s measured", mode.label(), mode.rpc(), mode.concurrency(), warmup, measure);
        LoadRunner.Result r = runner.closedLoop(mode, warmup, measure, probe);
        results.add(r);
        phase1.add(report(r));
        if (!node.alive()) {
          throw new IllegalStateException("the node died; its log:\n" + Files.readString(node.log()));
        }
      }
      json.put("phase1", phase1);

      // Phase 2.
      List<Double> rates = latencyRates;
      if (rates == null || rates.isEmpty()) {
        double best = results.stream().filter(r -> r.label().startsWith("single")).mapToDouble(LoadRunner.Result::txPerSecond).max().orElse(0);
        if (best == 0) {
          best = results.stream().mapToDouble(LoadRunner.Result::txPerSecond).max().orElse(0);
        }
        rates = best > 0 ? List.of(Math.floor(best * latencyFraction)) : List.of();
      }
      List<Map<String, Object>> phase2 = new ArrayList<>();
      for (double rate : rates) {
        settle(status, "the sealer's backlog");
        quiet(node.pid());
        print("== phase 2: SubmitTransaction open loop at %,.0f transfers/s: %.0f s warm-up + %.0f s measured", rate, latencyWarmup, latencyMeasure);
        LoadRunner.Result r = runner.openLoop(rate, latencyWarmup, latencyMeasure, maxOutstanding, probe);
        Map<String, Object> m = report(r);
        m.put("offeredRate", rate);
        phase2.add(m);
      }
      json.put("phase2", phase2);
      json.put("transfersUsed", runner.used());
      print("== stopping the node");
    } finally {
      for (ManagedChannel c : chans) {
        c.shutdownNow();
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    if (profile && Files.exists(jfr)) {
      print("== JFR profile of the node (%s)", jfr);
      Map<String, String> summaries = ProfileSummary.summarise(jfr, windows);
      summaries.forEach(
          (name, text) -> {
            print("-- %s", name);
            System.out.print(text);
          });
      json.put("profile", summaries);
      json.put("jfr", jfr.toString());
    }
    summary();
    Path out = workDir.resolve("result.json");
    Files.writeString(out, Json.write(json), StandardCharsets.UTF_8);
    print("results: %s", out);
    if (!keepData) {
      deleteRecursively(dataDir);
    }
    return 0;
  }

  // ------------------------------------------------------------------ steps

  private void machine(int cpus, Path dir) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", cpus);
    m.put("cpuModel", firstLine("/proc/cpuinfo", "model name"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("loadAverageAtStart", readOr("/proc/loadavg", "?").trim());
    m.put("dataFileSystem", Files.getFileStore(dir).type());
    m.put("workDir", workDir.toString());
    json.put("machine", m);
    print("== machine: %d CPUs (%s), %s, load average %s, data on %s (%s)", cpus, m.get("cpuModel"), m.get("java"), m.get("loadAverageAtStart"), dir, m.get("dataFileSystem"));
    if ("tmpfs".equals(m.get("dataFileSystem"))) {
      print("  WARNING: the data directory is on tmpfs: fsync costs nothing there; use --work-dir on a disk");
    }
  }

  private void calibrate(SignedTransaction[] txs, int cpus) {
    print("== per-transfer cryptography on one core, in this JVM, node not yet started (%.0f s per step)", calibrateSeconds);
    CryptoCalibration.Result c = CryptoCalibration.run(Arrays.asList(txs).subList(0, Math.min(512, txs.length)), node.rollupId(), calibrateSeconds, true);
    c.microsPerOp().forEach((k, v) -> print("  %8.1f µs  %s", v, k));
    double perCore = 1e6 / c.nodePathMicros();
    print("  => %,.0f transfers/s per core; ceiling on %d cores from cryptography alone: %,.0f transfers/s", perCore, cpus, perCore * cpus);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("microsPerOp", c.microsPerOp());
    m.put("transfersPerSecondPerCore", perCore);
    m.put("ceilingAllCores", perCore * cpus);
    json.put("cryptoCalibration", m);
  }

  /** Waits until every sealed batch is built and the count stays put for a moment. */
  private void settle(RollupServiceGrpc.RollupServiceBlockingStub status, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleTimeout);
    long start = System.nanoTime();
    LoadRunner.NodeStatus last = null;
    int stable = 0;
    boolean said = false;
    while (stable < 3) {
      LoadRunner.NodeStatus s = nodeStatus(status, 5000);
      if (s.builtBatches() >= 0 && s.builtBatches() == s.sealedBatches() && s.equals(last)) {
        stable++;
      } else {
        stable = 0;
      }
      if (!said && System.nanoTime() - start > 2_000_000_000L) {
        print("  waiting for %s: sealed %,d, built %,d", what, s.sealedBatches(), s.builtBatches());
        said = true;
      }
      last = s;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node did not settle within " + settleTimeout + " s: " + s);
      }
      Thread.sleep(Math.max(200, node.sealAfterMillis / 2));
    }
  }

  /** With --quiet-wait: waits until processes other than the node and this one use under 0.1 core over 3 s. */
  private void quiet(long nodePid) throws InterruptedException {
    if (quietWait <= 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(quietWait);
    boolean said = false;
    while (true) {
      CpuSnapshot a = CpuSnapshot.take(nodePid);
      Thread.sleep(3000);
      CpuSnapshot b = CpuSnapshot.take(nodePid);
      double others = CpuReport.of(a, b, 0, nodeVerifiers).otherCores();
      if (others < 0.1) {
        if (said) {
          print("  quiet now (others %.2f cores)", others);
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        print("  WARNING: other processes still use %.2f cores; measuring anyway", others);
        return;
      }
      if (!said) {
        print("  waiting for other processes to quieten (they use %.2f cores)", others);
        said = true;
      }
    }
  }

  private static LoadRunner.NodeStatus nodeStatus(RollupServiceGrpc.RollupServiceBlockingStub stub, long deadlineMs) {
    try {
      GetNodeStatusResponse r = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
      return new LoadRunner.NodeStatus(r.getJournalEntries(), r.getSealedBatches(), r.getBuiltBatches());
    } catch (RuntimeException e) {
      return LoadRunner.NodeStatus.UNKNOWN;
    }
  }

  /** Prints a window's outcome and returns it for the JSON. */
  private Map<String, Object> report(LoadRunner.Result r) {
    CpuReport cpu = CpuReport.of(r.start().cpu(), r.end().cpu(), r.acceptedTx(), nodeVerifiers);
    long sealed = r.end().status().sealedBatches() - r.start().status().sealedBatches();
    long built = r.end().status().builtBatches() - r.start().status().builtBatches();
    long backlog = r.end().status().sealedBatches() - r.end().status().builtBatches();
    windows.add(new ProfileSummary.Window(r.label(), r.start().wall(), r.end().wall()));
    print("  => %s: %,.0f transfers/s accepted (%,d in %.1f s, %,d calls), refused calls %s", r.label(), r.txPerSecond(), r.acceptedTx(), r.windowSeconds(), r.acceptedCalls(), r.rejectedCalls().isEmpty() ? "none" : r.rejectedCalls());
    print("     latency (from %s): %s", r.label().startsWith("open") ? "due time" : "send", r.latency());
    if (r.label().startsWith("open")) {
      print("     latency (from actual send): %s; sender waited for permits %d times", r.latencyFromSend(), r.senderLateCalls());
    }
    print(
        "     CPU (cores): node %.2f, client %.2f, others %.2f, machine busy %.2f of %d, iowait %.2f; node %.0f µs and client %.0f µs per transfer",
        cpu.nodeCores(), cpu.clientCores(), cpu.otherCores(), cpu.machineBusyCores(), Runtime.getRuntime().availableProcessors(), cpu.iowaitCores(), cpu.nodeMicrosPerTx(), cpu.clientMicrosPerTx());
    print("     batches in the window: %,d sealed, %,d built (%,d waiting at the end)", sealed, built, backlog);
    print("     node threads (cores, µs per transfer):");
    cpu.nodeRoles().forEach((role, cores) -> {
      if (cores >= 0.005) {
        print("       %5.2f  %6.1f µs  %s", cores, cpu.nodeRoleMicrosPerTx().get(role), role);
      }
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", r.label());
    m.put("rpc", r.rpc());
    m.put("windowSeconds", r.windowSeconds());
    m.put("acceptedTransfers", r.acceptedTx());
    m.put("acceptedCalls", r.acceptedCalls());
    m.put("transfersPerSecond", r.txPerSecond());
    m.put("refusedCallsInWindow", r.rejectedCalls());
    m.put("refusedCallsWholeRun", r.rejectedCallsAllPhases());
    m.put("latencyMs", r.latency());
    m.put("latencyFromSendMs", r.latencyFromSend());
    m.put("senderWaitedForPermits", r.senderLateCalls());
    m.put("poolExhausted", r.poolExhausted());
    m.put("cpu", cpu);
    m.put("batchesSealed", sealed);
    m.put("batchesBuilt", built);
    m.put("batchesWaitingAtEnd", backlog);
    m.put("windowStart", r.start().wall().toString());
    m.put("windowEnd", r.end().wall().toString());
    return m;
  }

  @SuppressWarnings("unchecked")
  private void summary() {
    print("");
    print("================================ summary ================================");
    Map<String, Object> m = (Map<String, Object>) json.get("machine");
    print("machine: %s CPUs (%s), client and node on the same cores; load average at start %s", m.get("cpus"), m.get("cpuModel"), m.get("loadAverageAtStart"));
    print("node: B=%d, D=%d, %,d accounts, fsync journal on %s, no prover", node.slots, node.depth, accounts, m.get("dataFileSystem"));
    Object cal = json.get("cryptoCalibration");
    if (cal != null) {
      Map<String, Object> c = (Map<String, Object>) cal;
      print("crypto ceiling: %,.0f transfers/s per core, %,.0f on all cores (decode + hash + verify only)", (Double) c.get("transfersPerSecondPerCore"), (Double) c.get("ceilingAllCores"));
    }
    print("phase 1 (closed loop):");
    print("  %-14s %12s %10s %10s %8s %8s %8s  %s", "mode", "transfers/s", "p50 ms", "p99 ms", "node", "client", "others", "refused calls");
    for (Map<String, Object> r : (List<Map<String, Object>>) json.getOrDefault("phase1", List.of())) {
      CpuReport cpu = (CpuReport) r.get("cpu");
      io.zkrollup.benchmarks.ingest.Latencies.Summary l = (io.zkrollup.benchmarks.ingest.Latencies.Summary) r.get("latencyMs");
      print("  %-14s %,12.0f %10.2f %10.2f %8.2f %8.2f %8.2f  %s", r.get("mode"), (Double) r.get("transfersPerSecond"), l.p50(), l.p99(), cpu.nodeCores(), cpu.clientCores(), cpu.otherCores(), r.get("refusedCallsInWindow"));
    }
    print("phase 2 (open loop, latency from the due time):");
    for (Map<String, Object> r : (List<Map<String, Object>>) json.getOrDefault("phase2", List.of())) {
      io.zkrollup.benchmarks.ingest.Latencies.Summary l = (io.zkrollup.benchmarks.ingest.Latencies.Summary) r.get("latencyMs");
      print(
          "  offered %,.0f/s, accepted %,.0f/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; refused %s",
          (Double) r.get("offeredRate"), (Double) r.get("transfersPerSecond"), l.p50(), l.p99(), l.p999(), l.max(), r.get("refusedCallsInWindow"));
    }
    print("targets: >= 20,000 transfers/s; p99 <= 20 ms at half the rate");
  }

  // ------------------------------------------------------------------ helpers

  private void print(String format, Object... args) {
    System.out.println(args.length == 0 ? format : String.format(format, args));
    System.out.flush();
  }

  private static String firstLine(String file, String prefix) {
    try (Stream<String> lines = Files.lines(Path.of(file))) {
      return lines.filter(l -> l.startsWith(prefix)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException | UncheckedIOException e) {
      return "?";
    }
  }

  private static String readOr(String file, String fallback) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return fallback;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
