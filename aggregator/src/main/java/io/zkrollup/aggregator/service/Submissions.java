package io.zkrollup.aggregator.service;

import io.zkrollup.aggregator.ingest.SubmissionCallback;
import io.zkrollup.circuits.tx.SignedOp;
import java.util.List;

/** Takes signed transactions from users. */
public interface Submissions {

  /**
   * Submits one transaction or an atomic list: all are accepted (durable before the callback) or
   * none is.
   */
  void submit(List<SignedOp> ops, SubmissionCallback callback);
}
