package io.zkrollup.aggregator.l1;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something the node does in the background (deposits fed, batches published). */
final class Await {

  private Await() {}

  /** Polls {@code done} every 20 ms until it holds; fails after {@code patience}, naming {@code what}. */
  static void until(Duration patience, BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + patience + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
