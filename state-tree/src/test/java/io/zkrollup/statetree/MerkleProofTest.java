package io.zkrollup.statetree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MerkleProofTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  private StateTree populated(int depth, long seed) {
    StateTree t = new StateTree(new InMemoryTreeStore(depth), poseidon2, 0);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 12; i++) {
      t.put(random.nextLong(1L << depth), StateTreeTest.randomElement(random));
    }
    return t;
  }

  /** A serialized proof is accepted only if it parses and proves {@code leaf} at {@code index}. */
  private boolean accepted(byte[] bytes, Fr root, long index, Fr leaf) {
    MerkleProof proof;
    try {
      proof = MerkleProof.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return proof.verifyLeaf(poseidon2, root, index, leaf);
  }

  /** Parses and checks only the path's consistency with the root, for whatever claim it carries. */
  private boolean pathConsistent(byte[] bytes, Fr root) {
    try {
      return MerkleProof.fromBytes(bytes).verify(poseidon2, root);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void tamperingWithAnyByteOfAMembershipProofFailsVerification() {
    StateTree t = populated(8, 1);
    long index = firstNonEmpty(t);
    Fr leaf = t.get(index);
    byte[] bytes = t.proof(index).toBytes();
    Fr root = t.root();
    assertThat(accepted(bytes, root, index, leaf)).isTrue();
    assertThat(bytes).hasSize(MerkleProof.serializedSize(8));
    for (int i = 0; i < bytes.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] tampered = bytes.clone();
        tampered[i] ^= (byte) flip;
        assertThat(accepted(tampered, root, index, leaf)).as("byte %d ^ 0x%02x", i, flip).isFalse();
        // For a member, even the bare path check fails: no other claim hashes to this root.
        assertThat(pathConsistent(tampered, root)).as("byte %d ^ 0x%02x", i, flip).isFalse();
      }
    }
  }

  @Test
  void tamperingWithAnyByteOfANonMembershipProofFailsVerification() {
    StateTree t = populated(16, 2);
    long index = 0;
    while (!t.get(index).isZero()) {
      index++;
    }
    MerkleProof proof = t.proof(index);
    Fr root = t.root();
    assertThat(proof.verifyNonMembership(poseidon2, root, index)).isTrue();
    byte[] bytes = proof.toBytes();
    for (int i = 0; i < bytes.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] tampered = bytes.clone();
        tampered[i] ^= (byte) flip;
        boolean acceptedAsEmpty;
        try {
          acceptedAsEmpty = MerkleProof.fromBytes(tampered).verifyNonMembership(poseidon2, root, index);
        } catch (IllegalArgumentException e) {
          acceptedAsEmpty = false;
        }
        assertThat(acceptedAsEmpty).as("byte %d ^ 0x%02x", i, flip).isFalse();
      }
    }
  }

  @Test
  void aNonMembershipPathInsideAnEmptyRegionAlsoProvesItsNeighboursEmpty() {
    // Why verifiers must bind the index: leaves 0 and 256 both sit in empty 256-leaf subtrees, so
    // the same siblings prove both empty. The claim changes, and the changed claim is true.
    StateTree t = new StateTree(new InMemoryTreeStore(16), poseidon2, 0);
    t.put(40_000, Fr.ONE);
    MerkleProof forZero = t.proof(0);
    MerkleProof forOther = new MerkleProof(16, 256, Fr.ZERO, forZero.siblings());
    assertThat(forOther.verifyNonMembership(poseidon2, t.root(), 256)).isTrue();
    assertThat(t.get(256)).isEqualTo(Fr.ZERO);
    assertThat(forOther.verifyNonMembership(poseidon2, t.root(), 0)).isFalse();
  }

  @Test
  void serializationRoundTripsAndIsStrict() {
    StateTree t = populated(4, 3);
    MerkleProof proof = t.proof(5);
    assertThat(MerkleProof.fromBytes(proof.toBytes())).isEqualTo(proof);
    byte[] bytes = proof.toBytes();
    assertThatThrownBy(() -> MerkleProof.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleProof.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length + 32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleProof.fromBytes(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    byte[] badDepth = bytes.clone();
    badDepth[0] = 0;
    assertThatThrownBy(() -> MerkleProof.fromBytes(badDepth)).isInstanceOf(IllegalArgumentException.class);
    byte[] badIndex = bytes.clone();
    badIndex[8] = 16; // index 16 in a depth-4 tree
    assertThatThrownBy(() -> MerkleProof.fromBytes(badIndex)).isInstanceOf(IllegalArgumentException.class);
    byte[] nonCanonical = bytes.clone();
    for (int i = 9; i < 41; i++) {
      nonCanonical[i] = (byte) 0xff;
    }
    assertThatThrownBy(() -> MerkleProof.fromBytes(nonCanonical))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
    assertThatThrownBy(() -> new MerkleProof(4, 3, Fr.ONE, List.of(Fr.ONE)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MerkleProof(4, -1, Fr.ONE, List.of(Fr.ONE, Fr.ONE, Fr.ONE, Fr.ONE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long firstNonEmpty(StateTree t) {
    for (long i = 0; ; i++) {
      if (!t.get(i).isZero()) {
        return i;
      }
    }
  }
}
