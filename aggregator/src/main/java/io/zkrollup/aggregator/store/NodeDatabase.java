package io.zkrollup.aggregator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's RocksDB (apart from the state tree's own): one column family per kind of record, so
 * that a journal group and a built batch each commit in one atomic, fsynced write ({@link
 * WriteSet}). RocksDB's own types stay inside this package.
 */
public final class NodeDatabase implements AutoCloseable {

  /** The column families, in the order they are opened. */
  public enum Table {
    /** journal index (u64) → journal entry. */
    JOURNAL,
    /** tx hash (32 bytes) → journal index (u64). */
    TX_INDEX,
    /** batch number (u64) → stored batch. */
    BATCHES,
    /** account index (u64) → account as of the last built batch. */
    ACCOUNTS,
    /** batch number (u64) → proof. */
    PROOFS,
    /** seal entry's journal index (u64) → batch number (u64), to find a transaction's batch. */
    SEALS,
    /** name (ASCII) → value: the node's fixed parameters. */
    META,
    /** batch number (u64) → the prover lease it is out on, so a restarted coordinator honours it. */
    JOBS,
    /**
     * batch number (u64) → the accounts that batch changed, as they were before it: what taking the
     * built batches back to the last one L1 verified needs (kept from the tree's oldest version on).
     */
    ACCOUNT_UNDO;

    String cfName() {
      return name().toLowerCase();
    }
  }

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  /** Each table's handle by ordinal; null for a table missing from a directory opened read-only. */
  private final ColumnFamilyHandle[] byTable;
  private final WriteOptions syncWrite;

  private NodeDatabase(Path directory, boolean readOnly) throws RocksDBException {
    this.directory = directory;
    this.options = new DBOptions().setCreateIfMissing(!readOnly).setCreateMissingColumnFamilies(!readOnly);
    this.cfOptions = new ColumnFamilyOptions();
    // Read-only, a table that a node of an earlier version never made cannot be created: it is
    // opened without it and reads as empty (an audit of such a directory still works).
    List<byte[]> existing = readOnly ? columnFamilies(directory) : List.of();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    List<Table> opened = new ArrayList<>();
    for (Table t : Table.values()) {
      byte[] name = t.cfName().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      if (!readOnly || existing.stream().anyMatch(e -> java.util.Arrays.equals(e, name))) {
        descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
        opened.add(t);
      }
    }
    this.handles = new ArrayList<>();
    this.db =
        readOnly
            ? RocksDB.openReadOnly(options, directory.toString(), descriptors, handles)
            : RocksDB.open(options, directory.toString(), descriptors, handles);
    this.byTable = new ColumnFamilyHandle[Table.values().length];
    for (int i = 0; i < opened.size(); i++) {
      byTable[opened.get(i).ordinal()] = handles.get(1 + i);
    }
    this.syncWrite = new WriteOptions().setSync(true);
  }

  private static List<byte[]> columnFamilies(Path directory) throws RocksDBException {
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      return RocksDB.listColumnFamilies(o, directory.toString());
    }
  }

  /**
   * Opens (creating if needed) the database in {@code directory}.
   *
   * @throws StorageException if RocksDB cannot open it (another process holds it, a damaged file)
   */
  public static NodeDatabase open(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
      return new NodeDatabase(directory, false);
    } catch (RocksDBException | IOException e) {
      throw new StorageException("cannot open the node database in " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the existing database in {@code directory} without changing it, for audits: RocksDB
   * replays its write-ahead log in memory and writes nothing, so a node started afterwards
   * recovers from exactly the files a crash left. It takes no lock either: open it only while no
   * node runs on the directory (a running node's writes are not seen).
   *
   * @throws StorageException if there is no node database there, or RocksDB cannot open it
   */
  public static NodeDatabase openReadOnly(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      return new NodeDatabase(directory, true);
    } catch (RocksDBException e) {
      throw new StorageException("cannot open the node database in " + directory + " read-only: " + e.getMessage(), e);
    }
  }

  /** The directory. */
  public Path directory() {
    return directory;
  }

  private ColumnFamilyHandle handle(Table table) {
    return byTable[table.ordinal()];
  }

  /**
   * A group of writes applied atomically and durably by {@link #commit}. Reusable after {@link
   * #clear}; not thread-safe. Closing it frees its native memory.
   */
  public final class WriteSet implements AutoCloseable {
    private final WriteBatch batch = new WriteBatch();

    private WriteSet() {}

    /** Adds a put of {@code value} under {@code key}. */
    public WriteSet put(Table table, byte[] key, byte[] value) {
      try {
        batch.put(handle(table), key, value);
        return this;
      } catch (RocksDBException e) {
        throw new StorageException("cannot stage a write: " + e.getMessage(), e);
      }
    }

    /** Adds a delete of {@code key}. */
    public WriteSet delete(Table table, byte[] key) {
      try {
        batch.delete(handle(table), key);
        return this;
      } catch (RocksDBException e) {
        throw new StorageException("cannot stage a delete: " + e.getMessage(), e);
      }
    }

    /** Forgets the staged writes. */
    public void clear() {
      batch.clear();
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  /** A new, empty write set for this database. */
  public WriteSet writeSet() {
    return new WriteSet();
  }

  /**
   * Applies {@code writes} atomically and durably (fsynced before this returns).
   *
   * @throws StorageException if the write fails; the node must stop, since it no longer knows
   *     whether the writes are on disk
   */
  public void commit(WriteSet writes) {
    try {
      db.write(syncWrite, writes.batch);
    } catch (RocksDBException e) {
      throw new StorageException("node database write failed: " + e.getMessage(), e);
    }
  }

  /** The value under {@code key}, or null. */
  public byte[] get(Table table, byte[] key) {
    if (handle(table) == null) {
      return null;
    }
    try {
      return db.get(handle(table), key);
    } catch (RocksDBException e) {
      throw new StorageException("node database read failed: " + e.getMessage(), e);
    }
  }

  /** Writes one value durably. */
  public void put(Table table, byte[] key, byte[] value) {
    try (WriteSet w = writeSet()) {
      commit(w.put(table, key, value));
    }
  }

  /** Deletes one value durably. */
  public void delete(Table table, byte[] key) {
    try (WriteSet w = writeSet()) {
      commit(w.delete(table, key));
    }
  }

  /** Receives a table's entries in key order. */
  @FunctionalInterface
  public interface EntryVisitor {
    /**
     * Called once per entry.
     *
     * @return whether to go on to the next entry
     */
    boolean visit(byte[] key, byte[] value);
  }

  /** Visits {@code table}'s entries from the first key ≥ {@code from} (null: the first) on, in key order. */
  public void scan(Table table, byte[] from, EntryVisitor visitor) {
    if (handle(table) == null) {
      return;
    }
    try (RocksIterator it = db.newIterator(handle(table))) {
      if (from == null) {
        it.seekToFirst();
      } else {
        it.seek(from);
      }
      for (; it.isValid(); it.next()) {
        if (!visitor.visit(it.key(), it.value())) {
          return;
        }
      }
    }
  }

  /** The largest key of {@code table}, or null if it is empty. */
  public byte[] lastKey(Table table) {
    if (handle(table) == null) {
      return null;
    }
    try (RocksIterator it = db.newIterator(handle(table))) {
      it.seekToLast();
      return it.isValid() ? it.key() : null;
    }
  }

  /** Big-endian bytes of {@code value}, the key format of every numbered table (so keys sort). */
  public static byte[] key(long value) {
    return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  /** The value of a {@link #key(long)}. */
  public static long keyValue(byte[] key) {
    return java.nio.ByteBuffer.wrap(key).getLong();
  }

  @Override
  public void close() {
    syncWrite.close();
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    cfOptions.close();
    options.close();
  }
}
