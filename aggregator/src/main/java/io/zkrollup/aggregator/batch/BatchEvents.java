package io.zkrollup.aggregator.batch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans batch updates out to subscribers (event streams, the prover queue, metrics). Subscribers
 * are called on the publishing thread and must not block.
 */
public final class BatchEvents {

  private static final Logger LOG = Logger.getLogger(BatchEvents.class.getName());

  private final List<Consumer<BatchUpdate>> subscribers = new CopyOnWriteArrayList<>();

  /** Adds a subscriber; returns the handle that removes it. */
  public AutoCloseable subscribe(Consumer<BatchUpdate> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Tells every subscriber; one that throws is removed, the others still hear of it. */
  public void publish(BatchUpdate update) {
    for (Consumer<BatchUpdate> s : subscribers) {
      try {
        s.accept(update);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a batch event subscriber failed and was removed", e);
        subscribers.remove(s);
      }
    }
  }
}
