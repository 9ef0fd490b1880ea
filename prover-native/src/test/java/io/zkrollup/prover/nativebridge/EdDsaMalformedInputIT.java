package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.prover.nativebridge.NativeProverException.Code;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the three EdDSA entry points is a {@link NativeProverException} with {@code
 * INVALID_ARGUMENT}, never a crash, and the library keeps answering correctly. (The pattern of
 * {@code MalformedInputIT}, for the EdDSA calls.)
 */
class EdDsaMalformedInputIT {

  private static final BigInteger MODULUS =
      new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");

  private final LibZkProver prover = LibZkProver.load();
  private final byte[] seed = seed(3);
  private final byte[] message = element(BigInteger.valueOf(42));
  private final byte[] pub = prover.eddsaPublicKey(seed);
  private final byte[] sig = prover.eddsaSign(seed, message);

  private static byte[] seed(int fill) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) fill);
    return s;
  }

  private static byte[] element(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }

  private static void assertInvalid(Supplier<?> call, String messagePart) {
    assertThatThrownBy(call::get)
        .isInstanceOfSatisfying(
            NativeProverException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
        .hasMessageContaining(messagePart);
  }

  @Test
  void wrongLengthsAreInvalidArguments() {
    assertInvalid(() -> prover.eddsaPublicKey(new byte[31]), "seed must be 32 bytes, got 31");
    assertInvalid(() -> prover.eddsaPublicKey(new byte[33]), "seed must be 32 bytes, got 33");
    assertInvalid(() -> prover.eddsaSign(new byte[64], message), "seed must be 32 bytes");
    assertInvalid(() -> prover.eddsaSign(seed, new byte[31]), "message must be one field element of 32 bytes");
    assertInvalid(() -> prover.eddsaSign(seed, new byte[64]), "message must be one field element");
    assertInvalid(() -> prover.eddsaVerify(new byte[31], sig, message), "public key must be 32 bytes");
    assertInvalid(() -> prover.eddsaVerify(new byte[64], sig, message), "public key must be 32 bytes");
    assertInvalid(() -> prover.eddsaVerify(pub, Arrays.copyOf(sig, 63), message), "signature must be 64 bytes");
    assertInvalid(() -> prover.eddsaVerify(pub, Arrays.copyOf(sig, 96), message), "signature must be 64 bytes");
    assertInvalid(() -> prover.eddsaVerify(pub, sig, new byte[33]), "message must be one field element");
    // large (but under the bridge's copy limit): refused on length, not processed
    assertInvalid(() -> prover.eddsaVerify(new byte[1 << 20], sig, message), "got 1048576");
    assertInvalid(() -> prover.eddsaSign(seed, new byte[1 << 20]), "got 1048576 bytes");
  }

  @Test
  void emptyAndNullArraysAreInvalidArguments() {
    assertInvalid(() -> prover.eddsaPublicKey(new byte[0]), "seed must be 32 bytes, got 0");
    assertInvalid(() -> prover.eddsaSign(seed, new byte[0]), "got 0 bytes");
    assertInvalid(() -> prover.eddsaVerify(new byte[0], sig, message), "public key must be 32 bytes, got 0");
    assertInvalid(() -> prover.eddsaVerify(pub, new byte[0], message), "signature must be 64 bytes, got 0");
    assertInvalid(() -> prover.eddsaPublicKey(null), "seed must not be null");
    assertInvalid(() -> prover.eddsaSign(null, message), "seed must not be null");
    assertInvalid(() -> prover.eddsaSign(seed, null), "message must not be null");
    assertInvalid(() -> prover.eddsaVerify(null, sig, message), "publicKey must not be null");
    assertInvalid(() -> prover.eddsaVerify(pub, null, message), "signature must not be null");
    assertInvalid(() -> prover.eddsaVerify(pub, sig, null), "message must not be null");
  }

  @Test
  void nonCanonicalMessagesAreInvalidArguments() {
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    for (byte[] bad : new byte[][] {element(MODULUS), element(MODULUS.add(BigInteger.ONE)), allOnes}) {
      assertInvalid(() -> prover.eddsaSign(seed, bad), "message is not canonical");
      assertInvalid(() -> prover.eddsaVerify(pub, sig, bad), "message is not canonical");
    }
    // p - 1 is the largest canonical message
    byte[] pMinus1 = element(MODULUS.subtract(BigInteger.ONE));
    assertThat(prover.eddsaVerify(pub, prover.eddsaSign(seed, pMinus1), pMinus1)).isTrue();
  }

  @Test
  void undecodableKeysAndSignaturesAreInvalidArgumentsButWrongOnesAreFalse() {
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertInvalid(() -> prover.eddsaVerify(identity, sig, message), "identity");
    byte[] zeroS = sig.clone();
    Arrays.fill(zeroS, 32, 64, (byte) 0);
    assertInvalid(() -> prover.eddsaVerify(pub, zeroS, message), "signature");
    byte[] bigS = sig.clone();
    Arrays.fill(bigS, 32, 64, (byte) 0xff);
    assertInvalid(() -> prover.eddsaVerify(pub, bigS, message), "signature");
    // well-formed but wrong: false, not an error
    assertThat(prover.eddsaVerify(pub, sig, element(BigInteger.valueOf(43)))).isFalse();
    assertThat(prover.eddsaVerify(prover.eddsaPublicKey(seed(4)), sig, message)).isFalse();
  }

  @Test
  void inputsAreNotModified() {
    byte[] s = seed.clone();
    byte[] m = message.clone();
    byte[] p = pub.clone();
    byte[] g = sig.clone();
    prover.eddsaPublicKey(s);
    prover.eddsaSign(s, m);
    prover.eddsaVerify(p, g, m);
    assertThat(s).isEqualTo(seed);
    assertThat(m).isEqualTo(message);
    assertThat(p).isEqualTo(pub);
    assertThat(g).isEqualTo(sig);
  }

  /** Random bytes of random lengths into every EdDSA entry point: a result or a clean error. */
  @Test
  void randomBytesNeverEscapeAsAnythingButInvalidArgument() {
    Random random = new Random(20261125);
    int rejected = 0;
    int answered = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] a = randomBytes(random);
      byte[] b = randomBytes(random);
      byte[] c = randomBytes(random);
      Supplier<?>[] calls = {
        () -> prover.eddsaPublicKey(a),
        () -> prover.eddsaSign(a, b),
        () -> prover.eddsaVerify(a, b, c),
        () -> prover.eddsaVerify(pub, b, message),
        () -> prover.eddsaVerify(a, sig, message),
      };
      for (Supplier<?> call : calls) {
        try {
          Object out = call.get();
          if (out instanceof byte[] bytes) {
            assertThat(bytes.length).isIn(32, 64);
          }
          answered++;
        } catch (NativeProverException e) {
          assertThat(e.code()).as(e.getMessage()).isEqualTo(Code.INVALID_ARGUMENT);
          rejected++;
        }
      }
    }
    assertThat(rejected).isGreaterThan(5000);
    assertThat(answered).isGreaterThan(1000);
    // and the library still gives the right answers
    assertThat(prover.eddsaSign(seed, message)).isEqualTo(sig);
    assertThat(prover.eddsaVerify(pub, sig, message)).isTrue();
  }

  private static byte[] randomBytes(Random random) {
    int len =
        switch (random.nextInt(6)) {
          case 0, 1 -> 32;
          case 2 -> 64;
          case 3 -> 32 * random.nextInt(4);
          default -> random.nextInt(130);
        };
    byte[] out = new byte[len];
    random.nextBytes(out);
    if (len > 0 && random.nextBoolean()) {
      out[0] &= 0x1f; // often canonical as a big-endian element, so the success path runs too
    }
    return out;
  }
}
