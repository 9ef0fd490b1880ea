package io.zkrollup.benchmarks.prove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void medianOfAnOddAndAnEvenCount() {
    assertThat(new Samples(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
    assertThat(new Samples(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void p95IsTheNearestRank() {
    List<Double> twenty = new java.util.ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      twenty.add((double) i);
    }
    assertThat(new Samples(twenty).p95()).as("rank ceil(0.95·20) = 19").isEqualTo(19.0);
    assertThat(new Samples(List.of(5.0, 9.0, 7.0)).p95()).as("few runs: the slowest").isEqualTo(9.0);
  }

  @Test
  void keepsTheRunOrderAndRefusesNoRuns() {
    assertThat(new Samples(List.of(3.0, 1.0)).millis()).containsExactly(3.0, 1.0);
    assertThatThrownBy(() -> new Samples(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
