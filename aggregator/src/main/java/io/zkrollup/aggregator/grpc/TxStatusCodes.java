package io.zkrollup.aggregator.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;

/**
 * The gRPC status of each {@link RejectReason}, with an {@code ErrorInfo} detail: domain {@value
 * #DOMAIN}, reason the enum's name, metadata {@code index} (the offending transaction's position).
 */
public final class TxStatusCodes {

  /** The {@code ErrorInfo} domain of the node's errors. */
  public static final String DOMAIN = "zkrollup.io";

  private TxStatusCodes() {}

  /** The status code of {@code reason}. */
  public static Status.Code code(RejectReason reason) {
    return switch (reason) {
      case MALFORMED, LIST_TOO_LONG, ZERO_L1_ADDRESS -> Status.Code.INVALID_ARGUMENT;
      case BAD_SIGNATURE -> Status.Code.UNAUTHENTICATED;
      case WRONG_KEY -> Status.Code.PERMISSION_DENIED;
      case NONCE_REPLAYED -> Status.Code.ALREADY_EXISTS;
      case NONCE_GAP, INSUFFICIENT_BALANCE, FEE_TOO_LOW, TOKEN_MISMATCH, TOKEN_NOT_SERVED -> Status.Code.FAILED_PRECONDITION;
      case AMOUNT_OVERFLOW -> Status.Code.OUT_OF_RANGE;
      case UNKNOWN_ACCOUNT, UNKNOWN_TRANSACTION, UNKNOWN_BATCH -> Status.Code.NOT_FOUND;
      case BUSY -> Status.Code.RESOURCE_EXHAUSTED;
      case NODE_HALTED -> Status.Code.UNAVAILABLE;
    };
  }

  /** The exception to answer {@code rejection} with. */
  public static StatusRuntimeException toException(Rejection rejection, boolean inList) {
    String message = inList ? "transaction " + rejection.index() + ": " + rejection.message() : rejection.message();
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setDomain(DOMAIN)
            .setReason(rejection.reason().name())
            .putMetadata("index", Integer.toString(rejection.index()))
            .build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code(rejection.reason()).value())
            .setMessage(message)
            .addDetails(Any.pack(info))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /**
   * The exception to refuse a query's argument with (INVALID_ARGUMENT, reason {@code MALFORMED}, no
   * {@code index}: a query is not a list).
   */
  public static StatusRuntimeException malformedQuery(String message) {
    return refusal(RejectReason.MALFORMED, message);
  }

  /**
   * The exception to refuse a call with for {@code reason} when no transaction of a list is at
   * fault (no {@code index}): a query's argument, or a node too busy to take the call.
   */
  public static StatusRuntimeException refusal(RejectReason reason, String message) {
    ErrorInfo info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason.name()).build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code(reason).value())
            .setMessage(message)
            .addDetails(Any.pack(info))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /** The {@code ErrorInfo} of a status from this node, for clients and tests. */
  public static ErrorInfo errorInfo(Throwable t) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status != null) {
      for (Any detail : status.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          try {
            return detail.unpack(ErrorInfo.class);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a damaged ErrorInfo", e);
          }
        }
      }
    }
    return ErrorInfo.getDefaultInstance();
  }
}
