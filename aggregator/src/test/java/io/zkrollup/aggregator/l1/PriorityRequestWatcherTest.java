package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The deadline rule of the watcher (docs/decisions.md, "When the node seals for the deadline"). */
class PriorityRequestWatcherTest {

  @Test
  void theOpenBatchIsSealedOnceTheOldestRequestHasWaitedAQuarterOfTheDeadline() {
    assertThat(PriorityRequestWatcher.sealDue(24, 100)).isFalse();
    assertThat(PriorityRequestWatcher.sealDue(25, 100)).isTrue();
    assertThat(PriorityRequestWatcher.sealDue(0, 50_400)).isFalse();
    assertThat(PriorityRequestWatcher.sealDue(12_600, 50_400)).isTrue();
    // A deadline below 4 blocks: every request is due at once.
    assertThat(PriorityRequestWatcher.sealDue(1, 3)).isTrue();
  }
}
