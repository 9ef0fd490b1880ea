package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small rollup state built with the Java side only (state tree, EdDSA keys, batch builder): the
 * source of real signed batches for the proving tests.
 */
final class RollupFixture {
  static final Poseidon2 P = new Poseidon2();
  /** A 64-bit rollup id with its top bit set, as a deployment's may be (read as unsigned). */
  static final long ROLLUP_ID = 0xc0ff_ee00_0000_5eedL;
  static final long OPERATOR = 15;

  private final int depth;
  private final StateTree tree;
  private final Map<Long, AccountLeaf> accounts = new HashMap<>();
  private final BatchBuilder builder = new BatchBuilder(P);
  private long nextBatch = 1;

  RollupFixture(int depth) {
    this.depth = depth;
    this.tree = new StateTree(new InMemoryTreeStore(depth), P, 0);
    open(OPERATOR, key(99), 0);
    tree.commit();
  }

  static EdDsaPrivateKey key(int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static Fr keyHash(EdDsaPrivateKey k) {
    return AccountLeaf.keyHash(P, k.publicKey().point().x(), k.publicKey().point().y());
  }

  /** The L1 owner of the accounts of key {@code k} in these tests: the low 20 bytes of its key hash. */
  static L1Address owner(EdDsaPrivateKey k) {
    byte[] h = keyHash(k).toBytes();
    return L1Address.of(Arrays.copyOfRange(h, h.length - L1Address.BYTES, h.length));
  }

  /** Creates an ETH account directly in the genesis state (before any batch). */
  RollupFixture open(long index, EdDsaPrivateKey k, long balance) {
    return open(index, k, (int) AccountLeaf.ETH, balance);
  }

  /** Creates an account of {@code token} directly in the genesis state (before any batch). */
  RollupFixture open(long index, EdDsaPrivateKey k, int token, long balance) {
    AccountLeaf leaf = new AccountLeaf(keyHash(k), owner(k).owner(), token, BigInteger.valueOf(balance), 0);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(P));
    tree.commit();
    return this;
  }

  static SignedOp sign(SignableOp op, EdDsaPrivateKey k) {
    return op.sign(k, P, ROLLUP_ID);
  }

  /** Builds and commits the next batch, its fees to the ETH operator account. */
  Batch seal(int slots, long fee, List<? extends BatchOp> ops) {
    return seal(slots, OPERATOR, fee, ops);
  }

  /** Builds and commits the next batch, its fees to {@code operator}, whose token is the fee token. */
  Batch seal(int slots, long operator, long fee, List<? extends BatchOp> ops) {
    Batch batch =
        builder.build(
            tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP_ID, nextBatch, operator, fee), slots, ops);
    tree.commit();
    accounts.putAll(batch.accountChanges());
    nextBatch++;
    return batch;
  }

  AccountLeaf account(long index) {
    return accounts.get(index);
  }

  int depth() {
    return depth;
  }
}
