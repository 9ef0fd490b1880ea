package io.zkrollup.aggregator.batch;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Built batches, the accounts as of the last built batch, and proofs. A built batch and its account
 * changes are written in one atomic, fsynced write.
 */
public final class BatchStore {

  /** keyHash 32 | owner 20 | token u32 | balance 16 | nonce u64 (protocol v2's leaf). */
  private static final int BALANCE_AT = Fr.BYTES + Owner.BYTES + 4;
  private static final int ACCOUNT_BYTES = Fr.BYTES + Owner.BYTES + 4 + 16 + 8;

  private final NodeDatabase db;

  /** The store in {@code db}. */
  public BatchStore(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** How many batches are built: batches 0 .. count−1 are stored. */
  public long builtCount() {
    byte[] last = db.lastKey(Table.BATCHES);
    return last == null ? 0 : NodeDatabase.keyValue(last) + 1;
  }

  /** Stores a built batch and the accounts it changed, atomically and durably. */
  public void storeBuilt(StoredBatch batch, Map<Long, AccountLeaf> accountChanges) {
    try (NodeDatabase.WriteSet w = db.writeSet()) {
      w.put(Table.BATCHES, NodeDatabase.key(batch.number()), batch.encode());
      w.put(Table.SEALS, NodeDatabase.key(batch.sealIndex()), NodeDatabase.key(batch.number()));
      for (Map.Entry<Long, AccountLeaf> e : accountChanges.entrySet()) {
        w.put(Table.ACCOUNTS, NodeDatabase.key(e.getKey()), encode(e.getValue()));
      }
      db.commit(w);
    }
  }

  /** Batch {@code number}, if it is built. */
  public Optional<StoredBatch> batch(long number) {
    byte[] v = db.get(Table.BATCHES, NodeDatabase.key(number));
    return v == null ? Optional.empty() : Optional.of(StoredBatch.decode(v));
  }

  /** The built batch holding journal entry {@code journalIndex}, if that batch is built. */
  public OptionalLong batchOf(long journalIndex) {
    // The first seal at or after the entry closes its batch.
    long[] batch = {-1};
    db.scan(Table.SEALS, NodeDatabase.key(journalIndex), (key, value) -> {
      batch[0] = NodeDatabase.keyValue(value);
      return false;
    });
    return batch[0] < 0 ? OptionalLong.empty() : OptionalLong.of(batch[0]);
  }

  /** The journal index of the last built batch's seal, or −1 if none is built. */
  public long lastSealIndex() {
    byte[] last = db.lastKey(Table.SEALS);
    return last == null ? -1 : NodeDatabase.keyValue(last);
  }

  /** Every account as of the last built batch. */
  public Map<Long, AccountLeaf> accounts() {
    Map<Long, AccountLeaf> out = new HashMap<>();
    db.scan(Table.ACCOUNTS, null, (key, value) -> {
      out.put(NodeDatabase.keyValue(key), decodeAccount(value));
      return true;
    });
    return out;
  }

  /** Stores the proof of batch {@code number}. */
  public void storeProof(long number, StoredProof proof) {
    db.put(Table.PROOFS, NodeDatabase.key(number), proof.encode());
  }

  /** The proof of batch {@code number}, if it is proven. */
  public Optional<StoredProof> proof(long number) {
    byte[] v = db.get(Table.PROOFS, NodeDatabase.key(number));
    return v == null ? Optional.empty() : Optional.of(StoredProof.decode(v));
  }

  /** How many batches from 0 on are proven without a gap. */
  public long provenPrefix() {
    long[] n = {0};
    db.scan(Table.PROOFS, null, (key, value) -> {
      if (NodeDatabase.keyValue(key) != n[0]) {
        return false;
      }
      n[0]++;
      return true;
    });
    return n[0];
  }

  static byte[] encode(AccountLeaf a) {
    ByteBuffer b = ByteBuffer.allocate(ACCOUNT_BYTES);
    b.put(a.keyHash().toBytes()).put(a.owner().toBytes()).putInt((int) a.token());
    byte[] balance = a.balance().toByteArray();
    int start = balance.length > 16 ? balance.length - 16 : 0;
    b.position(BALANCE_AT + 16 - (balance.length - start));
    b.put(balance, start, balance.length - start);
    b.putLong(a.nonce());
    return b.array();
  }

  static AccountLeaf decodeAccount(byte[] v) {
    if (v.length != ACCOUNT_BYTES) {
      throw new StorageException("a stored account is " + ACCOUNT_BYTES + " bytes, got " + v.length);
    }
    byte[] owner = new byte[Owner.BYTES];
    System.arraycopy(v, Fr.BYTES, owner, 0, Owner.BYTES);
    long token = Integer.toUnsignedLong(ByteBuffer.wrap(v, Fr.BYTES + Owner.BYTES, 4).getInt());
    byte[] balance = new byte[16];
    System.arraycopy(v, BALANCE_AT, balance, 0, 16);
    return new AccountLeaf(Fr.fromBytes(v, 0), Owner.of(owner), token, new BigInteger(1, balance), ByteBuffer.wrap(v, BALANCE_AT + 16, 8).getLong());
  }
}
