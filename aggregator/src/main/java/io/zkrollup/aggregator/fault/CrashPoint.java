package io.zkrollup.aggregator.fault;

import java.util.concurrent.locks.LockSupport;

/**
 * Places between two durable steps of the node where a crash test wants its SIGKILL to land. A
 * random kill hits a window of microseconds (a proof stored but not yet announced) almost never,
 * so the crash test starts the node with one point armed ({@code node --crash-at}, hidden): the
 * first thread to reach it says so on standard error and stops there for good, and the test kills
 * the process on seeing the line. Everything else in the node goes on meanwhile, as it would until
 * a real crash. {@link #NONE}, the default, is never reached: a production node pays one reference
 * comparison per place.
 *
 * <p>docs/crash-test.md, "Crashes with proving and L1", lists the points and what each kill
 * checks.
 */
public enum CrashPoint {
  /** No point armed. */
  NONE,
  /** A priority request (deposit) fed and sequenced, not yet in the journal. */
  DEPOSIT_FED,
  /** A worker's proof verified and stored, PROVEN not yet announced. */
  PROOF_STORED,
  /** A commit mined and confirmed on L1, the node not yet told (no PUBLISHED update). */
  COMMIT_MINED;

  /** What a thread that reached the armed point prints, followed by the point's name. */
  public static final String REACHED = "crash point reached: ";

  /**
   * If this is the armed point and {@code here} is it: prints {@link #REACHED} and the name on
   * standard error and blocks the calling thread until the process dies.
   */
  public void reach(CrashPoint here) {
    if (this != here || this == NONE) {
      return;
    }
    System.err.println(REACHED + name());
    System.err.flush();
    while (true) {
      LockSupport.park(this); // for good: interrupts and spurious wake-ups park again
    }
  }
}
