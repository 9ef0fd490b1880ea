package io.zkrollup.prover.gnark;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.FaultInjection;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bridge cannot catch (native/README.md, rule 4): a Go fatal error during a proof, here a
 * panic on a goroutine guard does not reach, as gnark's solver or MSM workers could raise, ends
 * the whole JVM. The fault-injection build raises one on the next proof while {@code
 * ZKPROVER_FAULT_ONCE_FILE} names an existing file, and deletes the file first, so the next JVM
 * proves normally: the shape of a worker that crashes and is restarted.
 */
class FaultInjectedProveIT {

  private final LibZkProver lib = LibZkProver.load();

  @Test
  void aGoFatalErrorWhileProvingKillsTheJvmOnceAndTheNextJvmProves(@TempDir Path dir) throws Exception {
    Path keys = SharedTestKeys.of(ProofSystem.GROTH16, BatchProvingIT.B, BatchProvingIT.D, DataAvailability.ROLLUP);
    Path once = Files.createFile(dir.resolve("fault-once"));
    Map<String, String> env = Map.of(FaultInjection.FAULT_ONCE_FILE, once.toString());
    String[] args = {keys.toString(), Integer.toString(BatchProvingIT.B), Integer.toString(BatchProvingIT.D)};

    FaultInjection.Child crashed = FaultInjection.run(dir, Duration.ofMinutes(3), env, ProveOnceMain.class, args);
    assertThat(crashed.exitCode()).as("exit status of the JVM that proved\n%s", crashed.output()).isNotZero();
    assertThat(crashed.output())
        .contains("proving")
        .contains("panic: fault injection")
        .doesNotContain("proved valid");
    assertThat(once).as("the fault consumed its file").doesNotExist();

    FaultInjection.Child restarted = FaultInjection.run(dir, Duration.ofMinutes(3), env, ProveOnceMain.class, args);
    assertThat(restarted.exitCode()).as(restarted.output()).isZero();
    assertThat(restarted.output()).contains("proved valid=true");
  }
}
