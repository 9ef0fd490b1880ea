package io.zkrollup.statetree;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Roots the Go reference tree (native/smt, over gnark-crypto's Poseidon2) computed for fixed leaf
 * sets ({@code native/testdata/smt_vectors.txt}, generated and checked by {@code
 * native/smt/smt_test.go}). The random cross-check against the native library itself runs in
 * prover-native (StateTreeNativeRootIT).
 */
class GoReferenceRootsTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  @Test
  void rootsMatchTheGoReference() throws IOException {
    List<String> lines = TestData.lines("smt_vectors.txt");
    int checked = 0;
    for (String line : lines) {
      String[] f = line.split(" ");
      assertThat(f[0]).isEqualTo("root");
      int depth = Integer.parseInt(f[1]);
      StateTree batched = new StateTree(new InMemoryTreeStore(depth), poseidon2, 0);
      StateTree oneByOne = new StateTree(new InMemoryTreeStore(depth), poseidon2, 0);
      if (!f[2].equals("-")) {
        String[] leaves = f[2].split(",");
        long[] indices = new long[leaves.length];
        Fr[] values = new Fr[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
          String[] kv = leaves[i].split(":");
          indices[i] = Long.parseLong(kv[0]);
          values[i] = Fr.fromHex(kv[1]);
          oneByOne.put(indices[i], values[i]);
        }
        batched.putAll(indices, values);
      }
      Fr expected = Fr.fromHex(f[3]);
      assertThat(batched.root()).as(line).isEqualTo(expected);
      assertThat(oneByOne.root()).as(line).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(13);
  }
}
