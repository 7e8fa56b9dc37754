package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void of_samples_meanAndPopulationStddevLikeNumpy() {
    // np.mean([2, 4, 4, 4, 5, 5, 7, 9]) == 5.0, np.std(...) == 2.0 (ddof=0)
    Stats s = Stats.of(2, 4, 4, 4, 5, 5, 7, 9);

    assertThat(s.mean()).isEqualTo(5.0);
    assertThat(s.stddev()).isCloseTo(2.0, within(1e-12));
    assertThat(s.trials()).isEqualTo(8);
  }

  @Test
  void of_oneSample_zeroStddev() {
    Stats s = Stats.of(1234.5);

    assertThat(s.mean()).isEqualTo(1234.5);
    assertThat(s.stddev()).isZero();
    assertThat(s.trials()).isEqualTo(1);
  }

  @Test
  void of_noSamples_throws() {
    assertThatThrownBy(Stats::of).isInstanceOf(IllegalArgumentException.class);
  }
}
