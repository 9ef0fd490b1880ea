package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;

/**
 * The circuit loaded keys are for, as the native {@code proverInfo} reports it for a prover or a
 * verifier handle (from the key manifest).
 */
record KeysInfo(ProofSystem system, int slots, int depth, DataAvailability dataAvailability) {

  static KeysInfo parse(byte[] info) {
    CircuitReport report = CircuitReport.parse(info);
    // The library bundled with this jar always reports the mode (rollup for key directories
    // written before validium mode), so a missing one is a bug, not an old directory.
    DataAvailability mode =
        report
            .dataAvailability()
            .orElseThrow(() -> new IllegalStateException("the native keys info has no mode: " + report.values()));
    return new KeysInfo(
        ProofSystem.parse(report.values().get("backend")), (int) report.number("b"), (int) report.number("d"), mode);
  }
}
