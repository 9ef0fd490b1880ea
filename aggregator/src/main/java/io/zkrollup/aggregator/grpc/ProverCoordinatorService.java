package io.zkrollup.aggregator.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.coordinator.CoordinatorException;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.coordinator.JobLease;
import io.zkrollup.api.v1.CircuitKey;
import io.zkrollup.api.v1.CoordinatorError;
import io.zkrollup.api.v1.HeartbeatRequest;
import io.zkrollup.api.v1.HeartbeatResponse;
import io.zkrollup.api.v1.Job;
import io.zkrollup.api.v1.LeaseJobRequest;
import io.zkrollup.api.v1.LeaseJobResponse;
import io.zkrollup.api.v1.ProverCoordinatorGrpc;
import io.zkrollup.api.v1.ReportFailureRequest;
import io.zkrollup.api.v1.ReportFailureResponse;
import io.zkrollup.api.v1.SubmitProofRequest;
import io.zkrollup.api.v1.SubmitProofResponse;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.cluster.PublicInputsMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ProverCoordinator gRPC service over a {@link JobCoordinator}: checks each request's fields,
 * and answers refusals with a status code and an {@code ErrorInfo} (domain {@value
 * TxStatusCodes#DOMAIN}, reason a {@link CoordinatorError} name).
 */
public final class ProverCoordinatorService extends ProverCoordinatorGrpc.ProverCoordinatorImplBase {

  private static final Logger LOG = Logger.getLogger(ProverCoordinatorService.class.getName());

  /** Longer than any real proof in gnark's encoding (Groth16 ~ 256 B, PLONK ~ 1 KB, plus commitments). */
  static final int MAX_PROOF_BYTES = 64 * 1024;

  private static final int MAX_ID_CHARS = 128;
  private static final int MAX_REASON_CHARS = 1_000;

  private final JobCoordinator coordinator;

  /** Serves {@code coordinator}. */
  public ProverCoordinatorService(JobCoordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
  }

  @Override
  public void leaseJob(LeaseJobRequest request, StreamObserver<LeaseJobResponse> response) {
    answer(
        response,
        () -> {
          String worker = id(request.getWorkerId(), "worker_id");
          List<CircuitIdentity> circuits = new ArrayList<>();
          for (CircuitKey k : request.getCapabilities().getCircuitsList()) {
            try {
              circuits.add(CircuitIdentity.fromProto(k));
            } catch (IllegalArgumentException e) {
              throw malformed("circuits: " + e.getMessage());
            }
          }
          Context context = Context.current();
          Optional<JobLease> lease;
          try {
            lease = coordinator.lease(worker, circuits, request.getCapabilities().getCapacity(), request.getWaitMs(), context::isCancelled);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorException(CoordinatorError.COORDINATOR_CLOSED, "interrupted");
          }
          if (lease.isEmpty()) {
            return LeaseJobResponse.getDefaultInstance();
          }
          if (context.isCancelled()) {
            coordinator.unlease(lease.get());
            return LeaseJobResponse.getDefaultInstance();
          }
          return LeaseJobResponse.newBuilder().setJob(job(lease.get())).build();
        });
  }

  private Job job(JobLease lease) {
    StoredBatch batch = coordinator.batch(lease);
    JobCoordinator.Settings s = coordinator.settings();
    return Job.newBuilder()
        .setLeaseId(lease.leaseId())
        .setBatchNumber(lease.batchNumber())
        .setCircuit(coordinator.circuit().toProto())
        .setWitness(ByteString.copyFrom(batch.witness()))
        .setPublicInputs(PublicInputsMessages.toProto(batch.publicInputs()))
        .setAttempt(lease.attempt())
        .setLeaseTtlMs(s.leaseTtlMillis())
        .setHeartbeatMs(s.heartbeatMillis())
        .build();
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
    answer(
        response,
        () -> HeartbeatResponse.newBuilder().setLeaseTtlMs(coordinator.heartbeat(id(request.getWorkerId(), "worker_id"), id(request.getLeaseId(), "lease_id"))).build());
  }

  @Override
  public void submitProof(SubmitProofRequest request, StreamObserver<SubmitProofResponse> response) {
    answer(
        response,
        () -> {
          String worker = id(request.getWorkerId(), "worker_id");
          String lease = id(request.getLeaseId(), "lease_id");
          if (request.getProof().isEmpty() || request.getProof().size() > MAX_PROOF_BYTES) {
            throw malformed("proof must be 1.." + MAX_PROOF_BYTES + " bytes, got " + request.getProof().size());
          }
          if (request.getBatchNumber() < 0) {
            throw malformed("batch_number is out of range");
          }
          JobCoordinator.Submission s =
              coordinator.submit(worker, lease, request.getBatchNumber(), request.getProof().toByteArray(), request.getProveMs());
          return SubmitProofResponse.newBuilder().setAlreadyProven(s == JobCoordinator.Submission.ALREADY_PROVEN).build();
        });
  }

  @Override
  public void reportFailure(ReportFailureRequest request, StreamObserver<ReportFailureResponse> response) {
    answer(
        response,
        () -> {
          String reason = request.getReason();
          if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "…";
          }
          String worker = id(request.getWorkerId(), "worker_id");
          if (request.getLeaseId().isEmpty() && request.getReleased()) {
            coordinator.releaseAll(worker);
          } else {
            coordinator.reportFailure(worker, id(request.getLeaseId(), "lease_id"), request.getReleased(), reason);
          }
          return ReportFailureResponse.getDefaultInstance();
        });
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (CoordinatorException e) {
      response.onError(toStatus(e));
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a coordinator call failed", e);
      response.onError(Status.INTERNAL.withDescription("the coordinator failed: " + e.getMessage()).asRuntimeException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }

  private static String id(String value, String field) {
    if (value.isEmpty() || value.length() > MAX_ID_CHARS || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw malformed(field + " must be 1.." + MAX_ID_CHARS + " printable ASCII characters without spaces");
    }
    return value;
  }

  private static CoordinatorException malformed(String message) {
    return new CoordinatorException(CoordinatorError.MALFORMED_REQUEST, message);
  }

  /** The status code of each refusal. */
  static Status.Code code(CoordinatorError reason) {
    return switch (reason) {
      case MALFORMED_REQUEST, WRONG_BATCH, PROOF_REJECTED -> Status.Code.INVALID_ARGUMENT;
      case LEASE_NOT_FOUND -> Status.Code.NOT_FOUND;
      case NOT_LEASE_HOLDER, WORKER_QUARANTINED -> Status.Code.PERMISSION_DENIED;
      case COORDINATOR_CLOSED -> Status.Code.UNAVAILABLE;
      case CIRCUIT_MISMATCH -> Status.Code.FAILED_PRECONDITION;
      default -> Status.Code.INTERNAL;
    };
  }

  private static StatusRuntimeException toStatus(CoordinatorException e) {
    ErrorInfo info = ErrorInfo.newBuilder().setDomain(TxStatusCodes.DOMAIN).setReason(e.reason().name()).build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder().setCode(code(e.reason()).value()).setMessage(e.getMessage()).addDetails(Any.pack(info)).build());
  }
}
