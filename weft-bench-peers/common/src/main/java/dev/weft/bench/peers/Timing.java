package dev.weft.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The timing loop, the same for Weft and every peer: warm up for {@code warmupNanos} (at least one
 * operation), then, when asked, go on warming up until the rate is steady (below), then {@code
 * trials} trials, each running operations until {@code trialNanos} have passed (at least one
 * operation); a trial's rate is its logical operations divided by its elapsed time. The shape is
 * {@code weft bench}'s Harness (Ray's {@code timeit}).
 *
 * <p><b>Until steady.</b> A fresh JVM on 2 CPUs takes far longer than a second to compile a
 * distributed system's hot paths: Weft's sync tasks climbed from ~1k to ~16k/s over ~20 s on a
 * fresh cluster here, the driver and the worker compiling all the while, while a bare TCP ping-pong
 * is warm at once. Timing that climb would compare a cold system with a warm one. With {@code
 * steadyMinNanos > 0} the warm-up goes on in windows of {@link #STEADY_WINDOW_NANOS}, and ends once
 * the mean rate of the last {@link #STEADY_WINDOWS} windows is no more than {@link #STEADY_GAIN}
 * times that of the {@link #STEADY_WINDOWS} before them (a plateau: means of three windows ride out
 * a noisy VM's ±15% from one second to the next, and a slow climb still shows from one block to the
 * next), but not before {@code steadyMinNanos} (JIT warm-up comes in stages: Weft's sync tasks held
 * at ~8k/s for 6 s on the way from 1k to 19k/s), and not after {@link #STEADY_MAX_FACTOR} times
 * that. The windows' rates are returned with the trials, so the cold rate and how long the climb
 * took are reported too. JMH's answer to the same problem is warm-up iterations chosen by the user;
 * this picks their number by looking at the rate.
 */
public final class Timing {
  /** One operation; returns how many logical operations (tasks, calls, bytes) it performed. */
  @FunctionalInterface
  public interface Op {
    long run() throws Exception;
  }

  /** How long one window of the until-steady warm-up lasts. */
  public static final long STEADY_WINDOW_NANOS = 1_000_000_000L;

  /** The until-steady warm-up stops after this many times its minimum, steady or not. */
  public static final int STEADY_MAX_FACTOR = 3;

  /** Windows per block: the until-steady warm-up compares the last block with the one before. */
  public static final int STEADY_WINDOWS = 3;

  /** How much faster than the block before the last block must be to count as still climbing. */
  public static final double STEADY_GAIN = 1.05;

  /**
   * What one measurement gave.
   *
   * @param trials the trials' rates
   * @param warmup the rates of the until-steady warm-up's windows, in order (empty when it was off)
   */
  public record Result(double[] trials, double[] warmup) {}

  private Timing() {}

  /**
   * Runs the plan: warm-up, then when {@code steadyMinNanos > 0} at least that long and until
   * steady (at most {@link #STEADY_MAX_FACTOR} times that), then the trials; {@code clock} gives
   * nanoseconds (injected by tests).
   */
  public static Result measure(
      Op op, long warmupNanos, long steadyMinNanos, int trials, long trialNanos, LongSupplier clock)
      throws Exception {
    if (trials < 1 || warmupNanos < 0 || steadyMinNanos < 0 || trialNanos < 1) {
      throw new IllegalArgumentException(
          "bad plan: warmup "
              + warmupNanos
              + " ns, until steady at least "
              + steadyMinNanos
              + " ns, "
              + trials
              + " trials of "
              + trialNanos
              + " ns");
    }
    long start = clock.getAsLong();
    long calls = 0;
    long elapsed;
    do {
      checked(op);
      calls++;
      elapsed = clock.getAsLong() - start;
    } while (elapsed < warmupNanos);
    // calls between two looks at the clock: a tenth of a trial's worth, as measured in the warm-up
    long step = (long) Math.min((double) calls * trialNanos / Math.max(1, elapsed) / 10, 1e9) + 1;
    List<Double> windows = new ArrayList<>();
    if (steadyMinNanos > 0) {
      long steadyStart = clock.getAsLong();
      long steadyMaxNanos = steadyMinNanos * STEADY_MAX_FACTOR;
      long windowStep = Math.max(1, step * STEADY_WINDOW_NANOS / trialNanos);
      while (clock.getAsLong() - steadyStart < steadyMaxNanos) {
        Span w = timed(op, windowStep, STEADY_WINDOW_NANOS, clock);
        windows.add(w.rate());
        // the steps follow the calls' rate, so a climbing system's windows and trials keep their
        // length
        windowStep = w.step(STEADY_WINDOW_NANOS);
        step = w.step(trialNanos);
        if (clock.getAsLong() - steadyStart >= steadyMinNanos && steady(windows)) {
          break;
        }
      }
    }
    double[] rates = new double[trials];
    for (int t = 0; t < trials; t++) {
      rates[t] = timed(op, step, trialNanos, clock).rate();
    }
    double[] w = new double[windows.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = windows.get(i);
    }
    return new Result(rates, w);
  }

  /**
   * Whether the last {@link #STEADY_WINDOWS} windows' mean rate is no more than {@link
   * #STEADY_GAIN} times the mean of the {@link #STEADY_WINDOWS} before them.
   */
  static boolean steady(List<Double> windows) {
    int n = windows.size();
    if (n < 2 * STEADY_WINDOWS) {
      return false;
    }
    double last = 0;
    double before = 0;
    for (int i = 0; i < STEADY_WINDOWS; i++) {
      last += windows.get(n - 1 - i);
      before += windows.get(n - 1 - STEADY_WINDOWS - i);
    }
    return last <= before * STEADY_GAIN;
  }

  /** Operations and calls done in a timed span. */
  private record Span(long ops, long calls, long nanos) {
    double rate() {
      return ops * 1e9 / Math.max(1, nanos);
    }

    /** Calls between two looks at the clock for a span of {@code spanNanos} at this pace. */
    long step(long spanNanos) {
      return (long) Math.min((double) calls * spanNanos / Math.max(1, nanos) / 10, 1e9) + 1;
    }
  }

  private static Span timed(Op op, long step, long nanos, LongSupplier clock) throws Exception {
    long ops = 0;
    long calls = 0;
    long t0 = clock.getAsLong();
    long e;
    do {
      for (long i = 0; i < step; i++) {
        ops += checked(op);
      }
      calls += step;
      e = clock.getAsLong() - t0;
    } while (e < nanos);
    return new Span(ops, calls, e);
  }

  private static long checked(Op op) throws Exception {
    long n = op.run();
    if (n < 1) {
      throw new IllegalStateException("an operation must report at least 1 (got " + n + ")");
    }
    return n;
  }
}
