package dev.weft;

import java.util.Map;

/**
 * Options of one actor. By default an actor is lightweight: it takes no CPU from the scheduler,
 * shares a worker JVM with other actors of its job, and runs one call at a time. {@code
 * dedicatedProcess} gives it a JVM of its own.
 */
public record ActorOptions(
    String name,
    double cpus,
    Map<String, Double> resources,
    int maxRestarts,
    int maxTaskRetries,
    int maxConcurrency,
    boolean detached,
    boolean dedicatedProcess,
    SchedulingStrategy scheduling) {
  public static final ActorOptions DEFAULT =
      new ActorOptions(null, 0.0, Map.of(), 0, 0, 1, false, false, SchedulingStrategy.DEFAULT);

  /** Options with the {@link SchedulingStrategy#DEFAULT} strategy. */
  public ActorOptions(
      String name,
      double cpus,
      Map<String, Double> resources,
      int maxRestarts,
      int maxTaskRetries,
      int maxConcurrency,
      boolean detached,
      boolean dedicatedProcess) {
    this(
        name,
        cpus,
        resources,
        maxRestarts,
        maxTaskRetries,
        maxConcurrency,
        detached,
        dedicatedProcess,
        SchedulingStrategy.DEFAULT);
  }

  public ActorOptions {
    resources = Map.copyOf(resources);
    if (scheduling == null) {
      scheduling = SchedulingStrategy.DEFAULT;
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "actor options: maxConcurrency must be >= 1 (got " + maxConcurrency + ")");
    }
    if (maxRestarts < -1 || maxTaskRetries < -1) {
      throw new IllegalArgumentException(
          "actor options: maxRestarts and maxTaskRetries must be >= 0, or -1 for unlimited");
    }
    if (cpus < 0) {
      throw new IllegalArgumentException("actor options: cpus must be >= 0 (got " + cpus + ")");
    }
  }
}
