package io.zkrollup.prover;

import java.util.Locale;

/** The proof systems a {@link Prover} can run, with the code the native bridge uses for each. */
public enum ProofSystem {
  /** Groth16 on BN254: the default, smallest proof and cheapest L1 verification; needs a setup. */
  GROTH16(0),
  /**
   * PLONK on BN254 with gnark's development SRS. Its toxic waste is known, so keys made with it are
   * for development only and must never secure funds.
   */
  PLONK(1);

  private final int nativeCode;

  ProofSystem(int nativeCode) {
    this.nativeCode = nativeCode;
  }

  /** The backend code of the native bridge. */
  public int nativeCode() {
    return nativeCode;
  }

  /** Parses {@code groth16} or {@code plonk} (any case), as the CLI and manifests spell them. */
  public static ProofSystem parse(String name) {
    for (ProofSystem s : values()) {
      if (s.name().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown proof system '" + name + "', expected groth16 or plonk");
  }

  /** The lower-case name ({@code groth16}, {@code plonk}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
