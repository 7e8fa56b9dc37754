package dev.weft.bench;

import java.util.Arrays;

/**
 * Mean and standard deviation of per-trial rates, computed as Ray's microbenchmark does ({@code
 * np.mean}, {@code np.std}): the population standard deviation, dividing by the number of trials.
 */
record Stats(double mean, double stddev, int trials) {
  Stats {
    if (trials < 1) {
      throw new IllegalArgumentException("stats need at least one trial (got " + trials + ")");
    }
  }

  static Stats of(double... samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("stats need at least one sample");
    }
    double mean = Arrays.stream(samples).sum() / samples.length;
    double squares = 0;
    for (double s : samples) {
      squares += (s - mean) * (s - mean);
    }
    return new Stats(mean, Math.sqrt(squares / samples.length), samples.length);
  }
}
