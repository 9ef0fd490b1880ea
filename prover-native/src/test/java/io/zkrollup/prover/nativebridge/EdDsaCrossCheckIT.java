package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.BabyJubjub;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.eddsa.EdwardsPoint;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The Java EdDSA (circuits) against gnark-crypto through the bridge on random input: identical keys
 * and signature bytes, each side accepts the other's signatures, and both sides classify tampered
 * and random bytes the same way (valid, invalid, or refused as malformed).
 */
class EdDsaCrossCheckIT {

  private static final int ROUNDS = 256;

  private final LibZkProver prover = LibZkProver.load();
  private final Random random = new Random(0x5eed_eddaL);

  /** How one side judged a (public key, signature, message) triple. */
  private enum Outcome {
    VALID,
    INVALID,
    REFUSED
  }

  private Fr randomMessage() {
    return Fr.reduce(new BigInteger(256, random));
  }

  private static Outcome javaVerify(byte[] pub, byte[] sig, Fr message) {
    try {
      EdDsaPublicKey key = EdDsaPublicKey.fromBytes(pub);
      EdDsaSignature signature = EdDsaSignature.fromBytes(sig);
      return key.verify(signature, message) ? Outcome.VALID : Outcome.INVALID;
    } catch (IllegalArgumentException e) {
      return Outcome.REFUSED;
    }
  }

  private Outcome nativeVerify(byte[] pub, byte[] sig, byte[] message) {
    try {
      return prover.eddsaVerify(pub, sig, message) ? Outcome.VALID : Outcome.INVALID;
    } catch (NativeProverException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT);
      return Outcome.REFUSED;
    }
  }

  @Test
  void javaAndNativeKeysAndSignaturesAreIdenticalAndCrossVerify() {
    for (int i = 0; i < ROUNDS; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Fr message = i < 3 ? new Fr[] {Fr.ZERO, Fr.ONE, Fr.reduce(BigInteger.ONE.negate())}[i] : randomMessage();
      byte[] msg = message.toBytes();
      String what = "seed " + HexFormat.of().formatHex(seed) + ", message " + message;

      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
      byte[] pub = key.publicKey().toBytes();
      assertThat(prover.eddsaPublicKey(seed)).as(what).isEqualTo(pub);

      byte[] javaSig = key.sign(message).toBytes();
      byte[] nativeSig = prover.eddsaSign(seed, msg);
      assertThat(javaSig).as(what).isEqualTo(nativeSig);

      assertThat(prover.eddsaVerify(pub, javaSig, msg)).as(what).isTrue();
      assertThat(key.publicKey().verify(EdDsaSignature.fromBytes(nativeSig), message)).as(what).isTrue();

      // well-formed tampering: S + 1, another message, another key
      EdDsaSignature parsed = EdDsaSignature.fromBytes(nativeSig);
      BigInteger s1 = parsed.s().add(BigInteger.ONE).mod(BabyJubjub.ORDER);
      if (s1.signum() != 0) {
        byte[] tampered = EdDsaSignature.of(parsed.r(), s1).toBytes();
        assertThat(nativeVerify(pub, tampered, msg)).as(what).isEqualTo(Outcome.INVALID);
        assertThat(javaVerify(pub, tampered, message)).as(what).isEqualTo(Outcome.INVALID);
      }
      Fr other = message.add(Fr.ONE);
      assertThat(nativeVerify(pub, nativeSig, other.toBytes())).as(what).isEqualTo(Outcome.INVALID);
      assertThat(javaVerify(pub, nativeSig, other)).as(what).isEqualTo(Outcome.INVALID);
      byte[] otherPub = EdDsaPublicKey.of(key.publicKey().point().add(BabyJubjub.BASE)).toBytes();
      assertThat(nativeVerify(otherPub, nativeSig, msg)).as(what).isEqualTo(Outcome.INVALID);
      assertThat(javaVerify(otherPub, nativeSig, message)).as(what).isEqualTo(Outcome.INVALID);
    }
  }

  @Test
  void bothSidesJudgeBitFlippedSignaturesAndKeysAlike() {
    int[] counts = new int[Outcome.values().length];
    for (int i = 0; i < ROUNDS; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Fr message = randomMessage();
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
      byte[] pub = key.publicKey().toBytes();
      byte[] sig = key.sign(message).toBytes();
      byte[] flippedSig = sig.clone();
      int bit = random.nextInt(512);
      flippedSig[bit / 8] ^= (byte) (1 << (bit % 8));
      byte[] flippedPub = pub.clone();
      int pubBit = random.nextInt(256);
      flippedPub[pubBit / 8] ^= (byte) (1 << (pubBit % 8));
      byte[] msg = message.toBytes();
      for (byte[][] triple : new byte[][][] {{pub, flippedSig}, {flippedPub, sig}}) {
        Outcome java = javaVerify(triple[0], triple[1], message);
        assertThat(nativeVerify(triple[0], triple[1], msg))
            .as("pub %s sig %s", HexFormat.of().formatHex(triple[0]), HexFormat.of().formatHex(triple[1]))
            .isEqualTo(java);
        assertThat(java).isNotEqualTo(Outcome.VALID);
        counts[java.ordinal()]++;
      }
    }
    // both kinds of outcome occur, so both paths were compared
    assertThat(counts[Outcome.INVALID.ordinal()]).isGreaterThan(20);
    assertThat(counts[Outcome.REFUSED.ordinal()]).isGreaterThan(20);
  }

  @Test
  void bothSidesDecodeRandomPublicKeysAndSignaturesAlike() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    Fr message = randomMessage();
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    byte[] pub = key.publicKey().toBytes();
    byte[] sig = key.sign(message).toBytes();
    int acceptedKeys = 0;
    int acceptedSigs = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] randomPub = new byte[32];
      random.nextBytes(randomPub);
      Outcome java = javaVerify(randomPub, sig, message);
      assertThat(nativeVerify(randomPub, sig, message.toBytes()))
          .as("public key %s", HexFormat.of().formatHex(randomPub))
          .isEqualTo(java);
      acceptedKeys += java == Outcome.REFUSED ? 0 : 1;

      byte[] randomSig = new byte[64];
      random.nextBytes(randomSig);
      randomSig[31] &= (byte) 0xbf; // R.y often below p
      randomSig[32] &= 0x03; // S often below the order
      Outcome javaSig = javaVerify(pub, randomSig, message);
      assertThat(nativeVerify(pub, randomSig, message.toBytes()))
          .as("signature %s", HexFormat.of().formatHex(randomSig))
          .isEqualTo(javaSig);
      acceptedSigs += javaSig == Outcome.REFUSED ? 0 : 1;
    }
    // random y: about half decode, one in eight of those lies in the subgroup
    assertThat(acceptedKeys).isBetween(50, 250);
    assertThat(acceptedSigs).isGreaterThan(20);
  }

  @Test
  void nonCanonicalAndTorsionKeysAreJudgedAlike() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    Fr message = randomMessage();
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    EdwardsPoint a = key.publicKey().point();
    byte[] pub = a.toBytes();
    byte[] sig = key.sign(message).toBytes();

    // y + p: gnark-crypto reduces it, and so does Java
    byte[] alias = withY(pub, a.y().toBigInteger().add(Fr.MODULUS));
    assertThat(javaVerify(alias, sig, message)).isEqualTo(Outcome.VALID);
    assertThat(nativeVerify(alias, sig, message.toBytes())).isEqualTo(Outcome.VALID);

    EdwardsPoint order2 = EdwardsPoint.of(Fr.ZERO, Fr.reduce(BigInteger.ONE.negate()));
    for (EdwardsPoint bad : new EdwardsPoint[] {EdwardsPoint.IDENTITY, order2, a.add(order2)}) {
      assertThat(javaVerify(bad.toBytes(), sig, message)).isEqualTo(Outcome.REFUSED);
      assertThat(nativeVerify(bad.toBytes(), sig, message.toBytes())).isEqualTo(Outcome.REFUSED);
    }
  }

  private static byte[] withY(byte[] encoded, BigInteger y) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) y.shiftRight(8 * i).intValue();
    }
    out[31] = (byte) ((out[31] & 0x7f) | (encoded[31] & 0x80));
    return out;
  }

  @Test
  void signaturesMadeInParallelAgree() throws Exception {
    Supplier<Boolean> task =
        () -> {
          Random r = new Random(Thread.currentThread().getId());
          for (int i = 0; i < 32; i++) {
            byte[] seed = new byte[32];
            r.nextBytes(seed);
            Fr m = Fr.reduce(new BigInteger(256, r));
            byte[] javaSig = EdDsaPrivateKey.fromSeed(seed).sign(m).toBytes();
            if (!Arrays.equals(javaSig, prover.eddsaSign(seed, m.toBytes()))) {
              return false;
            }
          }
          return true;
        };
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(task::get));
      }
      for (var f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
