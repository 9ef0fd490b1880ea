package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link TreeStore} on RocksDB. Each {@link #write} is one RocksDB {@code WriteBatch} written with
 * {@code sync=true}: it is atomic, and durable (the write-ahead log is fsynced) before the call
 * returns, so after a crash the database reopens at the last committed batch.
 *
 * <p>Layout (one column family, keys prefixed by kind):
 *
 * <ul>
 *   <li>{@code 'n' level:u8 index:u64be} → the node's canonical 32-byte value (non-empty nodes
 *       only);
 *   <li>{@code 'v' version:u64be} → the version's root (32 bytes), a count (u32be), then per changed
 *       leaf its index (u64be) and previous value (32 bytes);
 *   <li>{@code 'h'} → the head: format (u8, 1), depth (u8), version (u64be), root (32 bytes), pinned
 *       version (u64be), oldest kept version (u64be).
 * </ul>
 *
 * <p>Values on disk are canonical encodings, independent of the in-memory limb form. Like every
 * store, this one is used by a single thread; it reuses its key and value buffers.
 */
public final class RocksDbTreeStore implements TreeStore {

  static {
    RocksDB.loadLibrary();
  }

  private static final byte NODE = 'n';
  private static final byte VERSION = 'v';
  private static final byte[] HEAD_KEY = {'h'};
  private static final byte HEAD_FORMAT = 1;
  private static final int HEAD_BYTES = 1 + 1 + 8 + Fr.BYTES + 8 + 8;

  private final Path directory;
  private final int depth;
  private final LRUCache cache;
  private final BloomFilter filter;
  private final Options options;
  private final RocksDB db;
  private final ReadOptions readOptions;
  private final WriteOptions writeOptions;

  private final byte[] nodeKey = new byte[10];
  private final byte[] nodeValue = new byte[Fr.BYTES];
  private boolean closed;

  private RocksDbTreeStore(Path directory, int depth, long cacheBytes) throws RocksDBException {
    this.directory = directory;
    this.depth = depth;
    LRUCache c = null;
    BloomFilter f = null;
    Options o = null;
    RocksDB d = null;
    ReadOptions r = null;
    WriteOptions w = null;
    try {
      c = new LRUCache(cacheBytes);
      f = new BloomFilter(10);
      o =
          new Options()
              .setCreateIfMissing(true)
              .setParanoidChecks(true)
              .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(c).setFilterPolicy(f));
      d = RocksDB.open(o, directory.toString());
      r = new ReadOptions().setVerifyChecksums(true);
      w = new WriteOptions().setSync(true);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(w, r, d, o, c, f);
      throw e;
    }
    cache = c;
    filter = f;
    options = o;
    db = d;
    readOptions = r;
    writeOptions = w;
  }

  /**
   * Opens (creating if needed) the store in {@code directory} for a tree of the given depth, with a
   * 64 MiB block cache.
   *
   * @throws IllegalArgumentException if the depth is outside 1..63, or the directory holds a tree of
   *     another depth
   * @throws StoreException if RocksDB cannot open the directory
   */
  public static RocksDbTreeStore open(Path directory, int depth) {
    return open(directory, depth, 64L << 20);
  }

  /**
   * Opens (creating if needed) the store in {@code directory} with a block cache of {@code
   * cacheBytes}.
   *
   * @throws IllegalArgumentException if the depth is outside 1..63, or the directory holds a tree of
   *     another depth
   * @throws StoreException if RocksDB cannot open the directory
   */
  public static RocksDbTreeStore open(Path directory, int depth, long cacheBytes) {
    Objects.requireNonNull(directory, "directory");
    if (depth < 1 || depth > 63) {
      throw new IllegalArgumentException("tree depth must be 1..63, got " + depth);
    }
    RocksDbTreeStore store;
    try {
      Files.createDirectories(directory);
      store = new RocksDbTreeStore(directory, depth, cacheBytes);
    } catch (RocksDBException | java.io.IOException e) {
      throw new StoreException("cannot open RocksDB tree store in " + directory + ": " + e.getMessage(), e);
    }
    try {
      Optional<StoreHead> head = store.head();
      if (head.isPresent() && head.get().depth() != depth) {
        throw new IllegalArgumentException(
            directory + " holds a tree of depth " + head.get().depth() + ", not " + depth);
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The directory the database lives in. */
  public Path directory() {
    return directory;
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public Optional<StoreHead> head() {
    byte[] value = get(HEAD_KEY);
    if (value == null) {
      return Optional.empty();
    }
    if (value.length != HEAD_BYTES || value[0] != HEAD_FORMAT) {
      throw new StoreException("corrupt head record in " + directory + " (" + value.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    b.get(); // format
    int storedDepth = b.get() & 0xff;
    long version = b.getLong();
    Fr root = readElement(b);
    long pinned = b.getLong();
    long oldest = b.getLong();
    try {
      return Optional.of(new StoreHead(storedDepth, version, root, pinned, oldest));
    } catch (IllegalArgumentException e) {
      throw new StoreException("corrupt head record in " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean readNode(int level, long index, long[] dst, int offset) {
    checkOpen();
    nodeKey(nodeKey, level, index);
    int n;
    try {
      n = db.get(readOptions, nodeKey, nodeValue);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read node (" + level + ", " + index + "): " + e.getMessage(), e);
    }
    if (n == RocksDB.NOT_FOUND) {
      return false;
    }
    if (n != Fr.BYTES || !FrMath.decodeCanonical(dst, offset, nodeValue, 0)) {
      throw new StoreException("corrupt node (" + level + ", " + index + ") in " + directory);
    }
    return true;
  }

  @Override
  public Optional<VersionRecord> readVersion(long version) {
    byte[] value = get(versionKey(version));
    if (value == null) {
      return Optional.empty();
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(value);
      Fr root = readElement(b);
      int count = b.getInt();
      if (count < 0 || b.remaining() != count * (8L + Fr.BYTES)) {
        throw new IllegalArgumentException("bad length");
      }
      List<VersionRecord.LeafChange> changes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long index = b.getLong();
        changes.add(new VersionRecord.LeafChange(index, readElement(b)));
      }
      return Optional.of(new VersionRecord(version, root, changes));
    } catch (RuntimeException e) {
      throw new StoreException("corrupt record of version " + version + " in " + directory, e);
    }
  }

  @Override
  public void forEachNode(int level, NodeMap.EntryVisitor visitor) {
    checkOpen();
    byte[] prefix = {NODE, (byte) level};
    long[] limbs = new long[FrMath.LIMBS];
    try (RocksIterator it = db.newIterator(readOptions)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length != nodeKey.length || key[0] != NODE || key[1] != (byte) level) {
          break;
        }
        long index = ByteBuffer.wrap(key, 2, 8).getLong();
        byte[] value = it.value();
        if (value.length != Fr.BYTES || !FrMath.decodeCanonical(limbs, 0, value, 0)) {
          throw new StoreException("corrupt node (" + level + ", " + index + ") in " + directory);
        }
        visitor.visit(index, limbs, 0);
      }
      try {
        it.status();
      } catch (RocksDBException e) {
        throw new StoreException("cannot scan level " + level + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void write(StoreBatch batch) {
    checkOpen();
    StoreHead head = batch.head();
    if (head.depth() != depth) {
      throw new IllegalArgumentException("batch for depth " + head.depth() + " in a store of depth " + depth);
    }
    try (WriteBatch wb = new WriteBatch()) {
      byte[] key = new byte[nodeKey.length];
      byte[] value = new byte[Fr.BYTES];
      long[] tmp = new long[FrMath.ENCODE_SCRATCH];
      RocksDBException[] failure = new RocksDBException[1];
      batch.forEachNode(
          (level, index, limbs, offset) -> {
            if (failure[0] != null) {
              return;
            }
            nodeKey(key, level, index);
            try {
              if (limbs == null) {
                wb.delete(key);
              } else {
                FrMath.encode(value, 0, limbs, offset, tmp);
                wb.put(key, value); // the batch copies key and value, so the buffers are reused
              }
            } catch (RocksDBException e) {
              failure[0] = e;
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
      if (batch.deleteVersionsTo() > batch.deleteVersionsFrom()) {
        wb.deleteRange(versionKey(batch.deleteVersionsFrom()), versionKey(batch.deleteVersionsTo()));
      }
      for (VersionRecord record : batch.addedVersions()) {
        wb.put(versionKey(record.version()), encodeVersion(record));
      }
      wb.put(HEAD_KEY, encodeHead(head));
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException("cannot commit to " + directory + ": " + e.getMessage(), e);
    }
  }

  private static byte[] encodeVersion(VersionRecord record) {
    List<VersionRecord.LeafChange> changes = record.previousLeaves();
    ByteBuffer b = ByteBuffer.allocate(Fr.BYTES + 4 + changes.size() * (8 + Fr.BYTES));
    b.put(record.root().toBytes());
    b.putInt(changes.size());
    for (VersionRecord.LeafChange change : changes) {
      b.putLong(change.index());
      b.put(change.previous().toBytes());
    }
    return b.array();
  }

  private static byte[] encodeHead(StoreHead head) {
    ByteBuffer b = ByteBuffer.allocate(HEAD_BYTES);
    b.put(HEAD_FORMAT);
    b.put((byte) head.depth());
    b.putLong(head.version());
    b.put(head.root().toBytes());
    b.putLong(head.pinnedVersion());
    b.putLong(head.oldestVersion());
    return b.array();
  }

  private static Fr readElement(ByteBuffer b) {
    byte[] bytes = new byte[Fr.BYTES];
    b.get(bytes);
    return Fr.fromBytes(bytes);
  }

  private static void nodeKey(byte[] key, int level, long index) {
    key[0] = NODE;
    key[1] = (byte) level;
    for (int i = 9; i >= 2; i--) {
      key[i] = (byte) index;
      index >>>= 8;
    }
  }

  private static byte[] versionKey(long version) {
    return ByteBuffer.allocate(9).put(VERSION).putLong(version).array();
  }

  private byte[] get(byte[] key) {
    checkOpen();
    try {
      return db.get(readOptions, key);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read from " + directory + ": " + e.getMessage(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  /** Closes the database and every native object it holds. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeAll(writeOptions, readOptions, db, options, cache, filter);
    }
  }

  private static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception e) {
          // Closing native handles does not fail in practice; nothing useful to do if it does.
        }
      }
    }
  }
}
