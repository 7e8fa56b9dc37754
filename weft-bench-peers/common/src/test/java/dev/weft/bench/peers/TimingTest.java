package dev.weft.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The timing loop on a fake clock: each operation advances it by what the system would take. */
class TimingTest {
  private static final long SECOND = 1_000_000_000L;

  /**
   * A system that warms up like a fresh JVM: each call costs {@code coldMicros} at first, falling
   * linearly to {@code warmMicros} over the first {@code warmCalls} calls.
   */
  private static final class WarmingSystem {
    final AtomicLong now = new AtomicLong();
    final long coldMicros;
    final long warmMicros;
    final long warmCalls;
    long calls;

    WarmingSystem(long coldMicros, long warmMicros, long warmCalls) {
      this.coldMicros = coldMicros;
      this.warmMicros = warmMicros;
      this.warmCalls = warmCalls;
    }

    long call() {
      long cost =
          calls >= warmCalls
              ? warmMicros
              : coldMicros - (coldMicros - warmMicros) * calls / warmCalls;
      calls++;
      now.addAndGet(cost * 1000);
      return 1;
    }
  }

  @Test
  void untilSteady_goesOnWhileTheRateClimbs_andTheTrialsSeeTheWarmRate() throws Exception {
    // 500 us a call cold (2k/s), 50 us warm (20k/s), warm after 30k calls: ~8 s of climbing
    WarmingSystem s = new WarmingSystem(500, 50, 30_000);
    Timing.Result r = Timing.measure(s::call, SECOND, 6 * SECOND, 3, SECOND, s.now::get);
    assertThat(r.warmup().length).isGreaterThan(2 * Timing.STEADY_WINDOWS + 2);
    assertThat(r.warmup()[0]).isLessThan(10_000);
    assertThat(s.calls).isGreaterThan(30_000); // it warmed past the climb
    for (double t : r.trials()) {
      assertThat(t).isBetween(19_000.0, 20_100.0);
    }
    // the same plan without it times the climb
    WarmingSystem cold = new WarmingSystem(500, 50, 30_000);
    Timing.Result c = Timing.measure(cold::call, SECOND, 0, 3, SECOND, cold.now::get);
    assertThat(c.warmup()).isEmpty();
    assertThat(c.trials()[0]).isLessThan(10_000);
  }

  @Test
  void untilSteady_endsAfterTwoFlatBlocks_onAWarmSystem_notBeforeItsMinimum_andAtItsLimit()
      throws Exception {
    WarmingSystem warm = new WarmingSystem(50, 50, 0);
    Timing.Result r = Timing.measure(warm::call, SECOND, 2 * SECOND, 2, SECOND, warm.now::get);
    assertThat(r.warmup()).hasSize(2 * Timing.STEADY_WINDOWS);
    assertThat(r.trials()).hasSize(2);
    WarmingSystem longer = new WarmingSystem(50, 50, 0);
    Timing.Result m = Timing.measure(longer::call, SECOND, 10 * SECOND, 2, SECOND, longer.now::get);
    assertThat(m.warmup()).as("the minimum").hasSize(10);

    // a system still climbing at the limit (3 times the minimum) stops there
    WarmingSystem slow = new WarmingSystem(5000, 50, 10_000_000);
    long before = slow.now.get();
    Timing.Result l = Timing.measure(slow::call, 0, 2 * SECOND, 1, SECOND, slow.now::get);
    assertThat(l.warmup().length).isBetween(5, 7);
    assertThat(slow.now.get() - before).isLessThan(9 * SECOND);
  }

  @Test
  void steady_comparesTheLastBlockWithTheOneBefore() {
    assertThat(Timing.steady(java.util.List.of(1.0, 1.0, 1.0, 1.0, 1.0))).isFalse(); // too few
    assertThat(Timing.steady(java.util.List.of(10.0, 10.0, 10.0, 10.0, 10.0, 10.4))).isTrue();
    assertThat(Timing.steady(java.util.List.of(10.0, 10.0, 10.0, 10.0, 10.0, 12.0))).isFalse();
    // noise: one slow second after a fast one does not end a climb on its own
    assertThat(Timing.steady(java.util.List.of(6.0, 12.0, 11.0, 19.0, 12.0, 19.0))).isFalse();
    assertThat(Timing.steady(java.util.List.of(19.0, 19.0, 17.0, 19.0, 18.0, 19.0))).isTrue();
  }

  @Test
  void badPlans_areRejected() {
    assertThatThrownBy(() -> Timing.measure(() -> 1, 0, -1, 1, SECOND, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("until steady at least");
  }
}
