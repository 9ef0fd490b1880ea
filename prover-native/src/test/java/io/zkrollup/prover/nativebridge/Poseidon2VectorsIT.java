package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.prover.nativebridge.Poseidon2Vectors.Vector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Poseidon2 through JNI gives exactly the values gnark-crypto produced in native/'s Go test. */
class Poseidon2VectorsIT {

  private final LibZkProver prover = LibZkProver.load();
  private final Poseidon2Vectors vectors = Poseidon2Vectors.load();

  @Test
  void permutationMatchesGnarkCrypto() {
    assertThat(vectors.of("permute")).hasSizeGreaterThanOrEqualTo(50);
    for (Vector v : vectors.of("permute")) {
      assertThat(prover.poseidon2Permute(v.input())).as(v.line()).isEqualTo(v.output());
    }
  }

  @Test
  void compressionMatchesGnarkCrypto() {
    assertThat(vectors.of("compress")).hasSizeGreaterThanOrEqualTo(50);
    for (Vector v : vectors.of("compress")) {
      byte[] left = Arrays.copyOfRange(v.input(), 0, 32);
      byte[] right = Arrays.copyOfRange(v.input(), 32, 64);
      assertThat(prover.poseidon2Compress(left, right)).as(v.line()).isEqualTo(v.output());
    }
  }

  @Test
  void hashMatchesGnarkCrypto() {
    assertThat(vectors.of("hash")).hasSizeGreaterThanOrEqualTo(5);
    for (Vector v : vectors.of("hash")) {
      assertThat(prover.poseidon2Hash(v.input())).as(v.line()).isEqualTo(v.output());
    }
  }

  @Test
  void incrementalHasherMatchesOneShotHashAndReleasesItsHandle() {
    long before = prover.liveHandles();
    for (Vector v : vectors.of("hash")) {
      try (Poseidon2Hasher hasher = prover.newPoseidon2Hasher()) {
        assertThat(prover.liveHandles()).isEqualTo(before + 1);
        for (int off = 0; off < v.input().length; off += 32) {
          hasher.write(Arrays.copyOfRange(v.input(), off, off + 32));
        }
        assertThat(hasher.digest()).as(v.line()).isEqualTo(v.output());
      }
    }
    assertThat(prover.liveHandles()).isEqualTo(before);
  }
}
