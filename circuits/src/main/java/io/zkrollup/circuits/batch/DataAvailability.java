package io.zkrollup.circuits.batch;

/**
 * Where a batch's transfer data lives (docs/protocol.md, "Validium"). It is a circuit parameter,
 * like B and D: keys, the node and the L1 contract are made for one mode.
 */
public enum DataAvailability {
  /** Protocol v1: the whole public data goes to L1. */
  ROLLUP(0, "rollup"),
  /** Transfer chunks stay with the node; L1 gets them zeroed plus their Poseidon2 hash. */
  VALIDIUM(1, "validium");

  private final int code;
  private final String label;

  DataAvailability(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The code the native bridge and the key manifest use: 0 rollup, 1 validium. */
  public int code() {
    return code;
  }

  /** The lower-case name used on the command line and in key manifests. */
  public String label() {
    return label;
  }

  /**
   * The mode of a {@link #code()}.
   *
   * @throws IllegalArgumentException for any other code
   */
  public static DataAvailability ofCode(int code) {
    for (DataAvailability d : values()) {
      if (d.code == code) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown data-availability mode " + code + " (0 rollup, 1 validium)");
  }

  /**
   * The mode named {@code label} ("rollup" or "validium").
   *
   * @throws IllegalArgumentException for any other name
   */
  public static DataAvailability ofLabel(String label) {
    for (DataAvailability d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown data-availability mode '" + label + "' (rollup or validium)");
  }
}
