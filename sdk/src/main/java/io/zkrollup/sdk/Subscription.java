package io.zkrollup.sdk;

/** A running {@link RollupClient#batchEvents} stream; closing it cancels the stream. */
public interface Subscription extends AutoCloseable {

  /** Cancels the stream; the listener gets no more calls. Idempotent. */
  @Override
  void close();
}
