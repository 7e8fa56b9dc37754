package dev.weft.bench.peers;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@link RunSpec} on one system: per-trial rates, or the error that failed it.
 * Travels from a peer driver as one JSON line ({@link #toJson}, {@link #fromJson}).
 *
 * @param warmup the rates of the until-steady warm-up's windows (empty when it was off)
 */
public record RunResult(String workload, double[] samples, String error, double[] warmup) {
  public RunResult {
    samples = samples == null ? new double[0] : samples.clone();
    warmup = warmup == null ? new double[0] : warmup.clone();
  }

  public RunResult(String workload, double[] samples, String error) {
    this(workload, samples, error, null);
  }

  public boolean ok() {
    return error == null;
  }

  /** Opens the workload, times it with the spec's plan, closes it; never throws. */
  public static RunResult measure(RunSpec spec, WorkloadOpener opener) {
    try (Workload w = opener.open(spec)) {
      Timing.Result r = spec.measure(w::run);
      return new RunResult(spec.workload(), r.trials(), null, r.warmup());
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new RunResult(spec.workload(), null, stackTrace(e));
    }
  }

  /** Opens a workload on a system. */
  @FunctionalInterface
  public interface WorkloadOpener {
    Workload open(RunSpec spec) throws Exception;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "result");
    m.put("workload", workload);
    m.put("status", ok() ? "ok" : "failed");
    if (ok()) {
      m.put("samples", samples);
      if (warmup.length > 0) {
        m.put("warmup", warmup);
      }
    } else {
      m.put("error", error);
    }
    return m;
  }

  public static RunResult fromJson(Map<String, Object> m) {
    String workload = String.valueOf(m.get("workload"));
    if ("ok".equals(m.get("status"))) {
      if (!(m.get("samples") instanceof List<?> l) || l.isEmpty()) {
        return new RunResult(workload, null, "the result has no samples: " + m);
      }
      double[] s = numbers(l);
      double[] w = m.get("warmup") instanceof List<?> wl ? numbers(wl) : new double[0];
      if (s == null || w == null) {
        return new RunResult(workload, null, "a sample is not a number: " + m);
      }
      return new RunResult(workload, s, null, w);
    }
    Object e = m.get("error");
    return new RunResult(
        workload, null, e == null ? "failed (no error given): " + m : e.toString());
  }

  /** The list's numbers, or null if one is not a number. */
  private static double[] numbers(List<?> l) {
    double[] s = new double[l.size()];
    for (int i = 0; i < s.length; i++) {
      if (!(l.get(i) instanceof Number n)) {
        return null;
      }
      s[i] = n.doubleValue();
    }
    return s;
  }

  public static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
