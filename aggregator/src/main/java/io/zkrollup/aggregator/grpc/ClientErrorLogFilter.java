package io.zkrollup.aggregator.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Turns what grpc-java logs about a client's unparseable request into one short line, at most one
 * per interval. grpc-java parses a request before any interceptor sees it; bytes that are not the
 * method's message make the parse throw on a call thread, and grpc-java's {@code
 * SerializingExecutor} then logs a SEVERE record with the whole stack trace (2.6 KB for an 8-byte
 * request): a client could fill the node's log at line rate, and an operator would read a client's
 * mistake as the node's failure.
 */
final class ClientErrorLogFilter implements Filter {

  /** The logger grpc-java reports failed call runnables on. */
  static final String GRPC_EXECUTOR_LOGGER = "io.grpc.internal.SerializingExecutor";

  private final long intervalNanos;
  private final LongSupplier clock;
  private final AtomicLong nextLine;
  private final AtomicLong suppressed = new AtomicLong();

  /**
   * @param intervalNanos at most one line per this interval; the next line says how many it left out
   * @param clock nanoTime
   */
  ClientErrorLogFilter(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
    this.nextLine = new AtomicLong(clock.getAsLong());
  }

  /**
   * The logger the filter is installed on, held for the life of the JVM: java.util.logging keeps
   * loggers only weakly, so a logger nobody references (grpc-java's class that holds it may not be
   * loaded yet when the node starts) can be collected, and grpc-java would then log on a new one
   * without the filter.
   */
  private static final Logger GRPC_EXECUTOR = Logger.getLogger(GRPC_EXECUTOR_LOGGER);

  /** Installs a filter on grpc-java's executor logger (once per JVM: a second install keeps the first). */
  static void install() {
    Logger logger = GRPC_EXECUTOR;
    synchronized (logger) {
      if (!(logger.getFilter() instanceof ClientErrorLogFilter)) {
        logger.setFilter(new ClientErrorLogFilter(10_000_000_000L, System::nanoTime));
      }
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (!isUnparseableRequest(record.getThrown())) {
      return true;
    }
    long now = clock.getAsLong();
    long next = nextLine.get();
    if (now - next < 0 || !nextLine.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return false;
    }
    long left = suppressed.getAndSet(0);
    record.setLevel(Level.WARNING);
    record.setThrown(null);
    record.setParameters(null);
    record.setMessage(
        "refused a request whose bytes are not the method's protobuf message (a client's error)" + (left > 0 ? "; " + left + " more since the last such line" : ""));
    return true;
  }

  /** Whether {@code t} is a request's failed protobuf parse. */
  static boolean isUnparseableRequest(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InvalidProtocolBufferException) {
        return true;
      }
    }
    return false;
  }
}
