package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Java Poseidon2 (state-tree) against gnark-crypto's, through libzkprover, on random inputs. */
class Poseidon2NativeCrossCheckIT {

  private final LibZkProver lib = LibZkProver.load();
  private final Poseidon2 poseidon2 = new Poseidon2();

  /** Random elements, with the edge values 0, 1 and p-1 mixed in. */
  static Fr element(SplittableRandom random) {
    switch (random.nextInt(10)) {
      case 0:
        return Fr.ZERO;
      case 1:
        return Fr.ONE;
      case 2:
        return Fr.of(Fr.MODULUS.subtract(BigInteger.ONE));
      default:
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Fr.reduce(new BigInteger(1, b));
    }
  }

  private static byte[] concat(List<Fr> elements) {
    byte[] out = new byte[elements.size() * Fr.BYTES];
    for (int i = 0; i < elements.size(); i++) {
      elements.get(i).writeBytes(out, i * Fr.BYTES);
    }
    return out;
  }

  @Test
  void permutationCompressionAndHashAgreeWithGnarkCrypto() {
    SplittableRandom random = new SplittableRandom(0xC0FFEE);
    for (int i = 0; i < 1500; i++) {
      Fr a = element(random);
      Fr b = element(random);
      Fr[] permuted = poseidon2.permute(a, b);
      assertThat(lib.poseidon2Permute(concat(List.of(a, b))))
          .as("permute(%s, %s)", a, b)
          .isEqualTo(concat(List.of(permuted)));
      assertThat(lib.poseidon2Compress(a.toBytes(), b.toBytes()))
          .as("compress(%s, %s)", a, b)
          .isEqualTo(poseidon2.compress(a, b).toBytes());
      List<Fr> message = new ArrayList<>();
      int n = 1 + random.nextInt(12);
      for (int k = 0; k < n; k++) {
        message.add(element(random));
      }
      assertThat(lib.poseidon2Hash(concat(message)))
          .as("hash of %s", message)
          .isEqualTo(poseidon2.hash(message).toBytes());
    }
  }
}
