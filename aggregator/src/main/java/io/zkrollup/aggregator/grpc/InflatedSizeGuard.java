package io.zkrollup.aggregator.grpc;

import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Answers a compressed request that inflates past the inbound message limit with
 * RESOURCE_EXHAUSTED, as gRPC answers an uncompressed one that is too large.
 *
 * <p>Why it is needed: gRPC checks an uncompressed message's length before reading it, but a
 * compressed one only while the request is parsed, on the call's thread, where grpc-java turns any
 * exception into UNKNOWN ("Application error processing RPC") and logs it as a SEVERE stack trace.
 * The guarded service therefore receives its requests as unparsed streams ({@link
 * ServerInterceptors#useInputStreamMessages}), and the guard's listener, the one that hands the
 * stream on to be parsed, sees the size error itself and closes the call with it. Parsing happens
 * once, where it did; any other parse error is left to grpc-java as before (ClientErrorLogFilter
 * shortens what it logs).
 */
final class InflatedSizeGuard implements ServerInterceptor {

  private InflatedSizeGuard() {}

  /** {@code service}, whose requests that inflate past the limit are refused with RESOURCE_EXHAUSTED. */
  static ServerServiceDefinition guard(BindableService service) {
    return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service.bindService()), new InflatedSizeGuard());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      /** Set once the call is refused: the service must not run on a request it never got. */
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        try {
          super.onMessage(message);
        } catch (StatusRuntimeException e) {
          Status tooLarge = sizeLimit(e);
          if (tooLarge == null) {
            throw e;
          }
          refused = true;
          call.close(tooLarge, new Metadata());
        }
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  /** The RESOURCE_EXHAUSTED status of the size limit among {@code t} and its causes, or null. */
  private static Status sizeLimit(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return Status.RESOURCE_EXHAUSTED.withDescription(s.getStatus().getDescription());
      }
    }
    return null;
  }
}
