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
  void dividedByPairsRunIWithRunI() {
    Samples ratios = new Samples(List.of(2.0, 9.0, 3.0)).dividedBy(new Samples(List.of(1.0, 3.0, 6.0)));
    assertThat(ratios.millis()).containsExactly(2.0, 3.0, 0.5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ratios.dividedBy(new Samples(List.of(1.0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 runs cannot pair with 1");
  }

  @Test
  void medianIntervalTakesTheWidestRanksThatReach95Percent() {
    List<Double> twelve = new java.util.ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      twelve.add((double) i);
    }
    // n = 12: ranks 3 and 10 cover 1 − 2·(1 + 12 + 66)/4096 = 96.1 %; ranks 4 and 9 only 85.4 %.
    Samples.Interval i = new Samples(twelve).medianInterval();
    assertThat(i.low()).isEqualTo(3.0);
    assertThat(i.high()).isEqualTo(10.0);
    assertThat(i.confidence()).isCloseTo(1 - 2 * 79 / 4096.0, org.assertj.core.data.Offset.offset(1e-12));
    // Five runs cannot reach 95 %: the extremes, at 1 − 2/32.
    Samples.Interval five = new Samples(List.of(5.0, 1.0, 4.0, 2.0, 3.0)).medianInterval();
    assertThat(five.low()).isEqualTo(1.0);
    assertThat(five.high()).isEqualTo(5.0);
    assertThat(five.confidence()).isEqualTo(0.9375);
  }

  @Test
  void keepsTheRunOrderAndRefusesNoRuns() {
    assertThat(new Samples(List.of(3.0, 1.0)).millis()).containsExactly(3.0, 1.0);
    assertThatThrownBy(() -> new Samples(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
