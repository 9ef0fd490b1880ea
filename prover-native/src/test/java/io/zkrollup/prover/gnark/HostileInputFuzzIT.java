package io.zkrollup.prover.gnark;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.BabyJubjub;
import io.zkrollup.circuits.eddsa.EdwardsPoint;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.BatchProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.prover.nativebridge.NativeProverException.Code;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Structurally valid, hostile inputs through every JNI entry point in one JVM (docs/fuzzing.md):
 * each call must come back with a correct result or a {@link NativeProverException} of a caller's
 * code (INVALID_ARGUMENT, RESOURCE_EXHAUSTED), never PANIC or INTERNAL, and the JVM must survive.
 *
 * <p>Inputs are built from valid ones with in-range hostile values, so they pass the bridge's
 * format checks and reach gnark: the batch witness is {@code valid-control.zkbw} (B=12, D=4) with
 * elements rewritten inside their decoder ranges (boundary amounts, the identity and other
 * small-order keys, points outside the subgroup or off the curve, forged Merkle paths, copied
 * roots and counts); EdDSA gets hostile keys, R, S and messages; Poseidon2 and the SMT root
 * boundary elements and indices; verify a real proof with hostile public inputs and flipped bits.
 *
 * <p>The suite runs {@value #DEFAULT_INPUTS} inputs and {@value #DEFAULT_PROVES} prove calls. The
 * documented run sets {@code -Dzkprover.fuzz.inputs=1000000 -Dzkprover.fuzz.proves=N}
 * ({@code -Dzkprover.fuzz.seed} picks the sequence).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputFuzzIT {

  static final int DEFAULT_INPUTS = 5_000;
  static final int DEFAULT_PROVES = 3;
  private static final int B = BatchProvingIT.B;
  private static final int D = BatchProvingIT.D;
  private static final BigInteger P = Fr.MODULUS;
  private static final BigInteger R = BabyJubjub.ORDER;

  private final LibZkProver lib = LibZkProver.load();
  private final Poseidon2 poseidon = new Poseidon2();
  private BatchProver prover;
  private byte[] control;
  private BatchProver.Proof controlProof;
  private final Map<Code, Long> refusals = new EnumMap<>(Code.class);
  private long answered;

  /** Boundary values: where range and arithmetic bugs live. */
  private static final BigInteger[] BOUNDARIES = boundaries();

  /** The 8 points of order dividing 8 (the identity first), and 8 outside the subgroup. */
  private static final List<EdwardsPoint> HOSTILE_POINTS = hostilePoints();

  @BeforeAll
  void load() throws IOException {
    assertThat(B).isEqualTo(12);
    prover = lib.proverLoad(
        SharedTestKeys.of(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP).toString().getBytes(StandardCharsets.UTF_8));
    control = Files.readAllBytes(Path.of(System.getProperty("zkprover.negative")).resolve("valid-control.zkbw"));
    controlProof = prover.prove(control);
  }

  @AfterAll
  void close() {
    prover.close();
  }

  @Test
  void hostileInputsGetAnAnswerNeverACrash() {
    long inputs = Long.getLong("zkprover.fuzz.inputs", DEFAULT_INPUTS);
    long proves = Long.getLong("zkprover.fuzz.proves", DEFAULT_PROVES);
    long seed = Long.getLong("zkprover.fuzz.seed", 21);
    SplittableRandom rnd = new SplittableRandom(seed);
    long proved = 0;
    long start = System.nanoTime();
    long proveNanos = 0;
    // The prove calls are spread evenly through the run.
    long proveEvery = proves == 0 ? Long.MAX_VALUE : Math.max(1, inputs / proves);
    long cheap = 0;
    for (long i = 0; i < inputs; i++) {
      if (i % proveEvery == 0 && proved < proves) {
        long t = System.nanoTime();
        proveOne(rnd);
        proveNanos += System.nanoTime() - t;
        proved++;
        continue;
      }
      cheap++;
      switch (rnd.nextInt(5)) {
        case 0 -> eddsaVerify(rnd);
        case 1 -> poseidon2(rnd);
        case 2 -> smtRoot(rnd);
        case 3 -> verify(rnd);
        default -> eddsaVerify(rnd);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "HostileInputFuzzIT: %d inputs (%d prove, %d cheap) in %.1f s; prove %.1f/s, cheap %.0f/s;"
            + " calls answered %d, refused %s, seed %d%n",
        inputs, proved, cheap, seconds, proved / Math.max(proveNanos / 1e9, 1e-9),
        cheap / Math.max(seconds - proveNanos / 1e9, 1e-9), answered, refusals, seed);
    // Every input makes at least one call, and each call was answered or refused with a caller's
    // code (call() asserts that); an input may make more (Poseidon2 hash and compress, prove and verify).
    assertThat(answered + refusals.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(inputs);
    assertThat(refusals.keySet()).as("refusal codes").isSubsetOf(Code.INVALID_ARGUMENT, Code.RESOURCE_EXHAUSTED);
  }

  // ---- the entry points ----

  private void proveOne(SplittableRandom rnd) {
    byte[] w = HostileWitness.mutate(control, B, D, rnd, 1 + rnd.nextInt(8));
    BatchProver.Proof proof = call(() -> prover.prove(w));
    if (proof != null) {
      assertThat(prover.verify(proof.proof(), proof.publicInputs())).as("a proof the prover returned").isTrue();
    }
  }

  private void eddsaVerify(SplittableRandom rnd) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    boolean realKey = rnd.nextInt(4) == 0;
    EdwardsPoint key = realKey ? null : HOSTILE_POINTS.get(rnd.nextInt(HOSTILE_POINTS.size()));
    byte[] pub = realKey ? lib.eddsaPublicKey(seed) : key == null ? randomBytes(rnd, 32) : key.toBytes();
    if (!realKey && rnd.nextInt(4) == 0) {
      pub = randomBytes(rnd, 32); // almost surely off the curve
    }
    byte[] msg = element(rnd.nextInt(8) == 0 ? P : boundary(rnd, P), 32);
    byte[] sig;
    boolean genuine = false;
    if (rnd.nextBoolean() && msg[0] < 0x40 && new BigInteger(1, msg).compareTo(P) < 0) {
      sig = lib.eddsaSign(seed, msg);
      genuine = realKey;
      if (rnd.nextBoolean()) { // a hostile S under a real R
        System.arraycopy(element(boundary(rnd, BigInteger.ONE.shiftLeft(256)), 32), 0, sig, 32, 32);
        genuine = genuine && Arrays.equals(sig, lib.eddsaSign(seed, msg));
      }
    } else {
      EdwardsPoint r = HOSTILE_POINTS.get(rnd.nextInt(HOSTILE_POINTS.size()));
      sig = concat(rnd.nextInt(3) == 0 ? BabyJubjub.BASE.toBytes() : r.toBytes(), element(boundary(rnd, BigInteger.ONE.shiftLeft(256)), 32));
    }
    byte[] fpub = pub;
    byte[] fsig = sig;
    Boolean ok = call(() -> lib.eddsaVerify(fpub, fsig, msg));
    if (genuine) {
      assertThat(ok).as("a genuine signature").isTrue();
    } else if (ok != null && key != null && !key.isInPrimeSubgroup()) {
      assertThat(ok).as("a key outside the prime-order subgroup (%s)", key).isFalse();
    }
  }

  private void poseidon2(SplittableRandom rnd) {
    int n = rnd.nextInt(6);
    Fr[] elems = new Fr[n];
    byte[] bytes = new byte[32 * n];
    boolean canonical = true;
    for (int i = 0; i < n; i++) {
      BigInteger v = rnd.nextInt(16) == 0 ? P.add(BigInteger.valueOf(rnd.nextInt(3))) : boundary(rnd, P);
      canonical &= v.compareTo(P) < 0;
      System.arraycopy(element(v, 32), 0, bytes, 32 * i, 32);
      elems[i] = canonical ? Fr.of(v.mod(P)) : null;
    }
    byte[] got = call(() -> lib.poseidon2Hash(bytes));
    if (canonical && n > 0) {
      assertThat(got).as("hash of canonical elements").isEqualTo(poseidon.hash(elems).toBytes());
    } else {
      assertThat(got).as("hash of nothing or of a non-canonical element").isNull();
    }
    if (n >= 2) {
      byte[] c = call(() -> lib.poseidon2Compress(Arrays.copyOfRange(bytes, 0, 32), Arrays.copyOfRange(bytes, 32, 64)));
      if (c != null) {
        assertThat(c).isEqualTo(poseidon.compress(Fr.fromBytes(Arrays.copyOfRange(bytes, 0, 32)), Fr.fromBytes(Arrays.copyOfRange(bytes, 32, 64))).toBytes());
      }
    }
  }

  private void smtRoot(SplittableRandom rnd) {
    int depth = rnd.nextInt(5) == 0 ? rnd.nextInt(-2, 40) : 1 + rnd.nextInt(32);
    int n = rnd.nextInt(5);
    ByteBuffer leaves = ByteBuffer.allocate(40 * n);
    for (int i = 0; i < n; i++) {
      long idx =
          switch (rnd.nextInt(4)) {
            case 0 -> depth >= 1 && depth < 64 ? (1L << depth) - 1 : -1L;
            case 1 -> depth >= 0 && depth < 63 ? 1L << depth : Long.MIN_VALUE;
            case 2 -> 0;
            default -> rnd.nextLong();
          };
      leaves.putLong(idx).put(element(boundary(rnd, P), 32));
    }
    call(() -> lib.smtRoot(depth, leaves.array()));
  }

  private void verify(SplittableRandom rnd) {
    byte[] pub = controlProof.publicInputs().clone();
    byte[] proof = controlProof.proof().clone();
    if (rnd.nextBoolean()) {
      int i = rnd.nextInt(4);
      System.arraycopy(element(boundary(rnd, P), 32), 0, pub, 32 * i, 32);
    }
    if (rnd.nextBoolean()) {
      int pos = rnd.nextInt(proof.length);
      proof[pos] ^= (byte) (1 + rnd.nextInt(255));
    }
    Boolean ok = call(() -> prover.verify(proof, pub));
    if (Boolean.TRUE.equals(ok)) {
      assertThat(pub).as("a proof verified for other public inputs").isEqualTo(controlProof.publicInputs());
    }
  }

  // ---- helpers ----

  /** Runs one call: its result, or null after a refusal with a caller's code. */
  private <T> T call(Supplier<T> c) {
    try {
      T out = c.get();
      answered++;
      return out;
    } catch (NativeProverException e) {
      assertThat(e.code()).as("%s", e.getMessage()).isIn(Code.INVALID_ARGUMENT, Code.RESOURCE_EXHAUSTED);
      refusals.merge(e.code(), 1L, Long::sum);
      return null;
    }
  }

  static BigInteger boundary(SplittableRandom rnd, BigInteger bound) {
    BigInteger v =
        rnd.nextInt(4) == 0
            ? new BigInteger(256, new java.util.Random(rnd.nextLong()))
            : BOUNDARIES[rnd.nextInt(BOUNDARIES.length)];
    return v.compareTo(bound) >= 0 ? (rnd.nextBoolean() ? bound.subtract(BigInteger.ONE) : v.mod(bound)) : v;
  }

  private static BigInteger[] boundaries() {
    List<BigInteger> out = new ArrayList<>();
    for (long v : new long[] {0, 1, 2}) {
      out.add(BigInteger.valueOf(v));
    }
    for (int bits : new int[] {11, 16, 32, 63, 64, 104, 112, 128, 160, 192, 253}) {
      BigInteger p2 = BigInteger.ONE.shiftLeft(bits);
      out.add(p2.subtract(BigInteger.ONE));
      out.add(p2);
    }
    out.add(BigInteger.ONE.shiftLeft(112).add(BigInteger.ONE));
    out.add(R.subtract(BigInteger.ONE));
    out.add(R);
    out.add(R.add(BigInteger.ONE));
    out.add(R.shiftLeft(3));
    out.add(P.subtract(BigInteger.TWO));
    out.add(P.subtract(BigInteger.ONE));
    return out.toArray(BigInteger[]::new);
  }

  /** A point of order 8 (native/batch's torsionPoints finds the same), its multiples, and each added to the base point. */
  private static List<EdwardsPoint> hostilePoints() {
    EdwardsPoint t =
        EdwardsPoint.of(
            Fr.of(new BigInteger("438929327410846936349781937479275998929723622237267896546408861753155634789")),
            Fr.of(new BigInteger("4826523245007015323400664741523384119579596407052839571721035538011798951543")));
    List<EdwardsPoint> out = new ArrayList<>();
    EdwardsPoint k = EdwardsPoint.IDENTITY;
    for (int i = 0; i < 8; i++) {
      out.add(k);
      k = k.add(t);
    }
    assertThat(k).isEqualTo(EdwardsPoint.IDENTITY);
    for (int i = 1; i < 8; i++) {
      out.add(BabyJubjub.BASE.add(out.get(i)));
    }
    return List.copyOf(out);
  }

  static BigInteger big(Fr x) {
    return new BigInteger(1, x.toBytes());
  }

  static byte[] element(BigInteger v, int n) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[n];
    int len = Math.min(b.length, n);
    System.arraycopy(b, b.length - len, out, n - len, len);
    return out;
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The batch witness's elements and their decoder ranges (docs/protocol.md, "Batch witness";
   * native/batch/witness.go {@code fields}), and mutations of a valid witness that stay inside them.
   */
  static final class HostileWitness {
    static final int HEADER = 8;
    static final int OWNER_TOKEN = -1;
    private static final int[] SLOT_HEAD = {2, 5, 11, 128, 5, 11, 160, 1, 16}; // opCode … token

    /** The bits bound of each element (0: any canonical element; -1: an ownerToken). */
    static int[] bounds(int b, int d) {
      List<Integer> out = new ArrayList<>();
      // oldRoot, newRoot, batchNumber, pubdataHash, rollupId, operator, fee, operatorKeyHash,
      // operatorOwnerToken, operatorBalance, operatorNonce, operatorSiblings
      for (int v : new int[] {0, 0, 64, 253, 64, d, 128, 0, OWNER_TOKEN, 128, 63}) {
        out.add(v);
      }
      for (int i = 0; i < d; i++) {
        out.add(0);
      }
      for (int j = 0; j < b; j++) {
        for (int v : SLOT_HEAD) {
          out.add(v);
        }
        for (int v : new int[] {d, 0, 0, OWNER_TOKEN, 128, 63}) { // sender index … nonce
          out.add(v);
        }
        for (int i = 0; i < d; i++) {
          out.add(0);
        }
        for (int v : new int[] {0, 0, 0, d, 0, OWNER_TOKEN, 128, 63, 1}) { // sig, receiver … isEmpty
          out.add(v);
        }
        for (int i = 0; i < d; i++) {
          out.add(0);
        }
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static byte[] mutate(byte[] base, int b, int d, SplittableRandom rnd, int ops) {
      byte[] w = base.clone();
      int[] bounds = bounds(b, d);
      assertThat(w.length).isEqualTo(HEADER + 32 * bounds.length);
      int slotLen = 24 + 2 * d;
      int first = 11 + d;
      for (int k = 0; k < ops; k++) {
        int slot = rnd.nextInt(b);
        int s0 = first + slot * slotLen;
        int i = rnd.nextInt(bounds.length);
        switch (rnd.nextInt(8)) {
          case 0, 1, 2 -> {
            if (bounds[i] == OWNER_TOKEN) {
              BigInteger owner = boundary(rnd, BigInteger.ONE.shiftLeft(160));
              BigInteger token = boundary(rnd, BigInteger.ONE.shiftLeft(16));
              put(w, i, owner.shiftLeft(32).add(token));
            } else {
              put(w, i, boundary(rnd, bounds[i] == 0 ? P : BigInteger.ONE.shiftLeft(bounds[i])));
            }
          }
          case 3 -> { // the sender's key: small order, outside the subgroup, or off the curve
            EdwardsPoint pt = HOSTILE_POINTS.get(rnd.nextInt(HOSTILE_POINTS.size()));
            boolean off = rnd.nextInt(4) == 0;
            put(w, s0 + 10, off ? boundary(rnd, P) : big(pt.x()));
            put(w, s0 + 11, off ? boundary(rnd, P) : big(pt.y()));
          }
          case 4 -> { // the signature: a hostile R, a boundary S
            EdwardsPoint pt = HOSTILE_POINTS.get(rnd.nextInt(HOSTILE_POINTS.size()));
            put(w, s0 + 15 + d, big(pt.x()));
            put(w, s0 + 16 + d, big(pt.y()));
            put(w, s0 + 17 + d, boundary(rnd, P));
          }
          case 5 -> { // a forged Merkle path: a sibling swapped with the receiver's, or replaced
            int lvl = rnd.nextInt(d);
            int a = s0 + 15 + lvl;
            int c = s0 + 24 + d + lvl;
            if (rnd.nextBoolean()) {
              BigInteger va = get(w, a);
              put(w, a, get(w, c));
              put(w, c, va);
            } else {
              put(w, a, boundary(rnd, P));
            }
          }
          case 6 -> { // a copy of another element of the same range (roots, counts, indices)
            int j = rnd.nextInt(bounds.length);
            if (bounds[j] == bounds[i] || (bounds[i] == 0 && bounds[j] > 0)) {
              put(w, i, get(w, j));
            }
          }
          default -> { // the first value out of range: the decoder must refuse it
            if (bounds[i] > 0) {
              put(w, i, BigInteger.ONE.shiftLeft(bounds[i]));
            }
          }
        }
      }
      return w;
    }

    private static BigInteger get(byte[] w, int i) {
      return new BigInteger(1, Arrays.copyOfRange(w, HEADER + 32 * i, HEADER + 32 * i + 32));
    }

    private static void put(byte[] w, int i, BigInteger v) {
      System.arraycopy(element(v, 32), 0, w, HEADER + 32 * i, 32);
    }
  }
}
