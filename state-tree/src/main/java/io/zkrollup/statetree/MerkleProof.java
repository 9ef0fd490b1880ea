package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import io.zkrollup.statetree.hash.Poseidon2;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A Merkle path: the claim that the leaf at {@code index} of a tree of {@code depth} levels holds
 * {@code leaf}, with the sibling of each node on the path, bottom-up ({@code siblings.get(0)} is
 * the leaf's sibling). With an empty leaf (0) it proves non-membership: no account at that index.
 *
 * <p>Serialized form ({@link #toBytes()}): depth (1 byte), index (8 bytes, big-endian), leaf (32
 * bytes), then the {@code depth} siblings (32 bytes each); every element canonical. {@link
 * #fromBytes} accepts exactly that and nothing else.
 *
 * @param depth the tree depth, 1..{@value StateTree#MAX_DEPTH}
 * @param index the leaf index, {@code 0 .. 2^depth - 1}
 * @param leaf the leaf value (0 for an empty leaf)
 * @param siblings {@code depth} sibling hashes, bottom-up
 */
public record MerkleProof(int depth, long index, Fr leaf, List<Fr> siblings) {

  private static final int HEADER_BYTES = 1 + 8 + Fr.BYTES;

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the depth, index or number of siblings are inconsistent
   */
  public MerkleProof {
    if (depth < 1 || depth > StateTree.MAX_DEPTH) {
      throw new IllegalArgumentException("proof depth must be 1.." + StateTree.MAX_DEPTH + ", got " + depth);
    }
    if (index < 0 || (depth < 63 && (index >>> depth) != 0)) {
      throw new IllegalArgumentException("leaf index " + index + " is outside 0..2^" + depth + "-1");
    }
    Objects.requireNonNull(leaf, "leaf");
    siblings = List.copyOf(siblings);
    if (siblings.size() != depth) {
      throw new IllegalArgumentException("a proof of depth " + depth + " has " + depth + " siblings, got " + siblings.size());
    }
  }

  /** The root this path leads to: the leaf hashed up with its siblings. */
  public Fr computeRoot(Poseidon2 poseidon2) {
    long[] state = Poseidon2.newState();
    long[] node = new long[FrMath.LIMBS];
    long[] sibling = new long[FrMath.LIMBS];
    leaf.writeMontgomery(node, 0);
    for (int level = 0; level < depth; level++) {
      siblings.get(level).writeMontgomery(sibling, 0);
      if (((index >>> level) & 1) == 0) {
        poseidon2.compress(node, 0, node, 0, sibling, 0, state);
      } else {
        poseidon2.compress(node, 0, sibling, 0, node, 0, state);
      }
    }
    return Fr.fromMontgomery(node, 0);
  }

  /**
   * Whether the path is consistent with {@code root} for the claim it carries ({@link #leaf()} at
   * {@link #index()}). A verifier that expects a particular account must also check that the claim
   * is the one it asked about: use {@link #verifyLeaf} or {@link #verifyNonMembership}. (Example:
   * inside an empty region, changing the index of a non-membership proof yields another valid
   * non-membership proof, because that other leaf is empty too.)
   */
  public boolean verify(Poseidon2 poseidon2, Fr root) {
    return computeRoot(poseidon2).equals(Objects.requireNonNull(root, "root"));
  }

  /** Whether this proves that the leaf at {@code expectedIndex} under {@code root} is {@code expectedLeaf}. */
  public boolean verifyLeaf(Poseidon2 poseidon2, Fr root, long expectedIndex, Fr expectedLeaf) {
    return index == expectedIndex && leaf.equals(expectedLeaf) && verify(poseidon2, root);
  }

  /** Whether this proves that there is no account (an empty leaf) at {@code expectedIndex} under {@code root}. */
  public boolean verifyNonMembership(Poseidon2 poseidon2, Fr root, long expectedIndex) {
    return index == expectedIndex && leaf.isZero() && verify(poseidon2, root);
  }

  /** The serialized form (see the class comment). */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(serializedSize(depth));
    b.put((byte) depth);
    b.putLong(index);
    b.put(leaf.toBytes());
    for (Fr s : siblings) {
      b.put(s.toBytes());
    }
    return b.array();
  }

  /**
   * Parses the serialized form.
   *
   * @throws IllegalArgumentException if the length does not match the depth, the depth or index is
   *     out of range, or an element is not canonical
   */
  public static MerkleProof fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("a Merkle proof is at least " + HEADER_BYTES + " bytes, got " + bytes.length);
    }
    int depth = bytes[0] & 0xff;
    if (depth < 1 || depth > StateTree.MAX_DEPTH) {
      throw new IllegalArgumentException("proof depth must be 1.." + StateTree.MAX_DEPTH + ", got " + depth);
    }
    if (bytes.length != serializedSize(depth)) {
      throw new IllegalArgumentException(
          "a proof of depth " + depth + " is " + serializedSize(depth) + " bytes, got " + bytes.length);
    }
    long index = ByteBuffer.wrap(bytes, 1, 8).getLong();
    Fr leaf = Fr.fromBytes(bytes, 9);
    Fr[] siblings = new Fr[depth];
    for (int i = 0; i < depth; i++) {
      siblings[i] = Fr.fromBytes(bytes, HEADER_BYTES + i * Fr.BYTES);
    }
    return new MerkleProof(depth, index, leaf, List.of(siblings));
  }

  /** Size of the serialized form of a proof of the given depth. */
  public static int serializedSize(int depth) {
    return HEADER_BYTES + depth * Fr.BYTES;
  }
}
