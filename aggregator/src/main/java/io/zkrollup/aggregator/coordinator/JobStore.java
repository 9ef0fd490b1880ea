package io.zkrollup.aggregator.coordinator;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.Table;
import io.zkrollup.aggregator.store.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The leases out on workers, on disk: a restarted coordinator honours them, so a worker that
 * proves through a restart can still renew and submit, and nobody proves its batch twice. Each
 * write is fsynced before the lease reaches the worker.
 */
public final class JobStore {

  private final NodeDatabase db;

  /** Leases in {@code db}'s JOBS table. */
  public JobStore(NodeDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  void put(JobLease lease) {
    byte[] id = lease.leaseId().getBytes(StandardCharsets.US_ASCII);
    byte[] worker = lease.workerId().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(4 + 2 + id.length + 2 + worker.length);
    b.putInt(lease.attempt()).putShort((short) id.length).put(id).putShort((short) worker.length).put(worker);
    db.put(Table.JOBS, NodeDatabase.key(lease.batchNumber()), b.array());
  }

  void remove(long batchNumber) {
    db.delete(Table.JOBS, NodeDatabase.key(batchNumber));
  }

  /** Every stored lease, each with the deadline {@code deadlineNanos}. */
  List<JobLease> all(long deadlineNanos) {
    List<JobLease> out = new ArrayList<>();
    db.scan(Table.JOBS, null, (key, value) -> out.add(decode(NodeDatabase.keyValue(key), value, deadlineNanos)));
    return out;
  }

  private static JobLease decode(long batch, byte[] v, long deadline) {
    try {
      ByteBuffer b = ByteBuffer.wrap(v);
      int attempt = b.getInt();
      byte[] id = new byte[b.getShort()];
      b.get(id);
      byte[] worker = new byte[b.getShort()];
      b.get(worker);
      return new JobLease(new String(id, StandardCharsets.US_ASCII), batch, new String(worker, StandardCharsets.US_ASCII), attempt, deadline);
    } catch (RuntimeException e) {
      throw new StorageException("the stored lease of batch " + batch + " is damaged: " + e.getMessage(), e);
    }
  }
}
