package io.zkrollup.benchmarks.prove;

import io.zkrollup.aggregator.cli.Progress;
import io.zkrollup.benchmarks.fixture.TransferBatchFixture;
import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.CircuitReport;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: the end-to-end proving benchmark for prover hardware. For each backend and circuit
 * size it measures the circuit, the setup, the keys, key loading, witness building (with the tree
 * updates), proving through JNI and proving in pure Go on the same keys and witness (taking turns,
 * then at the same moment), throughput with 1..n prover processes, and how long the node's proof
 * verification takes meanwhile; then writes JSON, a Markdown report and PNG plots
 * (docs/benchmarks.md, "The bench command").
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Prove a full batch of B transfers (tree depth D) with each backend: setup, key sizes, key load, witness building,",
      "prove time through JNI and in pure Go side by side, proofs per hour with 1..n prover processes and the node's",
      "verification latency meanwhile, peak RSS.",
      "Writes report.json, report.md and PNG plots to --out."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--slots", split = ",", defaultValue = "32", paramLabel = "B[,B...]", description = "Batch sizes (default ${DEFAULT-VALUE}).")
  List<Integer> slots;

  @Option(names = "--depth", split = ",", defaultValue = "32", paramLabel = "D[,D...]", description = "Tree depths (default ${DEFAULT-VALUE}).")
  List<Integer> depths;

  @Option(
      names = "--backend",
      split = ",",
      defaultValue = "groth16",
      paramLabel = "NAME[,NAME...]",
      description = "groth16, plonk, groth16-gpu (needs a libzkprover built with the icicle tag) (default ${DEFAULT-VALUE}).")
  List<String> backends;

  @Option(names = "--workers", split = ",", defaultValue = "1,2", paramLabel = "N[,N...]", description = "Prover processes at once in the throughput runs, each with its own keys (default ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(names = "--runs", defaultValue = "6", description = "Measured rounds of taking turns (one proof on each side, alone on the machine), after the warm-up: prove times (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--simultaneous-runs",
      defaultValue = "12",
      description = "Rounds in which both sides prove at the same moment, for the JNI ratio (not for GPU proving); 6 or more give it a 95 % interval (default ${DEFAULT-VALUE}).")
  int simultaneousRuns;

  @Option(
      names = "--twin-check",
      description = {
        "Also prove with a second, identical pure-Go process at the same moment as the first, --simultaneous-runs times (an A/A check):",
        "their ratio should be 1, and how far it strays shows how closely this machine can compare two provers. Needs memory for a third set of keys."
      })
  boolean twinCheck;

  @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured proofs on each side first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--worker-proofs", defaultValue = "2", description = "Proofs each worker makes in the throughput runs (default ${DEFAULT-VALUE}).")
  int workerProofs;

  @Option(names = "--witness-runs", defaultValue = "5", description = "Measured witness builds (default ${DEFAULT-VALUE}).")
  int witnessRuns;

  @Option(names = "--keys-dir", defaultValue = "benchmarks/target/bench-keys", paramLabel = "DIR", description = "Key directories, set up once and reused (default ${DEFAULT-VALUE}).")
  Path keysDir;

  @Option(names = "--out", defaultValue = "benchmarks/target/bench-report", paramLabel = "DIR", description = "Where the report goes (default ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--go-prover", defaultValue = "benchmarks/target/provebench", paramLabel = "FILE", description = "The pure-Go prover the build makes (default ${DEFAULT-VALUE}).")
  Path goProver;

  private final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
  private String commandLine = "";

  /** Parses {@code args}, runs, and returns the exit status. */
  public static int run(String... args) {
    System.setProperty("java.awt.headless", "true");
    BenchCommand command = new BenchCommand();
    command.commandLine = "java -jar benchmarks/target/benchmarks.jar bench " + String.join(" ", args);
    return new CommandLine(command).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmup < 0 || simultaneousRuns < 0 || witnessRuns < 1 || workerProofs < 1 || workers.stream().anyMatch(w -> w < 1)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--runs, --witness-runs, --worker-proofs and --workers must be ≥ 1, --warmup and --simultaneous-runs ≥ 0");
    }
    if (!Files.isExecutable(goProver)) {
      out.printf("the pure-Go prover %s is missing: build it with ./mvnw -B -pl benchmarks -am -DskipTests package%n", goProver);
      return 2;
    }
    Files.createDirectories(outDir);
    LibZkProver lib = LibZkProver.load();
    List<CaseResult> results = new ArrayList<>();
    for (String backend : backends) {
      for (int d : depths) {
        for (int b : slots) {
          results.add(runCase(lib, backend, b, d));
        }
      }
    }
    BenchReport report = new BenchReport(commandLine, Machine.describe(lib.versions()), results);
    Files.writeString(outDir.resolve("report.json"), report.json());
    Files.writeString(outDir.resolve("report.md"), report.markdown());
    ReportPlots.write(results, outDir);
    out.printf("%nreport: %s (report.json, report.md, %s, %s)%n", outDir.toAbsolutePath(), ReportPlots.PROVE_TIME, ReportPlots.THROUGHPUT);
    out.print(report.summary());
    out.flush();
    return 0;
  }

  private CaseResult runCase(LibZkProver lib, String backend, int b, int d) throws Exception {
    boolean gpu = backend.endsWith("-gpu");
    ProofSystem system = ProofSystem.parse(gpu ? backend.substring(0, backend.length() - 4) : backend);
    String name = backend + " B=" + b + " D=" + d;
    out.printf("%n== %s ==%n", name);

    Path keys = keysDir.resolve(system.label() + "-b" + b + "-d" + d);
    Path setupRecord = keysDir.resolve(system.label() + "-b" + b + "-d" + d + ".setup-ms");
    if (!Files.exists(keys.resolve("manifest.json"))) {
      try (Progress p = Progress.start(out, "setting up " + system.label() + " keys in " + keys)) {
        CircuitReport setup = GnarkProver.setup(lib, b, d, system, DataAvailability.ROLLUP, keys);
        Files.writeString(setupRecord, Long.toString(setup.number("setupMs")));
      }
    } else {
      out.printf("  keys: reusing %s%n", keys);
    }
    Long setupMs = Files.exists(setupRecord) ? Long.valueOf(Files.readString(setupRecord).trim()) : null;
    Map<String, Long> keyBytes = new TreeMap<>();
    try (Stream<Path> files = Files.list(keys)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        keyBytes.put(f.getFileName().toString(), Files.size(f));
      }
    }

    long loadStart = System.nanoTime();
    try (GnarkProver prover = GnarkProver.load(lib, keys)) {
      double keyLoadMs = (System.nanoTime() - loadStart) / 1e6;
      out.printf(Locale.ROOT, "  key load (JNI, hashes checked): %.0f ms%n", keyLoadMs);
      if (gpu) {
        try {
          prover.useGpu();
        } catch (NativeProverException e) {
          out.printf("  skipped: no GPU proving here (%s)%n", e.getMessage());
          return CaseResult.skipped(backend, b, d, describe(lib, b, d, system).constraints(), "no GPU proving: " + e.getMessage());
        }
      }

      TransferBatchFixture fixture = new TransferBatchFixture(b, d);
      fixture.build();
      List<Double> witnessMs = new ArrayList<>();
      Batch batch = null;
      for (int i = 0; i < witnessRuns; i++) {
        long t = System.nanoTime();
        batch = fixture.build();
        batch.witness().toBytes();
        witnessMs.add((System.nanoTime() - t) / 1e6);
      }
      Samples witness = new Samples(witnessMs);
      byte[] witnessBytes = batch.witness().toBytes();
      Path witnessFile = outDir.resolve("witness-b" + b + "-d" + d + ".zkbw");
      Files.write(witnessFile, witnessBytes);
      out.printf(Locale.ROOT, "  witness + tree updates: %.1f ms median of %d (%,d bytes)%n", witness.median(), witnessRuns, witnessBytes.length);

      final Batch proven = batch;
      List<ProveRuns.Proof> jni = new ArrayList<>();
      List<ProveRuns.Proof> go = new ArrayList<>();
      List<ProveRuns.Proof> jniTogether = new ArrayList<>();
      List<ProveRuns.Proof> goTogether = new ArrayList<>();
      Samples twin = null;
      double goLoadMs;
      long goRssKb;
      try (GoProver goSide = GoProver.start(goProver, keys, witnessFile, gpu)) {
        goLoadMs = goSide.loadMillis();
        takeTurns(prover, proven, goSide, jni, go);
        if (!gpu) {
          // Two proofs on one GPU would measure the GPU's sharing, not the bridge; GPU cases keep the turns' ratio.
          proveAtOnce("simultaneous run", new Side("JNI", () -> proveThroughJni(prover, proven)), new Side("pure Go", goSide::prove), jniTogether, goTogether);
          if (twinCheck && simultaneousRuns > 0) {
            twin = proveWithTwin(keys, witnessFile, goSide);
          }
        }
        goSide.close();
        goRssKb = goSide.peakRssKb();
      }

      BatchProof proof = prover.prove(proven.witness());
      CaseResult.VerifyLatency verify;
      List<WorkerPoint> points = new ArrayList<>();
      try (GnarkVerifier verifier = GnarkVerifier.load(lib, keys)) {
        verify = new CaseResult.VerifyLatency(verifyIdle(verifier, proof), verifyOnProvingHandle(prover, proven, proof));
        for (int w : workers) {
          points.add(throughput(keys, witnessFile, gpu, b, w, verifier, proof));
        }
      }
      // Compiled last: compiling in this process first would leave the library's Go heap with a
      // history the pure-Go process does not have, and the two provers should start alike.
      CircuitReport circuit = describe(lib, b, d, system);
      return new CaseResult(
          backend, b, d, circuit.constraints(), circuit.number("compileMs"), setupMs, keyBytes, keyLoadMs, goLoadMs, witnessBytes.length, witness,
          ProveRuns.of(jni), ProveRuns.of(go), jniTogether.isEmpty() ? null : ProveRuns.of(jniTogether), goTogether.isEmpty() ? null : ProveRuns.of(goTogether), twin, points, verify, PeakRss.ofThisProcessKb(), goRssKb, null);
    }
  }

  /**
   * The warm-up, then {@code runs} rounds of one proof on each side, alone on the machine: the two
   * take turns, swapping who goes first every round so neither gains from order.
   */
  private void takeTurns(GnarkProver prover, Batch batch, GoProver goSide, List<ProveRuns.Proof> jni, List<ProveRuns.Proof> go) throws IOException {
    for (int i = 0; i < warmup + runs; i++) {
      boolean measured = i >= warmup;
      String label = measured ? "run " + (i - warmup + 1) + "/" + runs : "warm-up " + (i + 1) + "/" + warmup;
      boolean jniFirst = i % 2 == 0;
      ProveRuns.Proof j;
      ProveRuns.Proof g;
      try (Progress p = Progress.start(out, label + (jniFirst ? ": JNI, then pure Go" : ": pure Go, then JNI"))) {
        if (jniFirst) {
          j = proveThroughJni(prover, batch);
          g = goSide.prove();
        } else {
          g = goSide.prove();
          j = proveThroughJni(prover, batch);
        }
      }
      out.printf(Locale.ROOT, "    %s: JNI %.2f s (%.2f s CPU), Go %.2f s (%.2f s CPU)%n", label, j.wallMs() / 1000, j.cpuMs() / 1000, g.wallMs() / 1000, g.cpuMs() / 1000);
      if (measured) {
        jni.add(j);
        go.add(g);
      }
    }
  }

  /**
   * {@code simultaneousRuns} rounds in which two provers, each in its own process, prove at the same
   * moment: whatever the shared machine does meanwhile, it does to both, so their CPU times compare
   * far more closely than those of proofs made one after the other.
   *
   * @param what the rounds' name on the console
   * @param first proves on this thread
   * @param second proves on a thread of its own, started first
   */
  private void proveAtOnce(
      String what, Side first, Side second, List<ProveRuns.Proof> firsts, List<ProveRuns.Proof> seconds) throws Exception {
    ExecutorService secondCaller = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < simultaneousRuns; i++) {
        String label = what + " " + (i + 1) + "/" + simultaneousRuns;
        ProveRuns.Proof a;
        ProveRuns.Proof b;
        try (Progress p = Progress.start(out, label + ": " + first.name() + " and " + second.name() + " at once")) {
          Future<ProveRuns.Proof> other = secondCaller.submit(second.proof());
          a = first.proof().call();
          b = other.get();
        }
        out.printf(Locale.ROOT, "    %s: CPU per proof %s %.2f s, %s %.2f s%n", label, first.name(), a.cpuMs() / 1000, second.name(), b.cpuMs() / 1000);
        firsts.add(a);
        seconds.add(b);
      }
    } finally {
      secondCaller.shutdownNow();
    }
  }

  /** One side of a round at the same moment: its name on the console and how it proves once. */
  private record Side(String name, Callable<ProveRuns.Proof> proof) {}

  /**
   * The A/A check: a second pure-Go process on the same keys and witness proves at the same moment as
   * the first, {@code simultaneousRuns} times after one warm-up proof of its own.
   *
   * @return per round, the first process's CPU time ÷ the second's
   */
  private Samples proveWithTwin(Path keys, Path witnessFile, GoProver goSide) throws Exception {
    List<ProveRuns.Proof> firsts = new ArrayList<>();
    List<ProveRuns.Proof> seconds = new ArrayList<>();
    try (GoProver twin = GoProver.start(goProver, keys, witnessFile, false)) {
      try (Progress p = Progress.start(out, "A/A check: warming up a second pure-Go process")) {
        twin.prove();
      }
      proveAtOnce("A/A check", new Side("pure Go", goSide::prove), new Side("second pure Go", twin::prove), firsts, seconds);
    }
    return ProveRuns.of(firsts).cpu().dividedBy(ProveRuns.of(seconds).cpu());
  }

  private CircuitReport describe(LibZkProver lib, int b, int d, ProofSystem system) {
    CircuitReport circuit = GnarkProver.describe(lib, b, d, system, DataAvailability.ROLLUP);
    out.printf(Locale.ROOT, "  circuit: %,d constraints (compiled in %,d ms)%n", circuit.constraints(), circuit.number("compileMs"));
    return circuit;
  }

  private static ProveRuns.Proof proveThroughJni(GnarkProver prover, Batch batch) {
    ProcessUsage before = ProcessUsage.now();
    long t = System.nanoTime();
    prover.prove(batch.witness());
    double wallMs = (System.nanoTime() - t) / 1e6;
    ProcessUsage after = ProcessUsage.now();
    return new ProveRuns.Proof(wallMs, after.cpuMillisSince(before), after.minorFaultsSince(before));
  }

  /**
   * {@code w} prover processes (pure Go, as the node's worker processes would be; the JNI ratio shows
   * the two prove alike) proving at once, {@code workerProofs} proofs each, each on its own keys:
   * nothing is shared but the machine. Meanwhile a verifier-only handle in this JVM verifies a proof
   * every 20 ms, as the node does with submitted proofs.
   */
  private WorkerPoint throughput(Path keys, Path witnessFile, boolean gpu, int slots, int w, GnarkVerifier verifier, BatchProof proof) throws Exception {
    List<GoProver> provers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(w);
    try {
      try (Progress p = Progress.start(out, "starting " + w + " prover process(es)")) {
        for (int i = 0; i < w; i++) {
          provers.add(GoProver.start(goProver, keys, witnessFile, gpu));
        }
      }
      try (Progress p = Progress.start(out, w + " worker process(es) proving " + workerProofs + " batches each; the node's verifier verifies meanwhile");
          VerifySampler sampler = VerifySampler.start(verifier, proof)) {
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (GoProver g : provers) {
          done.add(
              pool.submit(
                  () -> {
                    for (int r = 0; r < workerProofs; r++) {
                      g.prove();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        WorkerPoint point = new WorkerPoint(w, w * workerProofs, seconds, slots, sampler.stop());
        Samples v = point.verifyMs();
        out.printf(
            Locale.ROOT, "    %d worker(s): %d proofs in %.1f s, %.1f proofs/h, %.2f transfers/s; verify meanwhile p50 %.1f ms, p99 %.1f ms (%d runs)%n",
            w, point.proofs(), seconds, point.proofsPerHour(), point.transfersPerSecond(), v.median(), v.p99(), v.millis().size());
        return point;
      }
    } finally {
      pool.shutdownNow();
      for (GoProver g : provers) {
        g.close();
      }
    }
  }

  /** Verifications on the verifier-only handle with nothing else running. */
  private Samples verifyIdle(GnarkVerifier verifier, BatchProof proof) {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long t = System.nanoTime();
      if (!verifier.verify(proof)) {
        throw new IllegalStateException("the bench's proof does not verify");
      }
      ms.add((System.nanoTime() - t) / 1e6);
    }
    Samples s = new Samples(ms);
    out.printf(Locale.ROOT, "  verify on a verifier-only handle, nothing else running: p50 %.1f ms, p99 %.1f ms%n", s.median(), s.p99());
    return s;
  }

  /**
   * What a node that verified on its local worker's handle waited (before issue 17): a verify
   * started 300 ms into a JNI prove on the same handle returns only after the prove.
   */
  private Samples verifyOnProvingHandle(GnarkProver prover, Batch batch, BatchProof proof) throws Exception {
    List<Double> ms = new ArrayList<>();
    ExecutorService proving = Executors.newSingleThreadExecutor();
    try (Progress p = Progress.start(out, "verify on the handle a JNI prove runs on, 3 times (how the node verified before issue 17)")) {
      for (int i = 0; i < 3; i++) {
        Future<?> prove = proving.submit(() -> prover.prove(batch.witness()));
        Thread.sleep(300);
        long t = System.nanoTime();
        prover.verify(proof);
        ms.add((System.nanoTime() - t) / 1e6);
        prove.get();
      }
    } finally {
      proving.shutdownNow();
    }
    Samples s = new Samples(ms);
    out.printf(Locale.ROOT, "  verify on the proving handle while it proves: median %,.0f ms%n", s.median());
    return s;
  }
}
