package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HarnessTest {
  private final AtomicLong now = new AtomicLong();
  private final Harness harness = new Harness(now::get);

  @Test
  void measure_opTakes10msFor5Ops_rateIs500PerSecondInEveryTrial() throws Exception {
    Harness.Plan plan = Harness.Plan.ofSeconds(0.1, 3, 0.6);
    AtomicLong calls = new AtomicLong();

    double[] rates =
        harness.measure(
            () -> {
              now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
              calls.incrementAndGet();
              return 5;
            },
            plan);

    assertThat(rates).hasSize(3).containsOnly(500.0);
    // warm-up: 10 calls of 10 ms fill 0.1 s, so a 0.2 s trial is ~20 calls: steps of 20/10+1 = 3
    // calls, and the first look at the clock at or past 0.2 s comes after 21 calls
    assertThat(calls.get()).isEqualTo(10 + 3 * 21);
  }

  @Test
  void measure_zeroWarmup_stillCallsOnceAndCompletesEveryTrial() throws Exception {
    Harness.Plan plan = new Harness.Plan(0, 2, TimeUnit.SECONDS.toNanos(1));

    double[] rates =
        harness.measure(
            () -> {
              now.addAndGet(TimeUnit.SECONDS.toNanos(2)); // slower than a whole trial
              return 1;
            },
            plan);

    assertThat(rates).containsExactly(0.5, 0.5);
  }

  @Test
  void measure_opThrows_propagates() {
    Harness.Plan plan = Harness.Plan.ofSeconds(0.1, 1, 0.1);

    assertThatThrownBy(
            () ->
                harness.measure(
                    () -> {
                      throw new BenchmarkFailedException("wrong result");
                    },
                    plan))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessage("wrong result");
  }

  @Test
  void measure_opReportsNoWork_throws() {
    Harness.Plan plan = Harness.Plan.ofSeconds(0, 1, 0.1);

    assertThatThrownBy(() -> harness.measure(() -> 0, plan))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 1 operation");
  }

  @Test
  void step_tenthOfACallsTrialPlusOne() {
    // Ray's shape: 1 s warm-up of 1,000 calls, 2 s trials -> 2,000 calls a trial -> steps of 201
    assertThat(Harness.step(1000, 1_000_000_000L, 2_000_000_000L)).isEqualTo(201);
    // a long warm-up does not make the steps longer than a trial
    assertThat(Harness.step(10_000, 10_000_000_000L, 100_000_000L)).isEqualTo(11);
    // slow operations: one call at a time
    assertThat(Harness.step(1, 3_000_000_000L, 1_000_000_000L)).isEqualTo(1);
  }

  @Test
  void planOfSeconds_splitsMeasuredTimeOverTrials() {
    Harness.Plan plan = Harness.Plan.ofSeconds(2, 5, 5);

    assertThat(plan.warmupNanos()).isEqualTo(2_000_000_000L);
    assertThat(plan.trials()).isEqualTo(5);
    assertThat(plan.trialNanos()).isEqualTo(1_000_000_000L);
  }

  @Test
  void planOfSeconds_zeroTrials_throws() {
    assertThatThrownBy(() -> Harness.Plan.ofSeconds(1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
