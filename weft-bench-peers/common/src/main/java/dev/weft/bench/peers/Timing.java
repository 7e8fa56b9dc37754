package dev.weft.bench.peers;

/**
 * The timing loop, the same for Weft and every peer: warm up for {@code warmupNanos} (at least one
 * operation), then {@code trials} trials, each running operations until {@code trialNanos} have
 * passed (at least one operation); a trial's rate is its logical operations divided by its elapsed
 * time. The shape is {@code weft bench}'s Harness (Ray's {@code timeit}).
 */
public final class Timing {
  /** One operation; returns how many logical operations (tasks, calls, bytes) it performed. */
  @FunctionalInterface
  public interface Op {
    long run() throws Exception;
  }

  private Timing() {}

  /** Runs the plan and returns one rate (logical operations per second) per trial. */
  public static double[] measure(Op op, long warmupNanos, int trials, long trialNanos)
      throws Exception {
    if (trials < 1 || warmupNanos < 0 || trialNanos < 1) {
      throw new IllegalArgumentException(
          "bad plan: warmup "
              + warmupNanos
              + " ns, "
              + trials
              + " trials of "
              + trialNanos
              + " ns");
    }
    long start = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      checked(op);
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < warmupNanos);
    // calls between two looks at the clock: a tenth of a trial's worth, as measured in the warm-up
    long step = (long) Math.min((double) calls * trialNanos / Math.max(1, elapsed) / 10, 1e9) + 1;
    double[] rates = new double[trials];
    for (int t = 0; t < trials; t++) {
      long ops = 0;
      long t0 = System.nanoTime();
      long e;
      do {
        for (long i = 0; i < step; i++) {
          ops += checked(op);
        }
        e = System.nanoTime() - t0;
      } while (e < trialNanos);
      rates[t] = ops * 1e9 / Math.max(1, e);
    }
    return rates;
  }

  private static long checked(Op op) throws Exception {
    long n = op.run();
    if (n < 1) {
      throw new IllegalStateException("an operation must report at least 1 (got " + n + ")");
    }
    return n;
  }
}
