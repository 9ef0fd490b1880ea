package io.zkrollup.prover.nativebridge;

import io.zkrollup.prover.nativebridge.FaultInjection.PanicKind;
import java.util.Arrays;

/**
 * Child JVM of {@link MalformedInputIT} (it needs the fault-injection library): raises every kind
 * of Go panic through the bridge and prints, per kind, how it came back and whether the library
 * still gives correct answers afterwards.
 */
public final class PanicRecoveryMain {
  private PanicRecoveryMain() {}

  public static void main(String[] args) {
    LibZkProver prover = LibZkProver.load();
    Poseidon2Vectors.Vector v = Poseidon2Vectors.load().of("compress").get(7);
    for (PanicKind kind : PanicKind.values()) {
      String outcome;
      try {
        FaultInjection.diagnosticPanic(kind);
        outcome = "code=NONE";
      } catch (NativeProverException e) {
        outcome =
            "code=" + e.code()
                + " nativePanic=" + e.getMessage().contains("native panic")
                // the Go stack comes along for the bug report
                + " goroutine=" + e.getMessage().contains("goroutine");
      }
      boolean works =
          Arrays.equals(
              prover.poseidon2Compress(Arrays.copyOfRange(v.input(), 0, 32), Arrays.copyOfRange(v.input(), 32, 64)), v.output());
      System.out.println("kind=" + kind + " " + outcome + " worksAfterwards=" + works);
    }
  }
}
