package dev.weft.bench.peers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement asked of a system: the workload, its sizes and the timing plan. Sent to a peer
 * driver as one command line ({@link #toCommand}, {@link #parse}).
 *
 * @param batch calls per batch in the async workloads
 * @param leaves leaf tasks of the DAG
 * @param bytes size of the large object
 * @param timeoutSeconds longest wait for any one result before the workload fails
 * @param steadySeconds after the warm-up, go on warming up at least this long and until the rate is
 *     steady (0: off; see {@link Timing})
 */
public record RunSpec(
    String workload,
    int batch,
    int leaves,
    long bytes,
    double warmupSeconds,
    int trials,
    double trialSeconds,
    double timeoutSeconds,
    double steadySeconds) {

  public RunSpec {
    Workloads.unit(workload); // validates the name
    if (batch < 1 || leaves < 1 || bytes < 1 || trials < 1) {
      throw new IllegalArgumentException(
          "batch, leaves, bytes and trials must be >= 1 (got "
              + batch
              + ", "
              + leaves
              + ", "
              + bytes
              + ", "
              + trials
              + ")");
    }
    if (!(warmupSeconds >= 0)
        || !(steadySeconds >= 0)
        || !(trialSeconds > 0)
        || !(timeoutSeconds > 0)) {
      throw new IllegalArgumentException(
          "warm-up and until-steady must be >= 0 s, trial and timeout > 0 s (got "
              + warmupSeconds
              + ", "
              + steadySeconds
              + ", "
              + trialSeconds
              + ", "
              + timeoutSeconds
              + ")");
    }
  }

  public Duration timeout() {
    return Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000)));
  }

  public RunSpec withWorkload(String w) {
    return new RunSpec(
        w,
        batch,
        leaves,
        bytes,
        warmupSeconds,
        trials,
        trialSeconds,
        timeoutSeconds,
        steadySeconds);
  }

  /** This spec with the until-steady warm-up going on for at least {@code s} seconds (0: off). */
  public RunSpec withSteadySeconds(double s) {
    return new RunSpec(
        workload, batch, leaves, bytes, warmupSeconds, trials, trialSeconds, timeoutSeconds, s);
  }

  /** Runs the timing loop on an open workload; returns the trials' (and warm-up windows') rates. */
  public Timing.Result measure(Timing.Op op) throws Exception {
    return Timing.measure(
        op,
        Math.round(warmupSeconds * 1e9),
        Math.round(steadySeconds * 1e9),
        trials,
        Math.max(1, Math.round(trialSeconds * 1e9)),
        System::nanoTime);
  }

  /** The workload's parameters that matter for its figure (for reports). */
  public Map<String, Object> params() {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (workload) {
      case Workloads.TASKS_ASYNC, Workloads.ACTOR_ASYNC -> m.put("batch", batch);
      case Workloads.DAG -> {
        m.put("leaves", leaves);
        m.put("tasks", Workloads.dagTasks(leaves));
      }
      case Workloads.LARGE, Workloads.LARGE_VIEW -> m.put("bytes", bytes);
      default -> {}
    }
    return m;
  }

  /** {@code run workload=... batch=... ...}: one line. */
  public String toCommand() {
    return "run workload="
        + workload
        + " batch="
        + batch
        + " leaves="
        + leaves
        + " bytes="
        + bytes
        + " warmup_s="
        + warmupSeconds
        + " trials="
        + trials
        + " trial_s="
        + trialSeconds
        + " timeout_s="
        + timeoutSeconds
        + " steady_s="
        + steadySeconds;
  }

  /** Parses {@link #toCommand}'s line. */
  public static RunSpec parse(String line) {
    String[] words = line.trim().split("\\s+");
    if (words.length == 0 || !words[0].equals("run")) {
      throw new IllegalArgumentException("not a run command: '" + line + "'");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("bad word '" + words[i] + "' in '" + line + "'");
      }
      kv.put(words[i].substring(0, eq), words[i].substring(eq + 1));
    }
    try {
      return new RunSpec(
          need(kv, "workload", line),
          Integer.parseInt(need(kv, "batch", line)),
          Integer.parseInt(need(kv, "leaves", line)),
          Long.parseLong(need(kv, "bytes", line)),
          Double.parseDouble(need(kv, "warmup_s", line)),
          Integer.parseInt(need(kv, "trials", line)),
          Double.parseDouble(need(kv, "trial_s", line)),
          Double.parseDouble(need(kv, "timeout_s", line)),
          Double.parseDouble(kv.getOrDefault("steady_s", "0")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in '" + line + "': " + e.getMessage(), e);
    }
  }

  private static String need(Map<String, String> kv, String key, String line) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalArgumentException("'" + key + "' missing in '" + line + "'");
    }
    return v;
  }
}
