package io.zkrollup.aggregator.batch;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Built batches, the accounts as of the last built batch, and proofs. A built batch and its account
 * changes are written in one atomic, fsynced write.
 */
public final class BatchStore {

  private static final int ACCOUNT_BYTES = Fr.BYTES + 16 + 8;

  private final NodeDatabase db;

  /** The store in {@code db}. */
  public BatchStore(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** How many batches are built: batches 0 .. count−1 are stored. */
  public long builtCount() {
    try (RocksIterator it = db.iterator(Table.BATCHES)) {
      it.seekToLast();
      return it.isValid() ? NodeDatabase.keyValue(it.key()) + 1 : 0;
    }
  }

  /** Stores a built batch and the accounts it changed, atomically and durably. */
  public void storeBuilt(StoredBatch batch, Map<Long, AccountLeaf> accountChanges) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(db.handle(Table.BATCHES), NodeDatabase.key(batch.number()), batch.encode());
      wb.put(db.handle(Table.SEALS), NodeDatabase.key(batch.sealIndex()), NodeDatabase.key(batch.number()));
      for (Map.Entry<Long, AccountLeaf> e : accountChanges.entrySet()) {
        wb.put(db.handle(Table.ACCOUNTS), NodeDatabase.key(e.getKey()), encode(e.getValue()));
      }
      db.write(wb);
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage batch " + batch.number() + ": " + e.getMessage(), e);
    }
  }

  /** Batch {@code number}, if it is built. */
  public Optional<StoredBatch> batch(long number) {
    byte[] v = db.get(Table.BATCHES, NodeDatabase.key(number));
    return v == null ? Optional.empty() : Optional.of(StoredBatch.decode(v));
  }

  /** The built batch holding journal entry {@code journalIndex}, if that batch is built. */
  public OptionalLong batchOf(long journalIndex) {
    try (RocksIterator it = db.iterator(Table.SEALS)) {
      it.seek(NodeDatabase.key(journalIndex));
      return it.isValid() ? OptionalLong.of(NodeDatabase.keyValue(it.value())) : OptionalLong.empty();
    }
  }

  /** The journal index of the last built batch's seal, or −1 if none is built. */
  public long lastSealIndex() {
    try (RocksIterator it = db.iterator(Table.SEALS)) {
      it.seekToLast();
      return it.isValid() ? NodeDatabase.keyValue(it.key()) : -1;
    }
  }

  /** Every account as of the last built batch. */
  public Map<Long, AccountLeaf> accounts() {
    Map<Long, AccountLeaf> out = new HashMap<>();
    try (RocksIterator it = db.iterator(Table.ACCOUNTS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.put(NodeDatabase.keyValue(it.key()), decodeAccount(it.value()));
      }
    }
    return out;
  }

  /** Stores the proof of batch {@code number}. */
  public void storeProof(long number, StoredProof proof) {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(db.handle(Table.PROOFS), NodeDatabase.key(number), proof.encode());
      db.write(wb);
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage the proof of batch " + number + ": " + e.getMessage(), e);
    }
  }

  /** The proof of batch {@code number}, if it is proven. */
  public Optional<StoredProof> proof(long number) {
    byte[] v = db.get(Table.PROOFS, NodeDatabase.key(number));
    return v == null ? Optional.empty() : Optional.of(StoredProof.decode(v));
  }

  /** How many batches from 0 on are proven without a gap. */
  public long provenPrefix() {
    long n = 0;
    try (RocksIterator it = db.iterator(Table.PROOFS)) {
      for (it.seekToFirst(); it.isValid() && NodeDatabase.keyValue(it.key()) == n; it.next()) {
        n++;
      }
    }
    return n;
  }

  static byte[] encode(AccountLeaf a) {
    ByteBuffer b = ByteBuffer.allocate(ACCOUNT_BYTES);
    b.put(a.keyHash().toBytes());
    byte[] balance = a.balance().toByteArray();
    int start = balance.length > 16 ? balance.length - 16 : 0;
    b.position(Fr.BYTES + 16 - (balance.length - start));
    b.put(balance, start, balance.length - start);
    b.putLong(a.nonce());
    return b.array();
  }

  static AccountLeaf decodeAccount(byte[] v) {
    if (v.length != ACCOUNT_BYTES) {
      throw new StorageException("a stored account is " + ACCOUNT_BYTES + " bytes, got " + v.length);
    }
    byte[] balance = new byte[16];
    System.arraycopy(v, Fr.BYTES, balance, 0, 16);
    return new AccountLeaf(Fr.fromBytes(v, 0), new BigInteger(1, balance), ByteBuffer.wrap(v, Fr.BYTES + 16, 8).getLong());
  }
}
