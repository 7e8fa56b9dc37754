package dev.weft.bench;

import dev.weft.bench.peers.PeerJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human table and the JSON document of a run. Pure formatting: no cluster needed. */
final class Report {
  static final String RAY_VERSION = "2.48";
  static final String RAY_MACHINE = "64-vCPU m5.16xlarge";
  static final String RAY_NOTE =
      "Ray "
          + RAY_VERSION
          + " figures are Ray's published numbers from a "
          + RAY_MACHINE
          + ", shown as an anchor only: they were not measured on this machine.";

  /** Where and how a run happened: the JSON document's header. */
  record RunInfo(
      Instant timestamp,
      int cores,
      String jvm,
      String os,
      long maxHeapBytes,
      String cluster,
      Map<String, Object> settings) {

    static RunInfo current(String cluster, Map<String, Object> settings) {
      return new RunInfo(
          Instant.now(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.vendor", "?")
              + " "
              + System.getProperty("java.vm.name", "?")
              + " "
              + Runtime.version(),
          System.getProperty("os.name", "?")
              + " "
              + System.getProperty("os.version", "?")
              + " "
              + System.getProperty("os.arch", "?"),
          Runtime.getRuntime().maxMemory(),
          cluster,
          settings);
    }
  }

  private Report() {}

  /**
   * A value with a k/M suffix: {@code 980 -> "980.0"}, {@code 8000 -> "8.00k"}, {@code 1.5e6 ->
   * "1.50M"}.
   */
  static String formatRate(double v) {
    return formatScaled(v, scaleOf(v));
  }

  /** Mean and stddev on the mean's scale, e.g. {@code "8.00k ± 0.12k"}. */
  static String formatMeanStd(double mean, double stddev) {
    double scale = scaleOf(mean);
    return formatScaled(mean, scale) + " ± " + formatScaled(stddev, scale);
  }

  private static double scaleOf(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return 1e6;
    }
    if (a >= 1e3) {
      return 1e3;
    }
    return 1;
  }

  private static String formatScaled(double v, double scale) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (scale == 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (scale == 1e3) {
      return String.format(Locale.ROOT, "%.2fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Rates get k/M suffixes; times ({@code ms}) do not; one trial shows no stddev. */
  static String formatResult(Stats stats, String unit) {
    if (unit.equals("ms")) {
      return stats.trials() == 1
          ? String.format(Locale.ROOT, "%.1f ms", stats.mean())
          : String.format(Locale.ROOT, "%.1f ± %.1f ms", stats.mean(), stats.stddev());
    }
    String value =
        stats.trials() == 1
            ? formatRate(stats.mean())
            : formatMeanStd(stats.mean(), stats.stddev());
    return value + " " + unit;
  }

  /** The result table, one line per benchmark, with the Ray reference column and its caveat. */
  static String table(List<BenchResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"benchmark", "result (mean ± stddev)", "Ray " + RAY_VERSION + " reference*"});
    for (BenchResult r : results) {
      String result;
      if (!r.succeeded()) {
        result = "FAILED: " + firstLine(r.error());
      } else {
        result = formatResult(r.stats(), r.unit());
      }
      String ref = r.rayReference() == null ? "-" : formatRate(r.rayReference()) + " " + r.unit();
      rows.add(new String[] {r.name(), result, ref});
    }
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < 3; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] row = rows.get(k);
      out.append(pad(row[0], widths[0]))
          .append("  ")
          .append(pad(row[1], widths[1]))
          .append("  ")
          .append(row[2]);
      out.append('\n');
      if (k == 0) {
        out.append("-".repeat(widths[0] + widths[1] + widths[2] + 4)).append('\n');
      }
    }
    out.append("* ").append(RAY_NOTE).append('\n');
    return out.toString();
  }

  /** The JSON document: machine, settings, and one entry per benchmark. */
  static String json(RunInfo info, List<BenchResult> results) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", "weft-bench");
    doc.put("timestamp", info.timestamp().toString());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", info.cores());
    machine.put("jvm", info.jvm());
    machine.put("os", info.os());
    machine.put("max_heap_bytes", info.maxHeapBytes());
    doc.put("machine", machine);
    doc.put("cluster", info.cluster());
    doc.put("settings", info.settings());
    Map<String, Object> ray = new LinkedHashMap<>();
    ray.put("version", RAY_VERSION);
    ray.put("machine", RAY_MACHINE);
    ray.put("note", RAY_NOTE);
    doc.put("ray_reference", ray);
    List<Object> benchmarks = new ArrayList<>();
    for (BenchResult r : results) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("name", r.name());
      b.put("unit", r.unit());
      b.put("status", r.succeeded() ? "ok" : "failed");
      if (r.succeeded()) {
        b.put("mean", r.stats().mean());
        b.put("stddev", r.stats().stddev());
        b.put("trials", r.stats().trials());
        b.put("samples", r.samples());
      } else {
        b.put("error", r.error());
      }
      if (r.rayReference() != null) {
        b.put("ray_reference", r.rayReference());
      }
      if (!r.params().isEmpty()) {
        b.put("params", r.params());
      }
      benchmarks.add(b);
    }
    doc.put("benchmarks", benchmarks);
    return PeerJson.writeIndented(doc);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
