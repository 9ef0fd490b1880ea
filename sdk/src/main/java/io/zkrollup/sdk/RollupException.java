package io.zkrollup.sdk;

import io.grpc.Status;
import java.util.Objects;

/**
 * A call to the node that did not succeed: the base of the SDK's exceptions. The subclasses say
 * what a program can do about it:
 *
 * <ul>
 *   <li>{@link TransactionRejectedException}: the node refused a transaction or a list, with a
 *       {@link RejectionReason} and the offending transaction's position; nothing of it was
 *       accepted. Resubmitting the same thing fails the same way.
 *   <li>{@link NodeUnavailableException}: no node answered, or it stopped accepting; try later or
 *       another node.
 *   <li>{@link DeadlineExceededException}: no answer within the deadline; a submission may or may
 *       not have been accepted.
 *   <li>{@link ResourceExhaustedException}: the node is busy, or the request too large.
 * </ul>
 *
 * <p>Anything else (a lookup with an argument the node refuses, an internal error) is a plain
 * {@code RollupException} with its gRPC status code. Unchecked, so that the SDK's calls fit in
 * lambdas; the cause is grpc-java's {@link io.grpc.StatusRuntimeException}.
 */
public class RollupException extends RuntimeException {

  /** The {@code ErrorInfo} domain of the node's errors. */
  public static final String ERROR_DOMAIN = "zkrollup.io";

  private final Status.Code code;

  RollupException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The gRPC status code the node (or grpc-java, for transport failures) answered with. */
  public Status.Code code() {
    return code;
  }
}
