package dev.weft;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A task about to be submitted: set options, then call {@link #remote()}. Made by {@code
 * Weft.task(...)}.
 *
 * @param <R> what the remote function returns
 */
public final class TaskCall<R> {
  private final Object fn;
  private final Object[] args;
  private String name;
  private double cpus = TaskOptions.DEFAULT.cpus();
  private double gpus;
  private long memoryBytes;
  private Map<String, Double> resources;
  private int maxRetries = TaskOptions.DEFAULT.maxRetries();
  private boolean retryExceptions;
  private SchedulingStrategy scheduling = SchedulingStrategy.DEFAULT;

  TaskCall(Object fn, Object[] args) {
    this.fn = fn;
    this.args = args;
  }

  public TaskCall<R> name(String name) {
    this.name = name;
    return this;
  }

  public TaskCall<R> cpus(double cpus) {
    this.cpus = cpus;
    return this;
  }

  public TaskCall<R> gpus(double gpus) {
    this.gpus = gpus;
    return this;
  }

  public TaskCall<R> memoryBytes(long bytes) {
    this.memoryBytes = bytes;
    return this;
  }

  public TaskCall<R> resource(String resourceName, double amount) {
    if (resources == null) {
      resources = new HashMap<>();
    }
    resources.put(resourceName, amount);
    return this;
  }

  /** Retries after the worker process died (default 3); -1 retries forever. */
  public TaskCall<R> maxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return this;
  }

  /** Also retry when the user's code throws (up to {@code maxRetries}). */
  public TaskCall<R> retryExceptions(boolean retry) {
    this.retryExceptions = retry;
    return this;
  }

  /** Where the task may run (default {@link SchedulingStrategy#DEFAULT}). */
  public TaskCall<R> scheduling(SchedulingStrategy strategy) {
    this.scheduling = java.util.Objects.requireNonNull(strategy, "scheduling strategy");
    return this;
  }

  public TaskOptions options() {
    return new TaskOptions(
        name,
        cpus,
        gpus,
        memoryBytes,
        resources == null ? Map.of() : resources,
        maxRetries,
        retryExceptions,
        scheduling);
  }

  /** Submits the task; returns at once with a ref to its result. */
  @SuppressWarnings("unchecked")
  public ObjectRef<R> remote() {
    return (ObjectRef<R>) (ObjectRef<?>) Weft.backend().submitTask(fn, args, options(), 0).get(0);
  }

  /**
   * Submits a task whose function returns a {@code List} of exactly {@code numReturns} elements;
   * each element becomes its own object with its own ref. A result of another size fails each ref
   * with {@link TaskFailedException}.
   *
   * @param <E> the element type of the returned list
   */
  @SuppressWarnings("unchecked")
  public <E> List<ObjectRef<E>> remoteEach(int numReturns) {
    if (numReturns < 1) {
      throw new IllegalArgumentException(
          "remoteEach: numReturns must be >= 1 (got " + numReturns + ")");
    }
    return (List<ObjectRef<E>>)
        (List<?>) Weft.backend().submitTask(fn, args, options(), numReturns);
  }
}
