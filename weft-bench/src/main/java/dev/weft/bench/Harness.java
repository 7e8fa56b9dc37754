package dev.weft.bench;

import java.util.function.LongSupplier;

/**
 * The timing loop, shaped like Ray's {@code timeit}: run the operation for a warm-up period,
 * counting calls; then run {@code trials} timed trials, each calling the operation in steps (see
 * {@link #step}) until the trial's duration has passed, and report per trial the operations done
 * divided by the elapsed time.
 *
 * <p>Ray's loop is the model: {@code ray/_private/ray_microbenchmark_helpers.py} {@code timeit} (1
 * s warm-up, 4 trials of 2 s). The clock is injected so the loop can be tested without sleeping.
 */
final class Harness {
  /** One benchmark operation; returns how many logical operations it performed (1, or a batch). */
  @FunctionalInterface
  interface Op {
    long run() throws Exception;
  }

  /** How long to warm up and how to split the measured time into trials. */
  record Plan(long warmupNanos, int trials, long trialNanos) {
    Plan {
      if (warmupNanos < 0 || trials < 1 || trialNanos < 1) {
        throw new IllegalArgumentException(
            "invalid plan: warmupNanos="
                + warmupNanos
                + " (>= 0), trials="
                + trials
                + " (>= 1), trialNanos="
                + trialNanos
                + " (>= 1)");
      }
    }

    static Plan ofSeconds(double warmupSeconds, int trials, double measureSeconds) {
      if (trials < 1) {
        throw new IllegalArgumentException("trials must be >= 1 (got " + trials + ")");
      }
      return new Plan(
          Math.round(warmupSeconds * 1e9),
          trials,
          Math.max(1, Math.round(measureSeconds * 1e9 / trials)));
    }
  }

  private final LongSupplier nanoClock;

  Harness(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  static Harness systemClock() {
    return new Harness(System::nanoTime);
  }

  /** Runs the plan and returns one rate (operations per second) per trial. */
  double[] measure(Op op, Plan plan) throws Exception {
    long warmupCalls = 0;
    long start = nanoClock.getAsLong();
    long warmupElapsed;
    do {
      runChecked(op);
      warmupCalls++;
      warmupElapsed = nanoClock.getAsLong() - start;
    } while (warmupElapsed < plan.warmupNanos());
    long step = step(warmupCalls, warmupElapsed, plan.trialNanos());

    double[] rates = new double[plan.trials()];
    for (int t = 0; t < plan.trials(); t++) {
      long ops = 0;
      long trialStart = nanoClock.getAsLong();
      long elapsed;
      do {
        for (long i = 0; i < step; i++) {
          ops += runChecked(op);
        }
        elapsed = nanoClock.getAsLong() - trialStart;
      } while (elapsed < plan.trialNanos());
      rates[t] = ops * 1e9 / Math.max(1, elapsed);
    }
    return rates;
  }

  /**
   * Calls between two looks at the clock: a tenth of the calls one trial is expected to take (as
   * measured in the warm-up), plus one. Ray uses a tenth of the warm-up's calls, its warm-up being
   * half a trial; scaling by the trial's length keeps trials from overrunning when the warm-up is
   * much longer than a trial.
   */
  static long step(long warmupCalls, long warmupElapsedNanos, long trialNanos) {
    double callsPerTrial = (double) warmupCalls * trialNanos / Math.max(1, warmupElapsedNanos);
    return (long) Math.min(callsPerTrial / 10, 1e9) + 1;
  }

  private static long runChecked(Op op) throws Exception {
    long n = op.run();
    if (n < 1) {
      throw new IllegalStateException(
          "a benchmark operation must report at least 1 operation (got " + n + ")");
    }
    return n;
  }
}
