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
        new Samples(List.of(witnessMs)), runs(jniMs, jniMs + 100), runs(goMs, goMs + 100),
        List.of(new WorkerPoint(1, 3, 3.0 * (jniMs + 50) / 1000, 32)), 2_000_000, 1_000_000, null);
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
  void pairedRatioComparesTheProofsOfEachRound() {
    ProveRuns jni = ProveRuns.of(List.of(new ProveRuns.Proof(1_000, 0, 0), new ProveRuns.Proof(1_200, 0, 0), new ProveRuns.Proof(1_100, 0, 0)));
    ProveRuns go = ProveRuns.of(List.of(new ProveRuns.Proof(990, 0, 0), new ProveRuns.Proof(1_188, 0, 0), new ProveRuns.Proof(1_150, 0, 0)));
    CaseResult c = new CaseResult("groth16", 32, 32, 1, 1, null, Map.of(), 1, 1, 1, new Samples(List.of(1.0)), jni, go, List.of(), 1, 1, null);
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
    CaseResult c = new CaseResult("groth16", 32, 32, 1, 1, null, Map.of(), 1, 1, 1, new Samples(List.of(1.0)), ProveRuns.of(jni), ProveRuns.of(go), List.of(), 1, 1, null);
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
  }
}
