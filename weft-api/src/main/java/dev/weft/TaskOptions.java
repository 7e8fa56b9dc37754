package dev.weft;

import java.util.Map;

/**
 * Options of one task submission. Defaults: 1 CPU, 3 retries for system failures (a worker that
 * died), user exceptions not retried, the {@link SchedulingStrategy#DEFAULT} strategy.
 */
public record TaskOptions(
    String name,
    double cpus,
    double gpus,
    long memoryBytes,
    Map<String, Double> resources,
    int maxRetries,
    boolean retryExceptions,
    SchedulingStrategy scheduling) {
  public static final TaskOptions DEFAULT =
      new TaskOptions(null, 1.0, 0.0, 0L, Map.of(), 3, false, SchedulingStrategy.DEFAULT);

  /** Options with the {@link SchedulingStrategy#DEFAULT} strategy. */
  public TaskOptions(
      String name,
      double cpus,
      double gpus,
      long memoryBytes,
      Map<String, Double> resources,
      int maxRetries,
      boolean retryExceptions) {
    this(
        name,
        cpus,
        gpus,
        memoryBytes,
        resources,
        maxRetries,
        retryExceptions,
        SchedulingStrategy.DEFAULT);
  }

  public TaskOptions {
    resources = Map.copyOf(resources);
    if (scheduling == null) {
      scheduling = SchedulingStrategy.DEFAULT;
    }
    if (cpus < 0 || gpus < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException(
          "task options: cpus, gpus and memoryBytes must be >= 0 (got cpus="
              + cpus
              + ", gpus="
              + gpus
              + ", memoryBytes="
              + memoryBytes
              + ")");
    }
    if (maxRetries < -1) {
      throw new IllegalArgumentException(
          "task options: maxRetries must be >= 0, or -1 for unlimited (got " + maxRetries + ")");
    }
  }
}
