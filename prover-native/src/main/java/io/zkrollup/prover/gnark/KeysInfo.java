package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.KeyOrigin;
import io.zkrollup.prover.ProofSystem;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The circuit loaded keys are for and where they came from, as the native {@code proverInfo}
 * reports it for a prover or a verifier handle (from the key manifest).
 */
record KeysInfo(ProofSystem system, int slots, int depth, DataAvailability dataAvailability, KeyOrigin origin) {

  static KeysInfo parse(byte[] info) {
    CircuitReport report = CircuitReport.parse(info);
    // The library bundled with this jar always reports the mode (rollup for key directories
    // written before validium mode) and the origin (development for those written before
    // ceremonies), so a missing one is a bug, not an old directory.
    DataAvailability mode =
        report
            .dataAvailability()
            .orElseThrow(() -> new IllegalStateException("the native keys info has no mode: " + report.values()));
    return new KeysInfo(
        ProofSystem.parse(report.values().get("backend")), (int) report.number("b"), (int) report.number("d"), mode, origin(report.values()));
  }

  /** The origin lines of the native info: origin=development, or origin=ceremony with its transcript and contributors. */
  static KeyOrigin origin(Map<String, String> values) {
    String kind = values.get("origin");
    if ("development".equals(kind)) {
      return KeyOrigin.development();
    }
    if (!"ceremony".equals(kind)) {
      throw new IllegalStateException("the native keys info has no known origin: " + values);
    }
    return KeyOrigin.ceremony(values.get("transcript"), names(values.get("phase1")), names(values.get("phase2")));
  }

  private static List<String> names(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(","));
  }
}
