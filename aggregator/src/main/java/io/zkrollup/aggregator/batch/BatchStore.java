package io.zkrollup.aggregator.batch;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Built batches, the accounts as of the last built batch, and proofs. A built batch and its account
 * changes are written in one atomic, fsynced write, with the accounts' values before the batch so
 * that the store can go back to the last batch L1 verified ({@link #wentBackTo}).
 */
public final class BatchStore {

  /** keyHash 32 | owner 20 | token u32 | balance 16 | nonce u64 (protocol v2's leaf). */
  private static final int BALANCE_AT = Fr.BYTES + Owner.BYTES + 4;
  private static final int ACCOUNT_BYTES = Fr.BYTES + Owner.BYTES + 4 + 16 + 8;

  /** META key of {@link #wentBack}'s reason. */
  private static final byte[] WENT_BACK_KEY = "went-back".getBytes(StandardCharsets.US_ASCII);

  /** META key of {@link #l1Verified}. */
  private static final byte[] L1_VERIFIED_KEY = "l1-verified".getBytes(StandardCharsets.US_ASCII);

  private final NodeDatabase db;
  /** {@link #undoFrom()}'s value, −1 until it is read; only the sealer's thread writes batches. */
  private long undoFrom = -1;

  /** The store in {@code db}. */
  public BatchStore(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** How many batches are built: batches 0 .. count−1 are stored. */
  public long builtCount() {
    byte[] last = db.lastKey(Table.BATCHES);
    return last == null ? 0 : NodeDatabase.keyValue(last) + 1;
  }

  /**
   * Stores a built batch and the accounts it changed, atomically and durably, with what those
   * accounts were before it ({@link #wentBackTo} needs it), and forgets that of batches below
   * {@code keepUndoFrom}.
   *
   * @param accountChanges the accounts the batch changed, as after it
   * @param previous the same accounts as before the batch; an index absent here did not exist
   * @param keepUndoFrom the oldest batch the store may have to go back to (the state tree's oldest
   *     kept version): older undo records are deleted
   */
  public void storeBuilt(StoredBatch batch, Map<Long, AccountLeaf> accountChanges, Map<Long, AccountLeaf> previous, long keepUndoFrom) {
    try (NodeDatabase.WriteSet w = db.writeSet()) {
      w.put(Table.BATCHES, NodeDatabase.key(batch.number()), batch.encode());
      w.put(Table.SEALS, NodeDatabase.key(batch.sealIndex()), NodeDatabase.key(batch.number()));
      for (Map.Entry<Long, AccountLeaf> e : accountChanges.entrySet()) {
        w.put(Table.ACCOUNTS, NodeDatabase.key(e.getKey()), encode(e.getValue()));
      }
      w.put(Table.ACCOUNT_UNDO, NodeDatabase.key(batch.number()), encodeUndo(accountChanges.keySet(), previous));
      for (long n = undoFrom(); n < Math.min(keepUndoFrom, batch.number()); n++) {
        w.delete(Table.ACCOUNT_UNDO, NodeDatabase.key(n));
      }
      db.commit(w);
      undoFrom = Math.max(undoFrom, Math.min(keepUndoFrom, batch.number()));
    }
  }

  /** The lowest batch number that may still have an undo record (read once, then tracked). */
  private long undoFrom() {
    if (undoFrom < 0) {
      long[] first = {Long.MAX_VALUE};
      db.scan(Table.ACCOUNT_UNDO, null, (key, value) -> {
        first[0] = NodeDatabase.keyValue(key);
        return false;
      });
      undoFrom = first[0] == Long.MAX_VALUE ? builtCount() : first[0];
    }
    return undoFrom;
  }

  /**
   * Takes the built batches back to the first {@code count}, atomically and durably, because L1
   * reorganised deeper than the node's confirmations: batches {@code count} and later, their seals,
   * proofs, prover leases and undo records go, and every account they changed gets its value from
   * before them back. {@code why} is recorded with it ({@link #wentBack}): the journal still holds
   * the entries after batch {@code count − 1}'s seal, and a node must not replay them on top.
   *
   * @throws IllegalArgumentException if {@code count} is above the built count
   * @throws StorageException (changing nothing) if a batch to undo has no undo record: it was built
   *     before the tree's oldest kept version, or by a node version that kept none
   */
  public void wentBackTo(long count, String why) {
    Objects.requireNonNull(why, "why");
    long built = builtCount();
    if (count < 0 || count > built) {
      throw new IllegalArgumentException("cannot go back to " + count + " batches: " + built + " are built");
    }
    try (NodeDatabase.WriteSet w = db.writeSet()) {
      // Newest first: a later write to the same account wins, so the oldest batch's "before" stays.
      for (long n = built - 1; n >= count; n--) {
        byte[] undo = db.get(Table.ACCOUNT_UNDO, NodeDatabase.key(n));
        if (undo == null) {
          throw new StorageException("batch " + n + " has no undo record: the built batches cannot go back to " + count);
        }
        decodeUndo(undo, (index, previous) -> {
          if (previous == null) {
            w.delete(Table.ACCOUNTS, NodeDatabase.key(index));
          } else {
            w.put(Table.ACCOUNTS, NodeDatabase.key(index), encode(previous));
          }
        });
        StoredBatch b = batch(n).orElseThrow(() -> new StorageException("built batch missing from the store"));
        w.delete(Table.SEALS, NodeDatabase.key(b.sealIndex()));
        w.delete(Table.BATCHES, NodeDatabase.key(n));
        w.delete(Table.PROOFS, NodeDatabase.key(n));
        w.delete(Table.JOBS, NodeDatabase.key(n));
        w.delete(Table.ACCOUNT_UNDO, NodeDatabase.key(n));
      }
      w.put(Table.META, WENT_BACK_KEY, why.getBytes(StandardCharsets.UTF_8));
      w.put(Table.META, L1_VERIFIED_KEY, NodeDatabase.key(Math.min(count, l1Verified())));
      db.commit(w);
      undoFrom = -1;
    }
  }

  /**
   * How many batches L1 held with the node's confirmations when the node last looked, as recorded
   * by {@link #recordL1Verified}; 0 if never (a node without an L1, or a data directory from before
   * the record, whose tree pinned every built version).
   */
  public long l1Verified() {
    byte[] v = db.get(Table.META, L1_VERIFIED_KEY);
    return v == null ? 0 : NodeDatabase.keyValue(v);
  }

  /** Records {@link #l1Verified}, durably. */
  public void recordL1Verified(long count) {
    db.put(Table.META, L1_VERIFIED_KEY, NodeDatabase.key(count));
  }

  /** Why the built batches were taken back ({@link #wentBackTo}), if they were. */
  public Optional<String> wentBack() {
    byte[] v = db.get(Table.META, WENT_BACK_KEY);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
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

  /** Receives one account of an undo record. */
  @FunctionalInterface
  private interface UndoVisitor {
    /** {@code previous} is null if the account did not exist before the batch. */
    void visit(long index, AccountLeaf previous);
  }

  /** count u32, then per account: index u64, 1 and the account before, or 0 if there was none. */
  static byte[] encodeUndo(Collection<Long> indices, Map<Long, AccountLeaf> previous) {
    ByteBuffer b = ByteBuffer.allocate(4 + indices.size() * (8 + 1 + ACCOUNT_BYTES));
    b.putInt(indices.size());
    for (long index : indices) {
      AccountLeaf before = previous.get(index);
      b.putLong(index).put((byte) (before == null ? 0 : 1));
      if (before != null) {
        b.put(encode(before));
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static void decodeUndo(byte[] v, UndoVisitor visitor) {
    ByteBuffer b = ByteBuffer.wrap(v);
    int count = b.getInt();
    for (int i = 0; i < count; i++) {
      long index = b.getLong();
      if (b.get() == 0) {
        visitor.visit(index, null);
      } else {
        byte[] account = new byte[ACCOUNT_BYTES];
        b.get(account);
        visitor.visit(index, decodeAccount(account));
      }
    }
    if (b.hasRemaining()) {
      throw new StorageException("an undo record has " + b.remaining() + " bytes past its " + count + " accounts");
    }
  }
}
