package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.batch.PublicData;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.Prover;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The rollup contract's rules without an Ethereum node (docs/protocol.md, "L1 contract"): a
 * deposit queue with a rolling hash, batches committed only with a proof that verifies against
 * the stored root, deposits consumed strictly in queue order, withdrawals credited when their
 * batch is committed and claimed by their owners. L1 addresses hold ETH balances here too (funded
 * by {@link #fund}, for development and tests). State is in its own RocksDB; every call is
 * atomic: it applies whole, fsynced, or reverts with {@link L1RevertedException} and changes
 * nothing. Calls are ordered one at a time, as a chain orders transactions.
 */
public final class EmbeddedL1 implements RollupContract, AutoCloseable {

  /** Deposits are below 2^112 wei: the public data's amount field is 14 bytes. */
  static final BigInteger DEPOSIT_LIMIT = BigInteger.ONE.shiftLeft(112);

  /**
   * All deposits together stay below 2^128 wei, so no L2 balance can reach the circuit's bound
   * (Rollup.sol's {@code TOTAL_DEPOSIT_LIMIT}).
   */
  static final BigInteger TOTAL_DEPOSIT_LIMIT = BigInteger.ONE.shiftLeft(128);

  private static final int DEPOSIT_AMOUNT_BYTES = 14;
  private static final int WITHDRAWAL_AMOUNT_BYTES = 16;

  private static final byte[] PARAMS = key("params");
  private static final byte[] ROOT = key("root");
  private static final byte[] BATCHES = key("batches");
  private static final byte[] DEPOSITS = key("deposits");
  private static final byte[] CONSUMED = key("consumed");
  /** Wei deposited so far, all deposits together. */
  static final byte[] TOTAL_DEPOSITED = key("totalDeposited");

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final WriteOptions sync;
  private final RocksDB db;
  private final long rollupId;
  private final int slots;
  private final DataAvailability mode;
  private final Prover verifier;

  private EmbeddedL1(Options options, RocksDB db, long rollupId, int slots, DataAvailability mode, Prover verifier) {
    this.options = options;
    this.sync = new WriteOptions().setSync(true);
    this.db = db;
    this.rollupId = rollupId;
    this.slots = slots;
    this.mode = mode;
    this.verifier = verifier;
  }

  /**
   * Opens the embedded L1 in {@code dir}, deploying the contract there on the first open: the
   * state root is {@code genesisRoot}, and deposit 0 (amount 0, the operator's key) creates the
   * operator's account, which every batch needs.
   *
   * @param verifier verifies batch proofs (the verifying key L1 holds); not closed by this object
   * @throws IllegalStateException if {@code dir} holds a contract deployed with other parameters
   * @throws StorageException if the database cannot be opened
   */
  public static EmbeddedL1 open(Path dir, long rollupId, int slots, Fr genesisRoot, Fr operatorKeyHash, Prover verifier) {
    return open(dir, rollupId, slots, DataAvailability.ROLLUP, genesisRoot, operatorKeyHash, verifier);
  }

  /**
   * Opens the embedded L1 in {@code dir} for batches committed as {@code mode} says (a validium
   * contract receives {@link L1Data} with zero transfer chunks and {@code txHash}).
   *
   * @see #open(Path, long, int, Fr, Fr, Prover)
   */
  public static EmbeddedL1 open(
      Path dir, long rollupId, int slots, DataAvailability mode, Fr genesisRoot, Fr operatorKeyHash, Prover verifier) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(mode, "mode");
    Options options = new Options().setCreateIfMissing(true);
    try {
      Files.createDirectories(dir);
      RocksDB db = RocksDB.open(options, dir.toString());
      EmbeddedL1 l1 = new EmbeddedL1(options, db, rollupId, slots, mode, verifier);
      l1.deployOrCheck(genesisRoot, operatorKeyHash);
      return l1;
    } catch (RocksDBException | IOException e) {
      options.close();
      throw new StorageException("cannot open the embedded L1 in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void deployOrCheck(Fr genesisRoot, Fr operatorKeyHash) throws RocksDBException {
    // A rollup deployment keeps the parameter string it had before validium existed.
    String modeParam = mode == DataAvailability.ROLLUP ? "" : ",mode=" + mode.label();
    byte[] params = ("rollupId=" + rollupId + ",slots=" + slots + ",operatorKeyHash=" + operatorKeyHash.toBigInteger().toString(16) + modeParam)
        .getBytes(StandardCharsets.US_ASCII);
    byte[] have = db.get(PARAMS);
    if (have != null) {
      if (!Arrays.equals(have, params)) {
        close();
        throw new IllegalStateException("the embedded L1 was deployed with " + new String(have, StandardCharsets.US_ASCII) + ", not " + new String(params, StandardCharsets.US_ASCII));
      }
      return;
    }
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(PARAMS, params);
      wb.put(ROOT, genesisRoot.toBytes());
      wb.put(BATCHES, u64(0));
      wb.put(CONSUMED, u64(0));
      wb.put(queueHashKey(0), new byte[32]);
      enqueue(wb, 0, operatorKeyHash, BigInteger.ZERO, new byte[32]);
      wb.put(DEPOSITS, u64(1));
      db.write(sync, wb);
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public synchronized L1State state() {
    return new L1State(Fr.fromBytes(get(ROOT)), getLong(BATCHES), getLong(DEPOSITS), getLong(CONSUMED));
  }

  @Override
  public synchronized List<L1Deposit> deposits(long from, int max) {
    List<L1Deposit> out = new ArrayList<>();
    long end = Math.min(getLong(DEPOSITS), from + max);
    for (long i = Math.max(0, from); i < end; i++) {
      byte[] v = get(depositKey(i));
      out.add(new L1Deposit(i, Fr.fromBytes(v, 0), new BigInteger(1, Arrays.copyOfRange(v, 32, 32 + DEPOSIT_AMOUNT_BYTES))));
    }
    return out;
  }

  /** The ETH balance of an L1 address, in wei. */
  public synchronized BigInteger balance(L1Address address) {
    return getAmount(balanceKey(address));
  }

  /** Withdrawals credited to {@code address} and not yet claimed, in wei. */
  public synchronized BigInteger pendingWithdrawal(L1Address address) {
    return getAmount(pendingKey(address));
  }

  // ------------------------------------------------------------------ calls

  /** Gives {@code address} {@code wei} out of thin air: the development faucet. */
  public synchronized void fund(L1Address address, BigInteger wei) {
    if (wei.signum() <= 0) {
      throw new L1RevertedException("funding must be positive");
    }
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(balanceKey(address), balance(address).add(wei).toByteArray());
      db.write(sync, wb);
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  /**
   * {@code from} deposits {@code amount} wei into the rollup account of {@code keyHash}.
   *
   * @return the deposit's queue index
   * @throws L1RevertedException for an amount of 0 or ≥ 2^112, more than {@code from} has, or one
   *     that brings all deposits together to 2^128 wei
   */
  public synchronized long deposit(L1Address from, Fr keyHash, BigInteger amount) {
    if (amount.signum() <= 0 || amount.compareTo(DEPOSIT_LIMIT) >= 0) {
      throw new L1RevertedException("a deposit must be 1 .. 2^112 − 1 wei, got " + amount);
    }
    BigInteger balance = balance(from);
    if (balance.compareTo(amount) < 0) {
      throw new L1RevertedException("insufficient balance: " + from + " has " + balance + " wei");
    }
    BigInteger total = getAmount(TOTAL_DEPOSITED).add(amount);
    if (total.compareTo(TOTAL_DEPOSIT_LIMIT) >= 0) {
      throw new L1RevertedException("deposits together must stay below 2^128 wei: " + getAmount(TOTAL_DEPOSITED) + " deposited, " + amount + " more refused");
    }
    long index = getLong(DEPOSITS);
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(balanceKey(from), balance.subtract(amount).toByteArray());
      wb.put(TOTAL_DEPOSITED, total.toByteArray());
      enqueue(wb, index, keyHash, amount, get(queueHashKey(index)));
      wb.put(DEPOSITS, u64(index + 1));
      db.write(sync, wb);
    } catch (RocksDBException e) {
      throw storage(e);
    }
    return index;
  }

  /**
   * Commits a batch: checks its header against the contract, verifies its proof against the stored
   * root, consumes its deposits in queue order and credits its withdrawals.
   *
   * @param pubdata the batch's {@link L1Data}: its public data in rollup mode, the public data with
   *     zero transfer chunks and {@code txHash} in validium mode
   * @throws L1RevertedException naming the rule the batch breaks; nothing changes
   */
  @Override
  public synchronized void commitBatch(byte[] pubdata, Fr newRoot, byte[] proof) {
    L1Data l1Data;
    try {
      l1Data = L1Data.decode(slots, mode, pubdata);
    } catch (IllegalArgumentException e) {
      throw new L1RevertedException("malformed public data: " + e.getMessage());
    }
    PublicData data = l1Data.onChain();
    ByteBuffer header = ByteBuffer.wrap(pubdata);
    long headerRollup = Integer.toUnsignedLong(header.getInt());
    long batchNumber = header.getLong();
    long expected = getLong(BATCHES);
    if (headerRollup != rollupId) {
      throw new L1RevertedException("the batch is for rollup " + headerRollup + ", this is rollup " + rollupId);
    }
    if (batchNumber != expected) {
      throw new L1RevertedException("batch " + batchNumber + " out of order: the next batch is " + expected);
    }
    Fr oldRoot = Fr.fromBytes(get(ROOT));
    PublicInputs inputs = new PublicInputs(oldRoot, newRoot, batchNumber, l1Data.hash());
    boolean valid;
    try {
      valid = verifier.verify(new BatchProof(verifier.system(), proof, inputs));
    } catch (RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new L1RevertedException("the proof does not verify for batch " + batchNumber + " from the stored root");
    }
    long consumed = getLong(CONSUMED);
    long queued = getLong(DEPOSITS);
    byte[] rolling = get(queueHashKey(consumed));
    long taken = 0;
    Map<L1Address, BigInteger> credits = new HashMap<>();
    for (int slot = 0; slot < slots; ) {
      int code = data.opCode(slot);
      if (code == OpCode.DEPOSIT.code()) {
        byte[] op = data.opData(slot, OpCode.DEPOSIT.chunks());
        if (consumed + taken >= queued) {
          throw new L1RevertedException("the batch consumes more deposits than are queued");
        }
        // op = to (4) ‖ amount (14) ‖ keyHash (32); L1 ignores `to` (the node picks the index).
        rolling = keccak(rolling, Arrays.copyOfRange(op, 18, 50), Arrays.copyOfRange(op, 4, 18));
        taken++;
        slot += OpCode.DEPOSIT.chunks();
      } else if (code == OpCode.WITHDRAWAL.code()) {
        byte[] op = data.opData(slot, OpCode.WITHDRAWAL.chunks());
        // op = from (4) ‖ l1Address (20) ‖ amount (16)
        L1Address to = L1Address.of(Arrays.copyOfRange(op, 4, 24));
        credits.merge(to, new BigInteger(1, Arrays.copyOfRange(op, 24, 24 + WITHDRAWAL_AMOUNT_BYTES)), BigInteger::add);
        slot += OpCode.WITHDRAWAL.chunks();
      } else {
        slot++;
      }
    }
    if (taken > 0 && !Arrays.equals(rolling, get(queueHashKey(consumed + taken)))) {
      throw new L1RevertedException("the batch's deposits are not the next " + taken + " of the queue, in order");
    }
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(ROOT, newRoot.toBytes());
      wb.put(BATCHES, u64(expected + 1));
      wb.put(CONSUMED, u64(consumed + taken));
      for (Map.Entry<L1Address, BigInteger> c : credits.entrySet()) {
        wb.put(pendingKey(c.getKey()), pendingWithdrawal(c.getKey()).add(c.getValue()).toByteArray());
      }
      db.write(sync, wb);
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  /**
   * Pays {@code caller} its pending withdrawals.
   *
   * @return the amount paid
   * @throws L1RevertedException if nothing is pending for {@code caller}
   */
  public synchronized BigInteger claim(L1Address caller) {
    BigInteger pending = pendingWithdrawal(caller);
    if (pending.signum() == 0) {
      throw new L1RevertedException("nothing to claim for " + caller);
    }
    try (WriteBatch wb = new WriteBatch()) {
      wb.delete(pendingKey(caller));
      wb.put(balanceKey(caller), balance(caller).add(pending).toByteArray());
      db.write(sync, wb);
    } catch (RocksDBException e) {
      throw storage(e);
    }
    return pending;
  }

  @Override
  public synchronized void close() {
    db.close();
    sync.close();
    options.close();
  }

  // ------------------------------------------------------------------ storage

  private void enqueue(WriteBatch wb, long index, Fr keyHash, BigInteger amount, byte[] previousHash) throws RocksDBException {
    byte[] amountBytes = fixed(amount, DEPOSIT_AMOUNT_BYTES);
    byte[] entry = ByteBuffer.allocate(32 + DEPOSIT_AMOUNT_BYTES).put(keyHash.toBytes()).put(amountBytes).array();
    wb.put(depositKey(index), entry);
    wb.put(queueHashKey(index + 1), keccak(previousHash, keyHash.toBytes(), amountBytes));
  }

  /** {@code queueHash[i+1] = keccak256(queueHash[i] ‖ keyHash ‖ amount)}. */
  static byte[] keccak(byte[] previous, byte[] keyHash, byte[] amount) {
    KeccakDigest k = new KeccakDigest(256);
    k.update(previous, 0, previous.length);
    k.update(keyHash, 0, keyHash.length);
    k.update(amount, 0, amount.length);
    byte[] out = new byte[32];
    k.doFinal(out, 0);
    return out;
  }

  private static byte[] fixed(BigInteger value, int width) {
    byte[] raw = value.toByteArray();
    int start = raw.length > width ? raw.length - width : 0;
    byte[] out = new byte[width];
    System.arraycopy(raw, start, out, width - (raw.length - start), raw.length - start);
    return out;
  }

  private byte[] get(byte[] key) {
    try {
      byte[] v = db.get(key);
      if (v == null) {
        throw new StorageException("the embedded L1 lacks " + new String(key, StandardCharsets.ISO_8859_1));
      }
      return v;
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  private long getLong(byte[] key) {
    return ByteBuffer.wrap(get(key)).getLong();
  }

  private BigInteger getAmount(byte[] key) {
    try {
      byte[] v = db.get(key);
      return v == null ? BigInteger.ZERO : new BigInteger(v);
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  private static StorageException storage(RocksDBException e) {
    return new StorageException("embedded L1 storage failed: " + e.getMessage(), e);
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] depositKey(long index) {
    return ByteBuffer.allocate(10).put((byte) 'q').put((byte) '/').putLong(index).array();
  }

  private static byte[] queueHashKey(long index) {
    return ByteBuffer.allocate(10).put((byte) 'h').put((byte) '/').putLong(index).array();
  }

  private static byte[] balanceKey(L1Address a) {
    return ByteBuffer.allocate(22).put((byte) 'b').put((byte) '/').put(a.toBytes()).array();
  }

  private static byte[] pendingKey(L1Address a) {
    return ByteBuffer.allocate(22).put((byte) 'w').put((byte) '/').put(a.toBytes()).array();
  }
}
