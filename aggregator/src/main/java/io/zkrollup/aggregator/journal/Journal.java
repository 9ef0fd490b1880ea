package io.zkrollup.aggregator.journal;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.NodeDatabase.WriteSet;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.statetree.field.Fr;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The journal: every accepted entry under a dense, increasing index, and an index from transaction
 * hash to journal index. Writers add entries to a {@link WriteSet} and commit it in one fsynced
 * write (the group commit at the end of each Disruptor batch).
 */
public final class Journal {

  private final NodeDatabase db;

  /** The journal in {@code db}. */
  public Journal(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** The index the next entry gets: one past the last stored entry. */
  public long nextIndex() {
    byte[] last = db.lastKey(Table.JOURNAL);
    return last == null ? 0 : NodeDatabase.keyValue(last) + 1;
  }

  /** A write set to add entries to and {@link #commit}. */
  public WriteSet writeSet() {
    return db.writeSet();
  }

  /** Adds {@code entry} at {@code index} (and a tx's hash to the index) to {@code writes}. */
  public void add(WriteSet writes, long index, JournalEntry entry) {
    writes.put(Table.JOURNAL, NodeDatabase.key(index), JournalCodec.encode(entry));
    if (entry instanceof JournalEntry.Tx t) {
      writes.put(Table.TX_INDEX, t.tx().txHash().toBytes(), NodeDatabase.key(index));
    }
  }

  /** Writes {@code writes} durably. */
  public void commit(WriteSet writes) {
    db.commit(writes);
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
    long[] expected = {fromIndex};
    db.scan(
        Table.JOURNAL,
        NodeDatabase.key(fromIndex),
        (key, value) -> {
          long index = NodeDatabase.keyValue(key);
          if (index != expected[0]) {
            throw new StorageException("journal entry " + expected[0] + " is missing (next is " + index + ")");
          }
          visitor.visit(index, JournalCodec.decode(value));
          expected[0]++;
          return true;
        });
  }
}
