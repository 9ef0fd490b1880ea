package io.zkrollup.benchmarks;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A full batch of B signed transfers over a state tree of depth D (in-memory store), the batch the
 * benchmarks build witnesses for and prove. Accounts are spread over the index space so Merkle
 * paths share few nodes, as in a large rollup. Signing happens once, here (wallets sign, not the
 * node); {@link #build()} applies the transfers and discards the tree's changes, so every call
 * starts from the same state and yields the same witness.
 *
 * <p>The builder verifies every signature (as for ops from anywhere), or, with {@link
 * BatchBuilder.Signatures#TRUST_VERIFIED}, gets the transfers as the node's sealer does: verified
 * here once, as the ingestion pipeline does before journaling, and trusted.
 */
public final class TransferBatchFixture {

  private static final long ROLLUP_ID = 1;
  private static final long OPERATOR = 0;
  private static final long MAX_STRIDE = 7_919L * 4_096L;

  private final int slots;
  private final Poseidon2 poseidon2 = new Poseidon2();
  private final Map<Long, AccountLeaf> accounts = new HashMap<>();
  private final StateTree tree;
  private final BatchBuilder builder;
  private final List<BatchOp> ops = new ArrayList<>();

  /** Creates B + 1 accounts and B signed transfers among them (B ≥ 1; 2^D > B + 1), built verifying every signature. */
  public TransferBatchFixture(int slots, int depth) {
    this(slots, depth, BatchBuilder.Signatures.VERIFY_ALL);
  }

  /**
   * Creates B + 1 accounts and B signed transfers among them (B ≥ 1; 2^D > B + 1), built with a
   * builder that checks the signatures {@code signatures} says: all of them (plain signed ops), or
   * none (ops verified here, once, and trusted).
   */
  public TransferBatchFixture(int slots, int depth, BatchBuilder.Signatures signatures) {
    this.slots = slots;
    long stride = Math.min(MAX_STRIDE, ((1L << depth) - 2) / slots);
    if (stride < 1) {
      throw new IllegalArgumentException("a tree of depth " + depth + " has no room for " + (slots + 1) + " accounts");
    }
    tree = new StateTree(new InMemoryTreeStore(depth), poseidon2, 0);
    builder = new BatchBuilder(poseidon2, DataAvailability.ROLLUP, signatures);
    SignatureVerifier verifier = new SignatureVerifier(poseidon2, ROLLUP_ID);
    put(OPERATOR, key(0));
    for (int i = 0; i < slots; i++) {
      EdDsaPrivateKey k = key(i + 1);
      long from = 1L + i * stride;
      put(from, k);
      long to = i == 0 ? OPERATOR : 1L + (i - 1) * stride;
      SignedOp signed = new Transfer(from, to, 1_000, 10, 0).sign(k, poseidon2, ROLLUP_ID);
      ops.add(signatures == BatchBuilder.Signatures.TRUST_VERIFIED ? verifier.verify(signed) : signed);
    }
    tree.commit();
  }

  private static EdDsaPrivateKey key(int n) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) n);
    seed[0] = (byte) (n >>> 8);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private void put(long index, EdDsaPrivateKey k) {
    AccountLeaf leaf =
        new AccountLeaf(AccountLeaf.keyHash(poseidon2, k.publicKey().point().x(), k.publicKey().point().y()), BigInteger.valueOf(1_000_000), 0);
    accounts.put(index, leaf);
    tree.put(index, leaf.hash(poseidon2));
  }

  /** Applies the B transfers, collects paths and public data, and leaves the tree as it was. */
  public Batch build() {
    Batch batch = builder.build(tree, i -> Optional.ofNullable(accounts.get(i)), new BatchHeader(ROLLUP_ID, 1, OPERATOR, 5), slots, ops);
    tree.discard();
    return batch;
  }
}
