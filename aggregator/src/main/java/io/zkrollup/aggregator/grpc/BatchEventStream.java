package io.zkrollup.aggregator.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.service.BatchQueries;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.BatchStage;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code StreamBatchEvents} call: the stored history from the requested batch, then live
 * updates, each (batch, stage) once and in the order the node reached them.
 */
final class BatchEventStream {

  private final ServerCallStreamObserver<BatchEvent> out;
  private final int slots;
  private final List<BatchUpdate> buffered = new ArrayList<>();
  private final long fromBatch;
  private boolean live;
  private long sealedUpTo;
  private long provenUpTo;

  private BatchEventStream(ServerCallStreamObserver<BatchEvent> out, int slots, long fromBatch) {
    this.out = out;
    this.slots = slots;
    this.fromBatch = fromBatch;
  }

  /**
   * @param fromBatch the request's {@code from_batch}, a uint64 that Java reads as a signed long: a
   *     value of 2^63 or more arrives negative and names a batch no node reaches, so the stream
   *     then waits for nothing (until the client's deadline) instead of failing
   */
  static void start(BatchQueries batches, int slots, long fromBatch, ServerCallStreamObserver<BatchEvent> out) {
    long from = fromBatch < 0 ? Long.MAX_VALUE : fromBatch;
    BatchEventStream stream = new BatchEventStream(out, slots, from);
    // Subscribe first and hold live updates back, so nothing falls between history and live.
    AutoCloseable subscription = batches.subscribe(stream::onUpdate);
    out.setOnCancelHandler(
        () -> {
          try {
            subscription.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    stream.replay(batches, from);
  }

  private void replay(BatchQueries batches, long fromBatch) {
    long built = batches.builtCount();
    long n = fromBatch;
    for (; n < built; n++) {
      StoredBatch b = batches.batch(n).orElseThrow();
      send(new BatchUpdate(b, BatchUpdate.Stage.SEALED, 0));
      var proof = batches.proof(n);
      if (proof.isPresent()) {
        send(new BatchUpdate(b, BatchUpdate.Stage.PROVEN, proof.get().proveMillis()));
        provenUpTo = n + 1;
      }
    }
    synchronized (this) {
      sealedUpTo = Math.max(n, fromBatch);
      provenUpTo = Math.max(provenUpTo, fromBatch);
      for (BatchUpdate u : buffered) {
        sendIfNew(u);
      }
      buffered.clear();
      live = true;
    }
  }

  private synchronized void onUpdate(BatchUpdate u) {
    if (!live) {
      buffered.add(u);
    } else {
      sendIfNew(u);
    }
  }

  private void sendIfNew(BatchUpdate u) {
    long n = u.batch().number();
    if (u.stage() == BatchUpdate.Stage.SEALED && n >= sealedUpTo) {
      sealedUpTo = n + 1;
      send(u);
    } else if (u.stage() == BatchUpdate.Stage.PROVEN && n >= provenUpTo) {
      provenUpTo = n + 1;
      send(u);
    } else if (u.stage() == BatchUpdate.Stage.PUBLISHED && n >= fromBatch) {
      send(u);
    }
  }

  private void send(BatchUpdate u) {
    if (out.isCancelled()) {
      return;
    }
    StoredBatch b = u.batch();
    out.onNext(
        BatchEvent.newBuilder()
            .setBatchNumber(b.number())
            .setStage(BatchStage.forNumber(u.stage().ordinal() + 1))
            .setOldRoot(RollupGrpcService.bytes(b.oldRoot()))
            .setNewRoot(RollupGrpcService.bytes(b.newRoot()))
            .setTransactions(b.ops())
            .setSlots(slots)
            .setPubdataHash(RollupGrpcService.bytes(b.publicInputs().pubdataHash()))
            .setProveMillis(u.proveMillis())
            .build());
  }
}
