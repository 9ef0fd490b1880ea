package io.zkrollup.sdk;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/** Turns grpc-java's status exceptions into the SDK's typed exceptions. */
final class Errors {

  private Errors() {}

  /**
   * The SDK exception for {@code e}.
   *
   * @param submission whether the call submitted transactions: a refusal with the node's {@code
   *     ErrorInfo} is then a {@link TransactionRejectedException}
   */
  static RollupException of(StatusRuntimeException e, boolean submission) {
    Status status = e.getStatus();
    Optional<ErrorInfo> info = errorInfo(e);
    RejectionReason reason = info.map(i -> RejectionReason.named(i.getReason())).orElse(null);
    String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
    return switch (status.getCode()) {
      case UNAVAILABLE -> new NodeUnavailableException(reason == RejectionReason.NODE_HALTED, message, e);
      case DEADLINE_EXCEEDED -> new DeadlineExceededException(message, e);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(reason == RejectionReason.BUSY, message, e);
      default ->
          submission && info.isPresent()
              ? new TransactionRejectedException(status.getCode(), reason, index(info.get()), message, e)
              : new RollupException(status.getCode(), message, e);
    };
  }

  /** The node's {@code ErrorInfo} in the status of {@code e}, if it carries one of its domain. */
  static Optional<ErrorInfo> errorInfo(Throwable e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return Optional.empty();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (RollupException.ERROR_DOMAIN.equals(info.getDomain())) {
            return Optional.of(info);
          }
        } catch (InvalidProtocolBufferException damaged) {
          return Optional.empty(); // a damaged detail: the status code and message still say what happened
        }
      }
    }
    return Optional.empty();
  }

  private static int index(ErrorInfo info) {
    try {
      return Integer.parseInt(info.getMetadataOrDefault("index", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
