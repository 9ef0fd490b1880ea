package io.zkrollup.circuits.batch;

import io.zkrollup.statetree.AccountLeaf;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A built batch: the witness for the prover, the public data for L1 and the accounts it changed.
 *
 * @param witness the circuit witness ({@link BatchWitness#toBytes()} for the native prover)
 * @param publicData the full public data (in rollup mode also what L1 receives)
 * @param l1Data what L1 receives; its hash is the public input {@code pubdataHash}
 * @param accountChanges the final state of every account the batch touched, by index (for the
 *     caller's account store; the tree has them as leaf hashes)
 */
public record Batch(BatchWitness witness, PublicData publicData, L1Data l1Data, SortedMap<Long, AccountLeaf> accountChanges) {

  /** Copies the account map. */
  public Batch {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(publicData, "publicData");
    Objects.requireNonNull(l1Data, "l1Data");
    accountChanges = Collections.unmodifiableSortedMap(new TreeMap<>(accountChanges));
  }

  /** The proof's public inputs. */
  public PublicInputs publicInputs() {
    return witness.publicInputs();
  }
}
