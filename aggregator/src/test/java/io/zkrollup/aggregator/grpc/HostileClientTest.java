package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an independent client found by feeding the node values at the edges of the API (issue 21,
 * "Abusive clients"), over a real gRPC channel: each gets a defined answer and the node goes on
 * serving everyone else.
 */
class HostileClientTest {

  @TempDir static Path dir;
  static TestNode t;

  @BeforeAll
  static void start() throws InterruptedException {
    t = TestNode.start(dir, TestNode.Options.defaults());
    // Genesis fills the first batches; wait until one is built so a stream from 0 has history.
    t.await(s -> s.getBuiltBatches() >= 1, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  @Test
  void aFromBatchOf2To63OrMoreWaitsForBatchesThatNeverComeInsteadOfFailing() {
    // from_batch is a uint64; Java reads 2^63 … 2^64 − 1 as negative longs. Before, the stream
    // answered UNKNOWN and the node logged NoSuchElementException.
    for (long fromBatch : new long[] {Long.MIN_VALUE, -1L}) {
      Iterator<BatchEvent> events =
          RollupServiceGrpc.newBlockingStub(t.channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(fromBatch).build());
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, events::hasNext);
      assertThat(e.getStatus().getCode()).as(Long.toUnsignedString(fromBatch)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
    // The node still streams for everyone else.
    Iterator<BatchEvent> fromZero =
        RollupServiceGrpc.newBlockingStub(t.channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(0).build());
    assertThat(fromZero.next().getBatchNumber()).isZero();
  }
}
