package dev.weft.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one benchmark: its rates per trial and their statistics, or the error that made it
 * fail. {@code rayReference} is Ray 2.48's published figure in the same unit, or null.
 */
record BenchResult(
    String name,
    String unit,
    Stats stats,
    double[] samples,
    Double rayReference,
    Map<String, Object> params,
    String error) {
  BenchResult {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    samples = samples == null ? new double[0] : samples.clone();
  }

  static BenchResult ok(
      String name, String unit, double[] samples, Double rayReference, Map<String, Object> params) {
    return new BenchResult(name, unit, Stats.of(samples), samples, rayReference, params, null);
  }

  static BenchResult failed(
      String name, String unit, Double rayReference, Map<String, Object> params, String error) {
    return new BenchResult(name, unit, null, null, rayReference, params, error);
  }

  boolean succeeded() {
    return error == null;
  }
}
