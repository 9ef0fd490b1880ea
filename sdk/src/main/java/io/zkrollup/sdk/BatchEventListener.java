package io.zkrollup.sdk;

/**
 * Receives the events of {@link RollupClient#batchEvents}: the stored history first, then live
 * events, in order. Called on a grpc-java thread, one call at a time; a listener that blocks holds
 * up the stream.
 */
public interface BatchEventListener {

  /** A batch reached a stage. */
  void onEvent(BatchEvent event);

  /**
   * The stream ended with an error (the node went away: {@link NodeUnavailableException}); no more
   * calls follow. Not called after {@link Subscription#close()}.
   */
  void onError(RollupException error);

  /** The node ended the stream (it is shutting down); no more calls follow. */
  default void onCompleted() {}
}
