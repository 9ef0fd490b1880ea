package io.zkrollup.prover.worker;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted coordinator for the worker tests: hands out queued jobs, records what the worker sends,
 * and answers with the errors a test arranges. The worker is the unit under test here; the real
 * coordinator has its own tests.
 */
final class TestCoordinator extends ProverCoordinatorGrpc.ProverCoordinatorImplBase {
  final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  final BlockingQueue<LeaseJobRequest> leaseRequests = new LinkedBlockingQueue<>();
  final BlockingQueue<SubmitProofRequest> accepted = new LinkedBlockingQueue<>();
  final BlockingQueue<ReportFailureRequest> reports = new LinkedBlockingQueue<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  final AtomicInteger submitAttempts = new AtomicInteger();
  /** How many of the next LeaseJob calls to answer UNAVAILABLE. */
  final AtomicInteger leaseUnavailable = new AtomicInteger();
  /** How many of the next SubmitProof calls to answer UNAVAILABLE. */
  final AtomicInteger submitUnavailable = new AtomicInteger();
  /** What every Heartbeat is answered with; null for OK. */
  volatile Status heartbeatAnswer;

  @Override
  public void leaseJob(LeaseJobRequest request, StreamObserver<LeaseJobResponse> out) {
    leaseRequests.add(request);
    if (leaseUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
      return;
    }
    Job job;
    try {
      job = jobs.poll(request.getWaitMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job = null;
    }
    LeaseJobResponse.Builder r = LeaseJobResponse.newBuilder();
    if (job != null) {
      r.setJob(job);
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
    heartbeats.incrementAndGet();
    Status answer = heartbeatAnswer;
    if (answer != null) {
      out.onError(answer.asRuntimeException());
      return;
    }
    out.onNext(HeartbeatResponse.newBuilder().setLeaseTtlMs(1_000).build());
    out.onCompleted();
  }

  @Override
  public void submitProof(SubmitProofRequest request, StreamObserver<SubmitProofResponse> out) {
    submitAttempts.incrementAndGet();
    if (submitUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
      return;
    }
    accepted.add(request);
    out.onNext(SubmitProofResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void reportFailure(ReportFailureRequest request, StreamObserver<ReportFailureResponse> out) {
    reports.add(request);
    out.onNext(ReportFailureResponse.getDefaultInstance());
    out.onCompleted();
  }
}
