package io.zkrollup.benchmarks.prove;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's arithmetic and its verdicts on the two targets, on made-up measurements. */
class BenchReportTest {

  private static CaseResult measured(double jniMs, double goMs, double witnessMs) {
    return new CaseResult(
        "groth16", 32, 32, 1_000_000, 1_000, 60_000L, Map.of("proving.key", 300_000_000L), 1_500, 1_400, 44_000,
        new Samples(List.of(witnessMs)), runs(jniMs, jniMs + 100), runs(goMs, goMs + 100), null, null, null,
        List.of(new WorkerPoint(1, 3, 3.0 * (jniMs + 50) / 1000, 32, new Samples(List.of(3.0, 4.0, 5.0, 40.0)))),
        new CaseResult.VerifyLatency(new Samples(List.of(2.0, 3.0, 4.0)), new Samples(List.of(900.0, 1_100.0))), 2_000_000, 1_000_000, null);
  }

  private static ProveRuns runs(double first, double second) {
    return ProveRuns.of(List.of(new ProveRuns.Proof(first, 2 * first, 1_000), new ProveRuns.Proof(second, 2 * second, 3_000)));
  }

  @Test
  void derivedFigures() {
    CaseResult c = measured(1_000, 1_000, 10);
    assertThat(c.jni().wall().median()).isEqualTo(1_050);
    assertThat(c.jni().cpu().median()).isEqualTo(2_100);
    assertThat(c.jni().coresBusy()).isEqualTo(2.0);
    assertThat(c.jni().minorFaults().median()).isEqualTo(2_000);
    assertThat(c.proofsPerHour()).isCloseTo(3_600_000 / 1_050.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.transfersPerSecond()).isCloseTo(32_000 / 1_050.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.jniOverGo()).isEqualTo(1.0);
    assertThat(c.witnessShare()).isCloseTo(10 / 1_050.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void coresBusyIsTakenProofByProof() {
    // Medians of CPU and of wall come from different proofs here (2,100 ÷ 1,000 would say 2.1).
    ProveRuns r = proofs(new double[] {1_000, 1_500, 900}, new double[] {1_800, 2_700, 2_100});
    assertThat(r.coresBusy()).isCloseTo(1.8, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void pairedRatioComparesTheProofsOfEachRound() {
    ProveRuns jni = ProveRuns.of(List.of(new ProveRuns.Proof(1_000, 0, 0), new ProveRuns.Proof(1_200, 0, 0), new ProveRuns.Proof(1_100, 0, 0)));
    ProveRuns go = ProveRuns.of(List.of(new ProveRuns.Proof(990, 0, 0), new ProveRuns.Proof(1_188, 0, 0), new ProveRuns.Proof(1_150, 0, 0)));
    CaseResult c = new CaseResult("groth16", 32, 32, 1, 1, null, Map.of(), 1, 1, 1, new Samples(List.of(1.0)), jni, go, null, null, null, List.of(), null, 1, 1, null);
    // Medians alone (1,150 ÷ 1,100) would say JNI is faster; round by round it is slower in two of three.
    assertThat(c.jniOverGoOfMedians()).isCloseTo(1150 / 1100.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.jniOverGo()).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(BenchReport.jniVerdict(c)).as("0.99 in every round but one").isEqualTo("met");
  }

  @Test
  void aMedianAboveTheTargetWithAnIntervalBelowItIsNotSettled() {
    List<ProveRuns.Proof> jni = new java.util.ArrayList<>();
    List<ProveRuns.Proof> go = new java.util.ArrayList<>();
    double[] goMs = {1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 950, 960, 1_010};
    for (double g : goMs) {
      jni.add(new ProveRuns.Proof(1_000, 0, 0));
      go.add(new ProveRuns.Proof(g, 0, 0));
    }
    CaseResult c = new CaseResult("groth16", 32, 32, 1, 1, null, Map.of(), 1, 1, 1, new Samples(List.of(1.0)), ProveRuns.of(jni), ProveRuns.of(go), null, null, null, List.of(), null, 1, 1, null);
    assertThat(c.jniOverGo()).isEqualTo(1.0);
    assertThat(c.jniOverGoInterval().low()).as("rank 2 of 10").isEqualTo(0.96);
    assertThat(BenchReport.jniVerdict(c)).startsWith("met by the median, not settled");
  }

  @Test
  void targetsAreJudgedBothWays() {
    BenchReport met = new BenchReport("bench", Map.of("cores", "2"), List.of(measured(1_000, 990, 40)));
    assertThat(met.markdown()).contains("**0.990** — met").doesNotContain("NOT met");
    BenchReport slowJni = new BenchReport("bench", Map.of(), List.of(measured(1_000, 950, 40)));
    assertThat(slowJni.markdown()).contains("**0.952** — NOT met");
    BenchReport slowWitness = new BenchReport("bench", Map.of(), List.of(measured(1_000, 1_000, 60)));
    assertThat(slowWitness.markdown()).contains("**5.71 %** — NOT met");
  }

  @Test
  void jsonHasTheMeasurementsAndSkippedCasesSayWhy() {
    BenchReport r =
        new BenchReport(
            "bench --backend groth16,groth16-gpu", Map.of("cores", "2"), List.of(measured(1_000, 1_000, 10), CaseResult.skipped("groth16-gpu", 32, 32, 1_000_000, "no GPU proving: not built")));
    String json = r.json();
    assertThat(json).contains("\"jniOverGo\": 1", "\"proofsPerHour\"", "\"median\": 1050", "\"p95\": 1100", "\"skipped\": \"no GPU proving: not built\"");
    assertThat(r.summary()).contains("groth16-gpu", "skipped");
    assertThat(json).contains("\"verifyP99Ms\": 40", "\"verifyIdle\"", "\"verifySharedHandle\"");
  }

  @Test
  void markdownShowsVerificationBesideTheWorkers() {
    String md = new BenchReport("bench", Map.of("cores", "2"), List.of(measured(1_000, 1_000, 10))).markdown();
    assertThat(md)
        .contains("verify on a verifier-only handle, nothing else running: p50 / p99 (3 runs) | 3.0 ms / 4.0 ms")
        .contains("1 worker process(es): verify meanwhile, p50 / p99 / max (4 runs) | 4.5 ms / 40.0 ms / 40.0 ms")
        .contains("verify on the handle a JNI prove runs on (before issue 17), median of 2 | 1,000 ms");
  }

  /** Rounds of proofs with these wall and CPU milliseconds. */
  private static ProveRuns proofs(double[] wallMs, double[] cpuMs) {
    List<ProveRuns.Proof> list = new java.util.ArrayList<>();
    for (int i = 0; i < wallMs.length; i++) {
      list.add(new ProveRuns.Proof(wallMs[i], cpuMs[i], 0));
    }
    return ProveRuns.of(list);
  }

  @Test
  void provingAtTheSameMomentComparesWorkAndScalesItByHowBusyEachSideKeepsTheCores() {
    // Alone: JNI keeps 1.7 cores busy, Go 1.8; taking turns the machine's drift makes JNI look fast.
    ProveRuns jni = proofs(new double[] {1_000, 1_000}, new double[] {1_700, 1_700});
    ProveRuns go = proofs(new double[] {1_100, 1_100}, new double[] {1_980, 1_980});
    double[] jniCpu = {2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000};
    double[] goCpu = {1_990, 2_000, 1_980, 2_010, 1_990, 1_970, 2_000, 1_990};
    ProveRuns jniTogether = proofs(jniCpu, jniCpu);
    ProveRuns goTogether = proofs(goCpu, goCpu);
    CaseResult c = new CaseResult("groth16", 32, 32, 1, 1, null, Map.of(), 1, 1, 1, new Samples(List.of(1.0)), jni, go, jniTogether, goTogether, new Samples(List.of(0.99, 1.0, 1.02, 1.0, 0.98, 1.01)), List.of(), null, 1, 1, null);

    assertThat(c.provedTogether()).isTrue();
    assertThat(c.workRatios().median()).isCloseTo(0.995, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.busyRatio()).isCloseTo(1.7 / 1.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.jniOverGo()).isCloseTo(0.995 * 1.7 / 1.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.jniOverGoInterval().low()).as("rank 1 of 8, scaled").isCloseTo(0.985 * 1.7 / 1.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.jniOverGoTakingTurns()).as("the turns alone would say JNI is faster").isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(BenchReport.jniVerdict(c)).as("JNI waits more: 0.94").isEqualTo("NOT met");

    BenchReport r = new BenchReport("bench", Map.of(), List.of(c));
    assertThat(r.markdown()).contains("work ratio at the same moment × cores-busy ratio", "**0.940** — NOT met", "taking turns instead: median of the rounds' Go ÷ JNI prove time | 1.100",
        "A/A check: pure Go ÷ a second pure-Go process proving at the same moment, median of 6 (ideally 1) | 1.000 (0.980 – 1.020, 97 %)");
    assertThat(r.json()).contains("\"jniOverGoMethod\": \"simultaneous\"", "\"busyRatio\"", "\"goTogetherCpuMs\"", "\"jniOverGoTakingTurns\": 1.1", "\"twinCheck\"");
  }

  @Test
  void withoutRoundsAtTheSameMomentTheRatioIsTheTurns() {
    BenchReport r = new BenchReport("bench --backend groth16-gpu", Map.of(), List.of(measured(1_000, 990, 40)));
    assertThat(r.cases().get(0).provedTogether()).isFalse();
    assertThat(r.markdown()).contains("median of the rounds of taking turns").doesNotContain("taking turns instead", "A/A check");
    assertThat(r.json()).contains("\"jniOverGoMethod\": \"taking turns\"").doesNotContain("busyRatio");
  }
}
