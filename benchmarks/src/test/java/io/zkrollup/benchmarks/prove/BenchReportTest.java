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
        new Samples(List.of(witnessMs)), new Samples(List.of(jniMs, jniMs + 100)), new Samples(List.of(goMs, goMs + 100)),
        List.of(new WorkerPoint(1, 3, 3.0 * (jniMs + 50) / 1000, 32)), 2_000_000, 1_000_000, null);
  }

  @Test
  void derivedFigures() {
    CaseResult c = measured(1_000, 1_000, 10);
    assertThat(c.jni().median()).isEqualTo(1_050);
    assertThat(c.proofsPerHour()).isCloseTo(3_600_000 / 1_050.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.transfersPerSecond()).isCloseTo(32_000 / 1_050.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.jniOverGo()).isEqualTo(1.0);
    assertThat(c.witnessShare()).isCloseTo(10 / 1_050.0, org.assertj.core.data.Offset.offset(1e-12));
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
