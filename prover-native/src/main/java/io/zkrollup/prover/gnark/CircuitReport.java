package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.KeyOrigin;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the native side reports about a compiled circuit, a setup or loaded keys: the UTF-8 {@code
 * key=value} lines of {@code circuitInfo}, {@code circuitSetup} and {@code proverInfo} (see
 * native/README.md), in their order.
 *
 * @param values every reported value, by key
 */
public record CircuitReport(Map<String, String> values) {

  /** Keeps an unmodifiable copy. */
  public CircuitReport {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Parses the native answer. */
  static CircuitReport parse(byte[] utf8) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(utf8, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return new CircuitReport(values);
  }

  /** The value of {@code key} as a number. */
  public long number(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("the native report has no '" + key + "': " + values);
    }
    return Long.parseLong(v);
  }

  /**
   * The data-availability mode the report names ({@code mode=rollup} or {@code mode=validium}),
   * empty if it names none.
   *
   * @throws IllegalArgumentException for a mode this version does not know
   */
  public Optional<DataAvailability> dataAvailability() {
    return Optional.ofNullable(values.get("mode")).map(DataAvailability::ofLabel);
  }

  /**
   * Where the keys came from, for the reports of a setup and of loaded keys ({@code origin=…}
   * lines); empty if the report names no origin (a compiled circuit without keys).
   */
  public Optional<KeyOrigin> origin() {
    return values.containsKey("origin") ? Optional.of(KeysInfo.origin(values)) : Optional.empty();
  }

  /** Number of constraints of the compiled circuit. */
  public long constraints() {
    return number("constraints");
  }

  /** The sizes in bytes of the files a setup wrote, by file name. */
  public Map<String, Long> fileSizes() {
    Map<String, Long> sizes = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.endsWith("Bytes") && !k.equals("witnessBytes")) {
            sizes.put(k.substring(0, k.length() - "Bytes".length()), Long.parseLong(v));
          }
        });
    return sizes;
  }
}
