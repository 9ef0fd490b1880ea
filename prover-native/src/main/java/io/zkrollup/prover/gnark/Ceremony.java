package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.KeyOrigin;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A multi-party Groth16 setup (an MPC ceremony) of the batch circuit, on gnark's mpcsetup through
 * libzkprover (native/ceremony). Keys from a single-party setup let whoever ran it forge proofs; a
 * ceremony's keys are safe if any one contributor threw their randomness away.
 *
 * <p>The ceremony is a directory, its transcript, that contributors pass along: {@link #init}
 * (coordinator), {@link #contribute} (each contributor, phase 1), {@link #sealPhase1} (coordinator,
 * with a beacon), {@link #contribute} again (phase 2), {@link #finalizeKeys} (coordinator, with a
 * second beacon: writes a key directory {@link GnarkProver} and {@link GnarkVerifier} load as any
 * other), and {@link #verify} (anyone, from the files alone). A beacon is public randomness nobody
 * knew before the phase's last contribution: the hash of an L1 block announced in advance, in hex.
 *
 * <p>Every call can take minutes to hours at production sizes, holds the whole SRS in memory, and
 * runs its native work on the calling thread: callers run them in a process of their own (the CLI
 * does, in a child JVM). Failures are {@link NativeProverException}s: {@code INVALID_ARGUMENT}
 * for bad arguments and for a transcript that fails (the message names the file, the contribution
 * and why), {@code RESOURCE_EXHAUSTED} when the ceremony's size is beyond this machine's memory.
 */
public final class Ceremony {

  private Ceremony() {}

  /**
   * What a ceremony sets up keys for ({@code ceremony.json}).
   *
   * @param slots the batch circuit's B
   * @param depth its tree depth D
   * @param dataAvailability its mode
   * @param gnark the gnark version whose encodings the files use
   * @param constraints the circuit's constraint count
   * @param domain N, the phase-1 domain size: the next power of two of the constraints
   * @param circuitSha256 the SHA-256 of the compiled circuit (the key directory's circuit.ccs)
   */
  public record Spec(int slots, int depth, DataAvailability dataAvailability, String gnark, long constraints, long domain, String circuitSha256) {

    static Spec of(CircuitReport r) {
      return new Spec(
          (int) r.number("b"), (int) r.number("d"), r.dataAvailability().orElseThrow(), r.values().get("gnark"), r.number("constraints"), r.number("domain"),
          r.values().get("circuitSha256"));
    }
  }

  /**
   * A ceremony just started.
   *
   * @param phase1FileBytes the size of each phase-1 contribution file
   * @param contributeMemoryBytes a lower bound of the memory a phase-1 contribution needs
   * @param verifyMemoryBytes a lower bound of the memory sealing and verifying need
   * @param millis how long compiling and writing took
   */
  public record Started(Spec spec, long phase1FileBytes, long contributeMemoryBytes, long verifyMemoryBytes, long millis) {}

  /**
   * A contribution, as the log records it and {@link #verify} lists it.
   *
   * @param phase 1 or 2
   * @param index its number in the phase, from 1
   * @param name the contributor's name
   * @param file its file, relative to the ceremony directory
   * @param sha256 the file's SHA-256 (hex)
   * @param time when it was written (RFC 3339, UTC)
   */
  public record Contribution(int phase, int index, String name, String file, String sha256, String time) {}

  /**
   * What a contributor keeps: their contribution, whose {@code sha256} they later find in {@link
   * #verify}'s list, so they know the keys were built on their randomness.
   *
   * @param path the new file
   * @param bytes its size
   * @param millis how long the contribution took
   */
  public record Receipt(Contribution contribution, Path path, long bytes, long millis) {}

  /**
   * Phase 1 sealed.
   *
   * @param beacon the beacon (hex)
   * @param contributions how many phase-1 contributions were verified and sealed
   * @param srsSha256 SHA-256 of phase1/srs.bin
   * @param initialSha256 SHA-256 of phase2/0000-initial.bin
   * @param evaluationsSha256 SHA-256 of phase2/evaluations.bin
   */
  public record Sealed(String beacon, int contributions, String srsSha256, String initialSha256, String evaluationsSha256, long millis) {}

  /**
   * The ceremony finished and its keys written.
   *
   * @param transcript the SHA-256 of the transcript, as the key manifest records it
   * @param fileSizes the key directory's files and their sizes
   * @param origin the keys' origin, as {@link GnarkVerifier#origin()} will read it
   */
  public record Finalized(String beacon, String transcript, Path keyDir, Map<String, Long> fileSizes, KeyOrigin origin, long millis) {}

  /**
   * A transcript that verified, as far as the ceremony has come.
   *
   * @param state {@code phase1-open}, {@code phase2-open} or {@code finalized}
   * @param beacon1 the phase-1 beacon, once sealed
   * @param beacon2 the phase-2 beacon, once finalized
   * @param transcript the SHA-256 of the transcript
   * @param keyFiles the SHA-256 of each key file the transcript produces (once finalized)
   * @param keysChecked whether a key directory was compared with them and matched
   */
  public record Transcript(
      String state,
      Spec spec,
      List<Contribution> phase1,
      List<Contribution> phase2,
      Optional<String> beacon1,
      Optional<String> beacon2,
      String transcript,
      Map<String, String> keyFiles,
      boolean keysChecked,
      long millis) {

    /** Copies the lists and map. */
    public Transcript {
      phase1 = List.copyOf(phase1);
      phase2 = List.copyOf(phase2);
      keyFiles = Map.copyOf(keyFiles);
    }

    /** Whether phase 2 is sealed and the keys exist. */
    public boolean finalized() {
      return state.equals("finalized");
    }
  }

  /** Compiles the batch circuit and starts a ceremony in {@code dir} (which must not hold one). */
  public static Started init(LibZkProver lib, Path dir, int slots, int depth, DataAvailability mode) {
    Objects.requireNonNull(mode, "mode");
    CircuitReport r = CircuitReport.parse(lib.ceremonyInit(slots, depth, mode.code(), GnarkProver.utf8(dir)));
    return new Started(Spec.of(r), r.number("phase1FileBytes"), r.number("contributeMemoryBytes"), r.number("verifyMemoryBytes"), r.number("initMs"));
  }

  /**
   * Adds a contribution to the open phase. gnark draws the randomness from the operating system
   * (Go's crypto/rand) and keeps it only in memory; nothing of it is written.
   *
   * @param name the contributor's name: 1 to 64 letters, digits, '.', '_' or '-'
   */
  public static Receipt contribute(LibZkProver lib, Path dir, String name) {
    Objects.requireNonNull(name, "name");
    CircuitReport r = CircuitReport.parse(lib.ceremonyContribute(GnarkProver.utf8(dir), name.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> v = r.values();
    Contribution c = new Contribution((int) r.number("phase"), (int) r.number("index"), v.get("name"), v.get("file"), v.get("sha256"), v.get("time"));
    return new Receipt(c, Path.of(v.get("path")), r.number("bytes"), r.number("contributeMs"));
  }

  /** Verifies phase 1 and seals it with a beacon (hex, 16 to 128 bytes). */
  public static Sealed sealPhase1(LibZkProver lib, Path dir, String beacon) {
    CircuitReport r = CircuitReport.parse(lib.ceremonySealPhase1(GnarkProver.utf8(dir), utf8(beacon)));
    Map<String, String> v = r.values();
    return new Sealed(v.get("beacon"), (int) r.number("contributions"), v.get("srsSha256"), v.get("initialSha256"), v.get("evaluationsSha256"), r.number("sealMs"));
  }

  /**
   * Verifies phase 2, seals it with a beacon and writes the keys into {@code keyDir} (which must
   * not hold keys), with the ceremony recorded as their origin.
   */
  public static Finalized finalizeKeys(LibZkProver lib, Path dir, String beacon, Path keyDir) {
    CircuitReport r = CircuitReport.parse(lib.ceremonyFinalize(GnarkProver.utf8(dir), utf8(beacon), GnarkProver.utf8(keyDir)));
    Map<String, String> v = r.values();
    return new Finalized(v.get("beacon"), v.get("transcript"), Path.of(v.get("keyDir")), r.fileSizes(), KeysInfo.origin(v), r.number("finalizeMs"));
  }

  /**
   * Recomputes the ceremony from its files alone: every contribution against its predecessor, the
   * seals with their beacons, and, once finalized, the keys.
   *
   * @param keyDir a key directory that must hold exactly the keys the transcript produces
   * @param beacon1 the phase-1 beacon the transcript must have used (the announced block's hash)
   * @param beacon2 likewise for phase 2
   * @throws NativeProverException {@code INVALID_ARGUMENT} naming what is wrong
   */
  public static Transcript verify(LibZkProver lib, Path dir, Optional<Path> keyDir, Optional<String> beacon1, Optional<String> beacon2) {
    byte[] keys = keyDir.map(GnarkProver::utf8).orElse(new byte[0]);
    CircuitReport r = CircuitReport.parse(lib.ceremonyVerify(GnarkProver.utf8(dir), keys, utf8(beacon1.orElse("")), utf8(beacon2.orElse(""))));
    Map<String, String> v = r.values();
    Map<String, String> keyFiles = new LinkedHashMap<>();
    v.forEach(
        (k, h) -> {
          if (k.startsWith("keys.")) {
            keyFiles.put(k.substring("keys.".length()), h);
          }
        });
    return new Transcript(
        v.get("state"),
        Spec.of(r),
        contributions(r, 1),
        contributions(r, 2),
        Optional.ofNullable(v.get("beacon1")),
        Optional.ofNullable(v.get("beacon2")),
        v.get("transcript"),
        keyFiles,
        Boolean.parseBoolean(v.get("keysChecked")),
        r.number("verifyMs"));
  }

  private static List<Contribution> contributions(CircuitReport r, int phase) {
    List<Contribution> out = new ArrayList<>();
    long n = r.number("phase" + phase + ".count");
    for (int i = 1; i <= n; i++) {
      String p = "phase" + phase + "." + i + ".";
      Map<String, String> v = r.values();
      out.add(new Contribution(phase, i, v.get(p + "name"), v.get(p + "file"), v.get(p + "sha256"), v.get(p + "time")));
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return Objects.requireNonNull(s, "beacon").getBytes(StandardCharsets.UTF_8);
  }
}
