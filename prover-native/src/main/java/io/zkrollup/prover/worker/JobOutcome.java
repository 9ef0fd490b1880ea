package io.zkrollup.prover.worker;

import java.util.Locale;

/** How a leased job ended on this worker: the {@code outcome} label of {@code zkrollup_worker_jobs_total}. */
public enum JobOutcome {
  /** The coordinator accepted the proof (or had one already). */
  PROVEN,
  /** The coordinator refused the proof (INVALID_ARGUMENT, e.g. PROOF_REJECTED or WRONG_BATCH). */
  REJECTED,
  /** The job could not be proven here and was reported as a failed attempt. */
  FAILED,
  /** The lease was given back because the worker is stopping. */
  RELEASED,
  /** The lease ended (expired or taken over) before the proof was accepted. */
  LEASE_LOST,
  /** The proof was made but the coordinator stayed unreachable for longer than the retry limit. */
  DROPPED;

  /** The label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
