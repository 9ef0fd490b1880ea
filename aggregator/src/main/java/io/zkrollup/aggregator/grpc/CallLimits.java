package io.zkrollup.aggregator.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.ledger.RejectReason;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How much of the node's API clients may use at once: the threads that run calls, the unary calls
 * in progress and the open streams. Beyond a bound a call is answered at once with
 * RESOURCE_EXHAUSTED and {@code ErrorInfo} reason {@code BUSY}, so a flood of calls costs the node
 * a refusal each instead of a thread each (grpc-java's default executor starts a thread per
 * waiting call: 10,000 concurrent GetAccount calls once grew a node to 2,413 threads).
 *
 * @param threads the fixed pool that runs every call's handlers
 * @param unaryCalls unary calls in progress at once (a submission counts until it is journaled)
 * @param streams server streams open at once ({@code StreamBatchEvents})
 */
public record CallLimits(int threads, int unaryCalls, int streams) {

  /** Checks the values. */
  public CallLimits {
    if (threads < 1 || unaryCalls < 1 || streams < 1) {
      throw new IllegalArgumentException("every limit is at least 1: " + threads + ", " + unaryCalls + ", " + streams);
    }
  }

  /** A node's limits on a machine with {@code cpus} processors. */
  public static CallLimits defaults(int cpus) {
    return new CallLimits(Math.max(4, 2 * cpus), 1_024, 1_024);
  }

  /** The interceptor that enforces the call bounds; the thread pool is the server's executor. */
  ServerInterceptor interceptor() {
    return new Gate(new Semaphore(unaryCalls), new Semaphore(streams));
  }

  private static final class Gate implements ServerInterceptor {
    private final Semaphore unary;
    private final Semaphore streams;

    Gate(Semaphore unary, Semaphore streams) {
      this.unary = unary;
      this.streams = streams;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      boolean isUnary = call.getMethodDescriptor().getType().serverSendsOneMessage();
      Semaphore permits = isUnary ? unary : streams;
      if (!permits.tryAcquire()) {
        StatusRuntimeException busy =
            TxStatusCodes.refusal(RejectReason.BUSY, "the node is serving as many " + (isUnary ? "calls" : "streams") + " as it may; try again later");
        call.close(busy.getStatus(), busy.getTrailers());
        return new ServerCall.Listener<>() {};
      }
      AtomicBoolean released = new AtomicBoolean();
      Runnable release =
          () -> {
            if (released.compareAndSet(false, true)) {
              permits.release();
            }
          };
      try {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onComplete() {
            try {
              super.onComplete();
            } finally {
              release.run();
            }
          }

          @Override
          public void onCancel() {
            try {
              super.onCancel();
            } finally {
              release.run();
            }
          }
        };
      } catch (RuntimeException e) {
        release.run();
        throw e;
      }
    }
  }
}
