package io.zkrollup.aggregator.journal;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.statetree.field.Fr;
import java.util.Objects;
import java.util.OptionalLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The journal: every accepted entry under a dense, increasing index, and an index from transaction
 * hash to journal index. Writers add entries to a {@link WriteBatch} and commit the batch in one
 * fsynced write (the group commit at the end of each Disruptor batch).
 */
public final class Journal {

  private final NodeDatabase db;

  /** The journal in {@code db}. */
  public Journal(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** The index the next entry gets: one past the last stored entry. */
  public long nextIndex() {
    try (RocksIterator it = db.iterator(Table.JOURNAL)) {
      it.seekToLast();
      return it.isValid() ? NodeDatabase.keyValue(it.key()) + 1 : 0;
    }
  }

  /** Adds {@code entry} at {@code index} (and a tx's hash to the index) to {@code batch}. */
  public void add(WriteBatch batch, long index, JournalEntry entry) {
    try {
      batch.put(db.handle(Table.JOURNAL), NodeDatabase.key(index), JournalCodec.encode(entry));
      if (entry instanceof JournalEntry.Tx t) {
        batch.put(db.handle(Table.TX_INDEX), t.tx().txHash().toBytes(), NodeDatabase.key(index));
      }
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage a journal entry: " + e.getMessage(), e);
    }
  }

  /** Writes {@code batch} durably. */
  public void commit(WriteBatch batch) {
    db.write(batch);
  }

  /** The journal index of the transaction with hash {@code txHash}, if it was accepted. */
  public OptionalLong indexOf(Fr txHash) {
    byte[] v = db.get(Table.TX_INDEX, txHash.toBytes());
    return v == null ? OptionalLong.empty() : OptionalLong.of(NodeDatabase.keyValue(v));
  }

  /** Receives entries in journal order. */
  @FunctionalInterface
  public interface EntryVisitor {
    /** Called once per entry. */
    void visit(long index, JournalEntry entry);
  }

  /**
   * Visits every entry from {@code fromIndex} on, in order.
   *
   * @throws StorageException if the entries are not dense (a hole means a damaged journal)
   */
  public void forEach(long fromIndex, EntryVisitor visitor) {
    try (RocksIterator it = db.iterator(Table.JOURNAL)) {
      long expected = fromIndex;
      for (it.seek(NodeDatabase.key(fromIndex)); it.isValid(); it.next()) {
        long index = NodeDatabase.keyValue(it.key());
        if (index != expected) {
          throw new StorageException("journal entry " + expected + " is missing (next is " + index + ")");
        }
        visitor.visit(index, JournalCodec.decode(it.value()));
        expected++;
      }
    }
  }
}
