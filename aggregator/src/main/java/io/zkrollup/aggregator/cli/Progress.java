package io.zkrollup.aggregator.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A long step on the console: says what it is doing every few seconds (with how long it has taken
 * and, when given, how far it is), then how long it took. Lines, not a redrawn bar, so the output
 * reads the same in a terminal, a CI log and a pipe.
 */
public final class Progress implements AutoCloseable {

  private final PrintWriter out;
  private final String what;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService ticker;

  private Progress(PrintWriter out, String what, Supplier<String> state, long everyMillis) {
    this.out = out;
    this.what = what;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress");
              t.setDaemon(true);
              return t;
            });
    out.printf("  %s …%n", what);
    out.flush();
    ticker.scheduleAtFixedRate(
        () -> {
          String s = state.get();
          out.printf(Locale.ROOT, "    … %s%s%n", seconds(), s.isEmpty() ? "" : ", " + s);
          out.flush();
        },
        everyMillis,
        everyMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Starts reporting {@code what} every 5 s. */
  public static Progress start(PrintWriter out, String what) {
    return new Progress(out, what, () -> "", 5_000);
  }

  /** Starts reporting {@code what} and {@code state} (e.g. "3 of 5 batches proven") every 5 s. */
  public static Progress start(PrintWriter out, String what, Supplier<String> state) {
    return new Progress(out, what, state, 5_000);
  }

  /** The time since the start, as "12.3 s". */
  public String seconds() {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
  }

  /** Stops reporting and prints the time taken. */
  @Override
  public void close() {
    ticker.shutdownNow();
    out.printf("  %s: done in %s%n", what, seconds());
    out.flush();
  }
}
