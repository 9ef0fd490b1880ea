package io.zkrollup.prover.nativebridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Child JVM of {@code GnarkVerifierIT} (it needs the fault-injection library's {@link
 * FaultInjection#holdHandle}): shows which calls on one handle wait for each other. A call is held
 * in flight on a handle for {@value #HOLD_MS} ms; {@value #START_AFTER_MS} ms later a verify on the
 * same handle starts. On a verifier handle the verify must return while the held call is still in
 * flight; on a prover handle (the control) it returns only after it.
 *
 * <p>Arguments: the key directory, a file with a proof, a file with its 128 bytes of public inputs.
 */
public final class VerifierOverlapMain {
  // The verify starts half a second into the hold and takes milliseconds: 1.5 s is margin enough
  // on a loaded 2-core machine, and the hold is waited out twice.
  static final int HOLD_MS = 2000;
  static final int START_AFTER_MS = 500;

  private VerifierOverlapMain() {}

  public static void main(String[] args) throws Exception {
    LibZkProver lib = LibZkProver.load();
    byte[] keyDir = args[0].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] proof = Files.readAllBytes(Path.of(args[1]));
    byte[] publicInputs = Files.readAllBytes(Path.of(args[2]));
    try (BatchVerifier verifier = lib.verifierLoad(keyDir);
        BatchProver prover = lib.proverLoad(keyDir)) {
      overlap("verifier", () -> FaultInjection.holdHandle(verifier, HOLD_MS), () -> verifier.verify(proof, publicInputs));
      overlap("prover", () -> FaultInjection.holdHandle(prover, HOLD_MS), () -> prover.verify(proof, publicInputs));
    }
  }

  private static void overlap(String handle, Runnable hold, BooleanSupplier verify) throws InterruptedException {
    long start = System.nanoTime();
    long[] holdEnd = new long[1];
    Thread holder =
        new Thread(
            () -> {
              hold.run();
              holdEnd[0] = System.nanoTime();
            });
    holder.start();
    Thread.sleep(START_AFTER_MS);
    boolean valid = verify.getAsBoolean();
    long verifyEnd = System.nanoTime();
    holder.join();
    System.out.printf(
        "%s valid=%b verifyReturnedFirst=%b (verify returned at %d ms, the held call at %d ms)%n",
        handle, valid, verifyEnd < holdEnd[0], (verifyEnd - start) / 1_000_000, (holdEnd[0] - start) / 1_000_000);
  }
}
