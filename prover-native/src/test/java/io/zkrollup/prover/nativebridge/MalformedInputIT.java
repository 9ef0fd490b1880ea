package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.prover.nativebridge.NativeProverException.Code;
import io.zkrollup.prover.nativebridge.Poseidon2Vectors.Vector;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets a {@link NativeProverException} with the right code, and the JVM
 * (this test process) keeps running. The library must still give correct answers afterwards.
 */
class MalformedInputIT {

  private static final BigInteger MODULUS =
      new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");

  private final LibZkProver prover = LibZkProver.load();

  static byte[] element(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  private static void assertRejected(Supplier<?> call, Code code, String messagePart) {
    assertThatThrownBy(call::get)
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void wrongLengthsAreInvalidArguments() {
    assertRejected(() -> prover.poseidon2Permute(new byte[63]), Code.INVALID_ARGUMENT, "64 bytes");
    assertRejected(() -> prover.poseidon2Permute(new byte[65]), Code.INVALID_ARGUMENT, "64 bytes");
    assertRejected(() -> prover.poseidon2Compress(new byte[31], new byte[32]), Code.INVALID_ARGUMENT, "32 bytes");
    assertRejected(() -> prover.poseidon2Compress(new byte[32], new byte[33]), Code.INVALID_ARGUMENT, "32 bytes");
    assertRejected(() -> prover.poseidon2Hash(new byte[33]), Code.INVALID_ARGUMENT, "multiple of 32");
    assertRejected(() -> prover.poseidon2Hash(new byte[1]), Code.INVALID_ARGUMENT, "multiple of 32");
  }

  @Test
  void emptyAndNullArraysAreInvalidArguments() {
    assertRejected(() -> prover.poseidon2Permute(new byte[0]), Code.INVALID_ARGUMENT, "64 bytes");
    assertRejected(() -> prover.poseidon2Hash(new byte[0]), Code.INVALID_ARGUMENT, "at least one");
    assertRejected(() -> prover.poseidon2Permute(null), Code.INVALID_ARGUMENT, "state must not be null");
    assertRejected(() -> prover.poseidon2Compress(new byte[32], null), Code.INVALID_ARGUMENT, "right must not be null");
    assertRejected(() -> prover.poseidon2Hash(null), Code.INVALID_ARGUMENT, "elements must not be null");
  }

  @Test
  void nonCanonicalFieldElementsAreInvalidArguments() {
    byte[] p = element(MODULUS);
    byte[] pPlus1 = element(MODULUS.add(BigInteger.ONE));
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    byte[] pMinus1 = element(MODULUS.subtract(BigInteger.ONE));

    assertRejected(() -> prover.poseidon2Compress(p, new byte[32]), Code.INVALID_ARGUMENT, "not canonical");
    assertRejected(() -> prover.poseidon2Compress(new byte[32], allOnes), Code.INVALID_ARGUMENT, "not canonical");
    assertRejected(() -> prover.poseidon2Permute(concat(pMinus1, pPlus1)), Code.INVALID_ARGUMENT, "element 1");
    assertRejected(() -> prover.poseidon2Hash(concat(pMinus1, pMinus1, p)), Code.INVALID_ARGUMENT, "element 2");
    // p - 1 is the largest canonical value and is accepted.
    assertThat(prover.poseidon2Compress(pMinus1, pMinus1)).hasSize(32);
  }

  @Test
  void hugeArraysAreRefusedWithoutBeingHashed() {
    assertRejected(() -> prover.poseidon2Hash(new byte[32 * 32769]), Code.RESOURCE_EXHAUSTED, "32768 elements");
    // Over the bridge's copy limit: refused by the shim before any native copy is made.
    assertRejected(() -> prover.poseidon2Hash(new byte[257 << 20]), Code.RESOURCE_EXHAUSTED, "bridge limit");
  }

  @Test
  void inputsAreNotModified() {
    byte[] left = element(BigInteger.valueOf(5));
    byte[] right = element(BigInteger.valueOf(7));
    byte[] leftCopy = left.clone();
    byte[] rightCopy = right.clone();
    prover.poseidon2Compress(left, right);
    assertThat(left).isEqualTo(leftCopy);
    assertThat(right).isEqualTo(rightCopy);
  }

  @Test
  void badHandlesAreInvalidHandleErrors() {
    for (long forged : new long[] {0, -1, 42_424_242, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertRejected(() -> NativeCalls.hasherDigest(forged), Code.INVALID_HANDLE, "unknown or released handle");
      assertRejected(
          () -> {
            NativeCalls.hasherWrite(forged, new byte[32]);
            return null;
          },
          Code.INVALID_HANDLE,
          "handle");
    }
    long h = NativeCalls.hasherCreate();
    NativeCalls.release(h);
    assertRejected(
        () -> {
          NativeCalls.release(h);
          return null;
        },
        Code.INVALID_HANDLE,
        "unknown or released handle");
    assertRejected(() -> NativeCalls.hasherDigest(h), Code.INVALID_HANDLE, "unknown or released handle");
  }

  @Test
  void aClosedHasherIsRefusedOnTheJavaSide() {
    Poseidon2Hasher hasher = prover.newPoseidon2Hasher();
    hasher.close();
    hasher.close(); // idempotent
    assertThatThrownBy(hasher::digest).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> hasher.write(new byte[32])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRejectedWriteLeavesTheHasherUnchanged() {
    try (Poseidon2Hasher hasher = prover.newPoseidon2Hasher()) {
      assertRejected(hasher::digest, Code.INVALID_ARGUMENT, "at least one");
      hasher.write(element(BigInteger.ONE));
      assertRejected(
          () -> {
            hasher.write(concat(element(BigInteger.TWO), element(MODULUS)));
            return null;
          },
          Code.INVALID_ARGUMENT,
          "not canonical");
      assertThat(hasher.digest()).isEqualTo(prover.poseidon2Hash(element(BigInteger.ONE)));
    }
  }

  /**
   * Go panics become exceptions and the library keeps working. The panics are raised by a test
   * hook of the fault-injection build, which only a child JVM loads: the production library has
   * no such hook.
   */
  @Test
  void goPanicsBecomeExceptionsAndTheLibraryKeepsWorking(@TempDir Path dir) throws Exception {
    FaultInjection.Child child = FaultInjection.run(dir, Duration.ofMinutes(2), Map.of(), PanicRecoveryMain.class);
    assertThat(child.exitCode()).as(child.output()).isZero();
    for (FaultInjection.PanicKind kind : FaultInjection.PanicKind.values()) {
      assertThat(child.output())
          .as("%s\n%s", kind, child.output())
          .contains("kind=" + kind + " code=PANIC nativePanic=true goroutine=true worksAfterwards=true");
    }
  }

  /** Random bytes of random lengths into every entry point: a result or a clean error, nothing else. */
  @Test
  void randomBytesIntoEveryEntryPointNeverEscapeAsAnythingButNativeProverException() {
    Random random = new Random(20261124);
    long handlesBefore = prover.liveHandles();
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] a = randomBytes(random);
      byte[] b = randomBytes(random);
      long randomHandle = random.nextBoolean() ? random.nextLong() : random.nextInt(1000);
      Supplier<?>[] calls = {
        () -> prover.poseidon2Permute(a),
        () -> prover.poseidon2Compress(a, b),
        () -> prover.poseidon2Hash(a),
        () -> NativeCalls.hasherDigest(randomHandle),
        () -> {
          NativeCalls.hasherWrite(randomHandle, a);
          return null;
        },
        () -> {
          try (Poseidon2Hasher hasher = prover.newPoseidon2Hasher()) {
            hasher.write(a);
            return hasher.digest();
          }
        },
      };
      for (Supplier<?> call : calls) {
        try {
          Object out = call.get();
          if (out instanceof byte[] digest) {
            assertThat(digest.length).isIn(32, 64);
          }
        } catch (NativeProverException e) {
          assertThat(e.code()).isIn(Code.INVALID_ARGUMENT, Code.INVALID_HANDLE, Code.RESOURCE_EXHAUSTED);
          rejected++;
        }
      }
      if (random.nextInt(10) == 0) {
        try {
          NativeCalls.release(randomHandle);
        } catch (NativeProverException e) {
          assertThat(e.code()).isEqualTo(Code.INVALID_HANDLE);
        }
      }
    }
    assertThat(rejected).isGreaterThan(1000);
    assertThat(prover.liveHandles()).isLessThanOrEqualTo(handlesBefore);
  }

  private static byte[] randomBytes(Random random) {
    int len =
        switch (random.nextInt(5)) {
          case 0 -> 32;
          case 1 -> 64;
          case 2 -> 32 * random.nextInt(4);
          default -> random.nextInt(130);
        };
    byte[] out = new byte[len];
    random.nextBytes(out);
    if (len > 0 && random.nextBoolean()) {
      for (int off = 0; off < len; off += 32) {
        out[off] &= 0x1f; // often canonical, so the success path is exercised too
      }
    }
    return out;
  }
}
