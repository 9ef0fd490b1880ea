package io.zkrollup.prover.worker;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real signed batch for the worker tests, built with the Java side only (tree, EdDSA, builder). */
final class TestBatches {
  private static final Poseidon2 P = new Poseidon2();
  private static final long ROLLUP_ID = 0x5eed;
  private static final long OPERATOR = 15;

  private TestBatches() {}

  /** Batch 1 of B slots over a depth-D tree: one transfer between two genesis accounts. */
  static Batch oneTransfer(int slots, int depth) {
    StateTree tree = new StateTree(new InMemoryTreeStore(depth), P, 0);
    Map<Long, AccountLeaf> accounts = new HashMap<>();
    EdDsaPrivateKey alice = key(1);
    open(tree, accounts, OPERATOR, key(99), 0);
    open(tree, accounts, 1, alice, 10_000);
    open(tree, accounts, 2, key(2), 0);
    return new BatchBuilder(P)
        .build(
            tree,
            i -> Optional.ofNullable(accounts.get(i)),
            new BatchHeader(ROLLUP_ID, 1, OPERATOR, 1),
            slots,
            List.of(new Transfer(1, 2, 700, 1, 0).sign(alice, P, ROLLUP_ID)));
  }

  private static void open(StateTree tree, Map<Long, AccountLeaf> accounts, long index, EdDsaPrivateKey k, long balance) {
    AccountLeaf leaf =
        AccountLeaf.of(P, k.publicKey().point().x(), k.publicKey().point().y(), Owner.ZERO, BigInteger.valueOf(balance), 0);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(P));
    tree.commit();
  }

  private static EdDsaPrivateKey key(int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return EdDsaPrivateKey.fromSeed(seed);
  }
}
