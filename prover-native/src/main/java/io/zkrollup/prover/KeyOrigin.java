package io.zkrollup.prover;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a key directory's keys came from, as its manifest records it: a single-party development
 * setup, whose runner could have kept the randomness and can forge any proof, or a multi-party
 * ceremony, which is safe if any one contributor threw their randomness away.
 *
 * <p>The origin is a claim written next to the keys; {@code zkrollup ceremony verify --keys}
 * proves a ceremony origin by recomputing the keys from the transcript.
 *
 * @param kind development or ceremony
 * @param transcript the SHA-256 (hex) of the ceremony's transcript; empty for development keys
 * @param phase1Contributors the names of the phase-1 contributions, in order (empty for development)
 * @param phase2Contributors the names of the phase-2 contributions, in order (empty for development)
 */
public record KeyOrigin(Kind kind, Optional<String> transcript, List<String> phase1Contributors, List<String> phase2Contributors) {

  /** The two kinds of keys. */
  public enum Kind {
    /** A single-party setup (gnark's groth16.Setup; PLONK over the unsafe development SRS): never for funds. */
    DEVELOPMENT,
    /** A multi-party ceremony (native/ceremony, {@code zkrollup ceremony}). */
    CEREMONY
  }

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final KeyOrigin DEVELOPMENT = new KeyOrigin(Kind.DEVELOPMENT, Optional.empty(), List.of(), List.of());

  /** Checks that a ceremony names its transcript and contributions, and development keys none. */
  public KeyOrigin {
    Objects.requireNonNull(kind, "kind");
    phase1Contributors = List.copyOf(phase1Contributors);
    phase2Contributors = List.copyOf(phase2Contributors);
    if (kind == Kind.DEVELOPMENT && (transcript.isPresent() || !phase1Contributors.isEmpty() || !phase2Contributors.isEmpty())) {
      throw new IllegalArgumentException("development keys have no transcript or contributors");
    }
    if (kind == Kind.CEREMONY
        && (transcript.isEmpty() || !SHA256.matcher(transcript.get()).matches() || phase1Contributors.isEmpty() || phase2Contributors.isEmpty())) {
      throw new IllegalArgumentException("ceremony keys need a transcript hash and contributions to both phases");
    }
  }

  /** The origin of keys from a single-party development setup. */
  public static KeyOrigin development() {
    return DEVELOPMENT;
  }

  /** The origin of keys from a ceremony. */
  public static KeyOrigin ceremony(String transcript, List<String> phase1Contributors, List<String> phase2Contributors) {
    return new KeyOrigin(Kind.CEREMONY, Optional.of(transcript), phase1Contributors, phase2Contributors);
  }

  /** Whether the keys came from a ceremony. */
  public boolean isCeremony() {
    return kind == Kind.CEREMONY;
  }

  /** Everyone who contributed, to either phase, each once, in the order of their first contribution. */
  public List<String> contributors() {
    LinkedHashSet<String> all = new LinkedHashSet<>(phase1Contributors);
    all.addAll(phase2Contributors);
    return List.copyOf(all);
  }

  /**
   * One line for operators: "single-party development setup: never for funds", or "ceremony
   * &lt;transcript hash&gt;, N contributors".
   */
  public String describe() {
    if (!isCeremony()) {
      return "single-party development setup: never for funds";
    }
    int n = contributors().size();
    return "ceremony " + transcript.orElseThrow() + ", " + n + (n == 1 ? " contributor" : " contributors");
  }
}
