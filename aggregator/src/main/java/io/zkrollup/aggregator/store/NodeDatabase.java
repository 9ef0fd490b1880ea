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
 * that a journal group and a built batch each commit in one atomic, fsynced write.
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
    JOBS;

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
  private final WriteOptions syncWrite;

  private NodeDatabase(Path directory, boolean readOnly) throws RocksDBException {
    this.directory = directory;
    this.options = new DBOptions().setCreateIfMissing(!readOnly).setCreateMissingColumnFamilies(!readOnly);
    this.cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (Table t : Table.values()) {
      descriptors.add(new ColumnFamilyDescriptor(t.cfName().getBytes(java.nio.charset.StandardCharsets.US_ASCII), cfOptions));
    }
    this.handles = new ArrayList<>();
    this.db =
        readOnly
            ? RocksDB.openReadOnly(options, directory.toString(), descriptors, handles)
            : RocksDB.open(options, directory.toString(), descriptors, handles);
    this.syncWrite = new WriteOptions().setSync(true);
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

  /** The column family of {@code table}. */
  public ColumnFamilyHandle handle(Table table) {
    return handles.get(1 + table.ordinal());
  }

  /**
   * Applies {@code batch} atomically and durably (fsynced before this returns).
   *
   * @throws StorageException if the write fails; the node must stop, since it no longer knows
   *     whether the batch is on disk
   */
  public void write(WriteBatch batch) {
    try {
      db.write(syncWrite, batch);
    } catch (RocksDBException e) {
      throw new StorageException("node database write failed: " + e.getMessage(), e);
    }
  }

  /** The value under {@code key}, or null. */
  public byte[] get(Table table, byte[] key) {
    try {
      return db.get(handle(table), key);
    } catch (RocksDBException e) {
      throw new StorageException("node database read failed: " + e.getMessage(), e);
    }
  }

  /** Writes one value durably. */
  public void put(Table table, byte[] key, byte[] value) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(handle(table), key, value);
      write(wb);
    } catch (RocksDBException e) {
      throw new StorageException("node database write failed: " + e.getMessage(), e);
    }
  }

  /** Deletes one value durably. */
  public void delete(Table table, byte[] key) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.delete(handle(table), key);
      write(wb);
    } catch (RocksDBException e) {
      throw new StorageException("node database write failed: " + e.getMessage(), e);
    }
  }

  /** A new iterator over {@code table}; the caller closes it. */
  public RocksIterator iterator(Table table) {
    return db.newIterator(handle(table));
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
