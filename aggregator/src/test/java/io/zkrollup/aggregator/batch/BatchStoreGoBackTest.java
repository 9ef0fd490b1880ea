package io.zkrollup.aggregator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * The batch store going back to an earlier batch count ({@link BatchStore#wentBackTo}) on a real
 * RocksDB: accounts as they were, later batches and their seals and proofs gone, the reason kept.
 */
class BatchStoreGoBackTest {

  @TempDir Path dir;

  private static AccountLeaf account(int key, long balance, long nonce) {
    return new AccountLeaf(Fr.of(key), Owner.ZERO, BigInteger.valueOf(balance), nonce);
  }

  private static StoredBatch batch(long n) {
    return new StoredBatch(n, 10 * n + 9, 1, new PublicInputs(Fr.of(n), Fr.of(n + 1), n, Fr.of(0)), new byte[] {1}, new byte[] {2});
  }

  /** Batch 0 makes accounts 0 and 1; batch 1 changes 1 and makes 2; batch 2 changes 0 and 2. */
  private static void buildThree(BatchStore store, long keepUndoFrom) {
    store.storeBuilt(batch(0), Map.of(0L, account(7, 0, 0), 1L, account(8, 100, 0)), Map.of(), keepUndoFrom);
    store.storeBuilt(batch(1), Map.of(1L, account(8, 90, 1), 2L, account(9, 10, 0)), Map.of(1L, account(8, 100, 0)), keepUndoFrom);
    store.storeBuilt(batch(2), Map.of(0L, account(7, 1, 0), 2L, account(9, 5, 1)), Map.of(0L, account(7, 0, 0), 2L, account(9, 10, 0)), keepUndoFrom);
    store.storeProof(1, new StoredProof("groth16", new byte[] {3}, 1));
  }

  @Test
  void goingBackRestoresTheAccountsAndForgetsTheLaterBatches() {
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      BatchStore store = new BatchStore(db);
      buildThree(store, 0);
      assertThat(store.wentBack()).isEmpty();
      assertThat(store.l1Verified()).as("never recorded").isZero();
      store.recordL1Verified(2);

      store.wentBackTo(1, "L1 reorganised");

      assertThat(store.builtCount()).isEqualTo(1);
      assertThat(store.accounts()).isEqualTo(Map.of(0L, account(7, 0, 0), 1L, account(8, 100, 0)));
      assertThat(store.batch(1)).isEmpty();
      assertThat(store.proof(1)).isEmpty();
      assertThat(store.lastSealIndex()).isEqualTo(9);
      assertThat(store.batchOf(15)).as("a journal entry of batch 1 is in no built batch").isEmpty();
      assertThat(store.wentBack()).contains("L1 reorganised");
      assertThat(store.l1Verified()).as("no more than it went back to").isEqualTo(1);
    }
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      assertThat(new BatchStore(db).wentBack()).as("durable").contains("L1 reorganised");
      assertThat(new BatchStore(db).builtCount()).isEqualTo(1);
    }
  }

  @Test
  void goingBackToZeroLeavesNoAccount() {
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      BatchStore store = new BatchStore(db);
      buildThree(store, 0);
      store.wentBackTo(0, "why");
      assertThat(store.builtCount()).isZero();
      assertThat(store.accounts()).isEmpty();
    }
  }

  @Test
  void undoRecordsBelowTheTreesOldestVersionAreDroppedAndGoingBackThereIsRefusedWithoutAChange() {
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      BatchStore store = new BatchStore(db);
      buildThree(store, 2);
      assertThatThrownBy(() -> store.wentBackTo(1, "why")).isInstanceOf(StorageException.class).hasMessageContaining("batch 1 has no undo record");
      assertThat(store.builtCount()).isEqualTo(3);
      assertThat(store.wentBack()).isEmpty();
      store.wentBackTo(2, "why");
      assertThat(store.accounts()).containsEntry(0L, account(7, 0, 0)).containsEntry(2L, account(9, 10, 0));
    }
  }

  @Test
  void goingAboveTheBuiltCountIsRefused() {
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      BatchStore store = new BatchStore(db);
      buildThree(store, 0);
      assertThatThrownBy(() -> store.wentBackTo(4, "why")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 are built");
    }
  }

  /** A directory an earlier node version made has no undo table: a read-only open (the audit's) reads it as empty. */
  @Test
  void aReadOnlyOpenOfADirectoryWithoutTheUndoTableReadsItAsEmpty() throws Exception {
    List<ColumnFamilyDescriptor> old = new ArrayList<>();
    old.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (NodeDatabase.Table t : NodeDatabase.Table.values()) {
      if (t != NodeDatabase.Table.ACCOUNT_UNDO) {
        old.add(new ColumnFamilyDescriptor(t.name().toLowerCase().getBytes(StandardCharsets.US_ASCII)));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(o, dir.toString(), old, handles)) {
      db.put(handles.get(1 + NodeDatabase.Table.BATCHES.ordinal()), NodeDatabase.key(0), batch(0).encode());
      handles.forEach(ColumnFamilyHandle::close);
    }
    try (NodeDatabase db = NodeDatabase.openReadOnly(dir)) {
      assertThat(new BatchStore(db).builtCount()).isEqualTo(1);
      assertThat(db.lastKey(NodeDatabase.Table.ACCOUNT_UNDO)).isNull();
      assertThat(db.get(NodeDatabase.Table.ACCOUNT_UNDO, NodeDatabase.key(0))).isNull();
    }
  }
}
