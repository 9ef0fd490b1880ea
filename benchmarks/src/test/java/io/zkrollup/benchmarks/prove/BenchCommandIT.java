package io.zkrollup.benchmarks.prove;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench command end to end at a tiny size (Groth16, B=5, D=4, on the build's shared test keys):
 * JNI and pure-Go proofs of the same witness (taking turns and at the same moment), one and two
 * workers; it writes the JSON, the Markdown report and two PNG plots.
 */
class BenchCommandIT {

  @TempDir Path dir;

  @Test
  void writesTheReport() throws Exception {
    Path out = dir.resolve("report");
    // The bench names key directories as SharedTestKeys does: it reuses the build's B=5, D=4 set.
    SharedTestKeys.of(ProofSystem.GROTH16, 5, 4, DataAvailability.ROLLUP);
    int status =
        BenchCommand.run(
            "--slots", "5", "--depth", "4", "--runs", "1", "--simultaneous-runs", "1", "--twin-check", "--warmup", "0", "--workers", "1,2", "--worker-proofs", "1", "--witness-runs", "2",
            "--keys-dir", SharedTestKeys.buildDirectory().toString(), "--out", out.toString(), "--go-prover", System.getProperty("zkrollup.provebench"));
    assertThat(status).isZero();
    String json = Files.readString(out.resolve("report.json"));
    assertThat(json).contains("\"backend\": \"groth16\"", "\"slots\": 5", "\"depth\": 4", "\"jniOverGo\"", "\"goProveMs\"", "\"goPeakRssKb\"", "\"workers\": 2");
    assertThat(json).as("the ratio from proving at the same moment").contains("\"jniOverGoMethod\": \"simultaneous\"", "\"goTogetherCpuMs\"", "\"busyRatio\"", "\"twinCheck\"");
    assertThat(json).doesNotContain("\"skipped\"");
    assertThat(Files.readString(out.resolve("report.md"))).contains("## groth16, B = 5, D = 4", "prove in pure Go", "JNI throughput ÷ pure Go");
    for (String png : new String[] {ReportPlots.PROVE_TIME, ReportPlots.THROUGHPUT}) {
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 8);
      assertThat(head).as(png).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    }
  }
}
