package io.zkrollup.prover.nativebridge;

/**
 * The Java face of libzkprover, the gnark proving core.
 *
 * <p>Obtain it with {@link #load()}; the library is loaded once per JVM, on first use. Every method
 * is safe to call from many threads at once. Field elements are 32-byte big-endian canonical
 * encodings of BN254 scalars; anything else is refused with {@link NativeProverException} ({@link
 * NativeProverException.Code#INVALID_ARGUMENT}) and changes nothing.
 */
public final class LibZkProver {

  /** Holds the outcome of the one load attempt of this JVM (class initialisation is thread-safe). */
  private static final class Loaded {
    static final String SOURCE;
    static final RuntimeException FAILURE;

    static {
      String source = null;
      RuntimeException failure = null;
      try {
        source = NativeLibraryLoader.forCurrentPlatform().load();
      } catch (RuntimeException e) {
        failure = e;
      }
      SOURCE = source;
      FAILURE = failure;
    }
  }

  private static final LibZkProver INSTANCE = new LibZkProver();

  private LibZkProver() {}

  /**
   * Loads libzkprover if this JVM has not yet, and returns the bridge.
   *
   * @throws NativeLibraryUnavailableException if the library is not packaged for this platform or
   *     cannot be loaded (every call repeats the first failure)
   */
  public static LibZkProver load() {
    if (Loaded.FAILURE != null) {
      throw new NativeLibraryUnavailableException(Loaded.FAILURE.getMessage(), Loaded.FAILURE);
    }
    return INSTANCE;
  }

  /** Where the library was loaded from (a jar URL, or the file named by the override property). */
  public String source() {
    return Loaded.SOURCE;
  }

  /** The versions the loaded library was built from. */
  public NativeVersions versions() {
    return NativeVersions.parse(NativeCalls.versions());
  }

  /**
   * The width-2 Poseidon2 permutation (gnark-crypto's default BN254 parameters).
   *
   * @param state two field elements, 64 bytes
   * @return the permuted state, 64 bytes
   */
  public byte[] poseidon2Permute(byte[] state) {
    return NativeCalls.poseidon2Permute(state);
  }

  /**
   * The 2-to-1 compression used for Merkle nodes: {@code permute(left, right)[1] + right}.
   *
   * @return one field element, 32 bytes
   */
  public byte[] poseidon2Compress(byte[] left, byte[] right) {
    return NativeCalls.poseidon2Compress(left, right);
  }

  /**
   * The Poseidon2 Merkle–Damgård hash (zero IV) of one or more field elements, as gnark-crypto's
   * {@code poseidon2.NewMerkleDamgardHasher}.
   *
   * @param elements the concatenated elements, a non-zero multiple of 32 bytes (at most 32768
   *     elements)
   * @return the digest, 32 bytes
   */
  public byte[] poseidon2Hash(byte[] elements) {
    return NativeCalls.poseidon2Hash(elements);
  }

  /** A new incremental Poseidon2 hasher; close it to release its native state. */
  public Poseidon2Hasher newPoseidon2Hasher() {
    return new Poseidon2Hasher(NativeCalls.hasherCreate());
  }

  /** The number of native objects Java currently holds handles to (for leak checks). */
  public long liveHandles() {
    return NativeCalls.liveHandles();
  }

  /**
   * Adds {@code SA_ONSTACK} to every signal handler installed since libzkprover was loaded, and
   * returns how many it changed.
   *
   * <p>Go code runs on small goroutine stacks. A signal handler without {@code SA_ONSTACK} that
   * fires on a thread that is running Go writes its signal frame past the end of the goroutine
   * stack and corrupts memory; the JVM then crashes some time later. When the library loads, Go
   * adds the flag to the handlers that exist at that moment, but not to handlers installed
   * afterwards, such as those of {@code sun.misc.Signal.handle}. Call this after installing any
   * signal handler in a JVM that has loaded libzkprover. See the "Signals" section of the bridge
   * contract ({@code native/README.md}).
   */
  public int addAltStackToSignalHandlers() {
    return NativeCalls.addAltStackToSignalHandlers();
  }

  /**
   * The root of a sparse Merkle tree over Poseidon2, computed natively by the Go reference ({@code
   * native/smt}) with the state tree's conventions (docs/protocol.md, "State tree"). For checking
   * the Java state tree against gnark-crypto.
   *
   * @param depth the tree depth, 1..63
   * @param indicesAndLeaves the non-empty leaves, each an 8-byte big-endian index followed by its
   *     32-byte canonical value; indices distinct and below {@code 2^depth}; at most 2^20 leaves
   * @return the root, 32 bytes
   */
  public byte[] smtRoot(int depth, byte[] indicesAndLeaves) {
    return NativeCalls.smtRoot(depth, indicesAndLeaves);
  }

  /**
   * The EdDSA (Baby Jubjub, gnark-crypto) public key derived from a seed, as gnark-crypto's {@code
   * eddsa.GenerateKey} derives it when its random source yields exactly {@code seed}.
   *
   * @param seed 32 bytes; a secret (the native copy is overwritten after use)
   * @return the compressed public key, 32 bytes (gnark-crypto's {@code PublicKey.Bytes()})
   * @throws NativeProverException with {@code INVALID_ARGUMENT} if {@code seed} is null or not 32
   *     bytes
   */
  public byte[] eddsaPublicKey(byte[] seed) {
    return NativeCalls.eddsaPublicKey(seed);
  }

  /**
   * Signs one field element with the key derived from {@code seed}: gnark-crypto's deterministic
   * EdDSA with Poseidon2 (Merkle–Damgård, zero IV) over {@code R.x, R.y, A.x, A.y, message} as the
   * challenge hash.
   *
   * @param seed 32 bytes (see {@link #eddsaPublicKey})
   * @param message one canonical field element, 32 bytes big-endian
   * @return the signature, 64 bytes: compressed R, then S big-endian
   * @throws NativeProverException with {@code INVALID_ARGUMENT} for a null or wrongly sized seed or
   *     message, or a message not below the field modulus
   */
  public byte[] eddsaSign(byte[] seed, byte[] message) {
    return NativeCalls.eddsaSign(seed, message);
  }

  /**
   * Verifies an EdDSA signature exactly as gnark-crypto's {@code PublicKey.Verify} does.
   *
   * @param publicKey 32 bytes, a compressed point in the prime-order subgroup other than the
   *     identity
   * @param signature 64 bytes that gnark-crypto's {@code Signature.SetBytes} accepts
   * @param message one canonical field element, 32 bytes big-endian
   * @return true for a valid signature, false for a well-formed but invalid one
   * @throws NativeProverException with {@code INVALID_ARGUMENT} for malformed input: null or wrong
   *     lengths, a non-canonical message, a public key or signature that does not decode (off the
   *     curve, outside the subgroup, the identity as key, S zero or not below the subgroup order)
   */
  public boolean eddsaVerify(byte[] publicKey, byte[] signature, byte[] message) {
    return NativeCalls.eddsaVerify(publicKey, signature, message);
  }

  /** Backend code for Groth16 (the default). */
  public static final int BACKEND_GROTH16 = 0;

  /**
   * Backend code for PLONK. Its setup uses gnark's unsafe development SRS (known toxic waste):
   * for development only, never for production keys.
   */
  public static final int BACKEND_PLONK = 1;

  /**
   * Mode code for rollup (protocol v1: the whole public data is hashed), {@code
   * DataAvailability.ROLLUP.code()}.
   */
  public static final int MODE_ROLLUP = 0;

  /**
   * Mode code for validium (transfer chunks zeroed, their Poseidon2 hash appended; docs/protocol.md,
   * "Validium"), {@code DataAvailability.VALIDIUM.code()}.
   */
  public static final int MODE_VALIDIUM = 1;

  /**
   * Compiles the batch circuit (no setup) and describes it.
   *
   * @param b slots, 1..4096 (larger is {@code RESOURCE_EXHAUSTED})
   * @param d tree depth, 1..32
   * @param backend {@link #BACKEND_GROTH16} or {@link #BACKEND_PLONK}
   * @param mode {@link #MODE_ROLLUP} or {@link #MODE_VALIDIUM}
   * @return UTF-8 {@code key=value} lines: b, d, backend, mode, constraints, publicInputs,
   *     witnessBytes, compileMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} for parameters out of range, an unknown
   *     backend or mode
   */
  public byte[] circuitInfo(int b, int d, int backend, int mode) {
    return NativeCalls.circuitInfo(b, d, backend, mode);
  }

  /**
   * Compiles the batch circuit, runs the setup and writes the key directory (circuit.ccs,
   * proving.key, verifying.key and manifest.json with each file's SHA-256 and the mode). Slow:
   * minutes for production sizes.
   *
   * @param mode {@link #MODE_ROLLUP} or {@link #MODE_VALIDIUM}
   * @param keyDir the directory, as a UTF-8 path (created if missing)
   * @return UTF-8 {@code key=value} lines: b, d, backend, mode, gnark, constraints, setupMs and
   *     {@code <file>Bytes} for each file written
   * @throws NativeProverException {@code INVALID_ARGUMENT} for bad parameters (an unknown mode
   *     included) or an unusable directory
   */
  public byte[] circuitSetup(int b, int d, int backend, int mode, byte[] keyDir) {
    return NativeCalls.circuitSetup(b, d, backend, mode, keyDir);
  }

  /**
   * Loads a key directory written by {@link #circuitSetup}; every file's SHA-256 is checked
   * against the manifest before it is parsed.
   *
   * @param keyDir the directory, as a UTF-8 path
   * @return the prover; close it to release the keys
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a missing, damaged or tampered
   *     directory, or keys made with another gnark version
   */
  public BatchProver proverLoad(byte[] keyDir) {
    return new BatchProver(NativeCalls.proverLoad(keyDir));
  }

  /**
   * Loads only the verifying key of a key directory written by {@link #circuitSetup}: the
   * manifest and {@code verifying.key}, whose SHA-256 is checked against the manifest before it is
   * parsed. {@code proving.key} and {@code circuit.ccs} are never opened, so a directory without
   * them will do. Calls on the verifier run concurrently, and never wait for a proof.
   *
   * @param keyDir the directory, as a UTF-8 path
   * @return the verifier; close it to release the key
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a missing, damaged or tampered
   *     manifest or verifying key, or keys made with another gnark version
   */
  public BatchVerifier verifierLoad(byte[] keyDir) {
    return new BatchVerifier(NativeCalls.verifierLoad(keyDir));
  }

  // ---- MPC ceremony (native/ceremony; io.zkrollup.prover.gnark.Ceremony is the typed face) ----

  /**
   * Compiles the batch circuit and starts a Groth16 ceremony for it in a directory: writes {@code
   * ceremony.json} (B, D, mode, gnark version, constraints, the phase-1 domain N, the circuit's
   * SHA-256) and an empty contribution log.
   *
   * @param mode {@link #MODE_ROLLUP} or {@link #MODE_VALIDIUM}
   * @param dir the ceremony directory, as a UTF-8 path (created; must not hold a ceremony)
   * @return UTF-8 {@code key=value} lines: b, d, mode, backend, gnark, constraints, domain,
   *     circuitSha256, phase1FileBytes, contributeMemoryBytes, verifyMemoryBytes, initMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} for bad parameters or a directory that
   *     holds a ceremony; {@code RESOURCE_EXHAUSTED} for a circuit beyond this machine's memory
   */
  public byte[] ceremonyInit(int b, int d, int mode, byte[] dir) {
    return NativeCalls.ceremonyInit(b, d, mode, dir);
  }

  /**
   * Adds a contribution to the open phase of a ceremony: gnark draws fresh randomness (crypto/rand),
   * updates the latest file with it and writes the next one; the randomness never leaves memory.
   * Minutes at production sizes.
   *
   * @param dir the ceremony directory, UTF-8
   * @param name the contributor's name, UTF-8: 1 to 64 letters, digits, '.', '_' or '-'
   * @return UTF-8 {@code key=value} lines, the receipt: phase, index, name, file, path, sha256,
   *     bytes, time, contributeMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a bad name, a finalized or
   *     damaged ceremony; {@code RESOURCE_EXHAUSTED} if N is beyond this machine's memory
   */
  public byte[] ceremonyContribute(byte[] dir, byte[] name) {
    return NativeCalls.ceremonyContribute(dir, name);
  }

  /**
   * Verifies phase 1 of a ceremony and seals it with a beacon; writes the SRS, the phase-2 initial
   * state and the circuit's evaluations.
   *
   * @param beacon the beacon in hex (16 to 128 bytes, an optional 0x), UTF-8
   * @return UTF-8 {@code key=value} lines: beacon, contributions, srsSha256, initialSha256,
   *     evaluationsSha256, sealMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a bad beacon, a phase already
   *     sealed or without contributions, or a contribution that does not verify (the message names
   *     it and says why)
   */
  public byte[] ceremonySealPhase1(byte[] dir, byte[] beacon) {
    return NativeCalls.ceremonySealPhase1(dir, beacon);
  }

  /**
   * Verifies phase 2 of a ceremony, seals it with a beacon and writes the key directory, whose
   * manifest records the ceremony as the keys' origin.
   *
   * @param keyDir the key directory to write, UTF-8 (must not hold keys)
   * @return UTF-8 {@code key=value} lines: beacon, transcript, keyDir, {@code <file>Bytes} per key
   *     file, the origin lines of {@link BatchVerifier#info()}, finalizeMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} as for {@link #ceremonySealPhase1}
   */
  public byte[] ceremonyFinalize(byte[] dir, byte[] beacon, byte[] keyDir) {
    return NativeCalls.ceremonyFinalize(dir, beacon, keyDir);
  }

  /**
   * Recomputes a ceremony from its files alone, as far as it has come.
   *
   * @param keyDir a key directory that must hold exactly the keys the transcript produces, UTF-8;
   *     empty for none
   * @param beacon1 the phase-1 beacon the transcript must use (hex), empty for any
   * @param beacon2 the phase-2 beacon, likewise
   * @return UTF-8 {@code key=value} lines: state, the ceremony's parameters, phaseN.count and
   *     phaseN.I.name/file/sha256/time per contribution, beacon1, beacon2, srsSha256,
   *     initialSha256, evaluationsSha256, transcript, keys.FILE, keysChecked, verifyMs
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a transcript (or key directory) that
   *     fails, the message naming the file, the contribution and why
   */
  public byte[] ceremonyVerify(byte[] dir, byte[] keyDir, byte[] beacon1, byte[] beacon2) {
    return NativeCalls.ceremonyVerify(dir, keyDir, beacon1, beacon2);
  }
}
