package dev.weft;

import java.util.HashMap;
import java.util.Map;

/**
 * An actor about to be created: set options, then {@link #remote()}. Made by {@code
 * Weft.actor(...)}.
 *
 * @param <T> the actor's class
 */
public final class ActorCreator<T> {
  private final Object ctor;
  private final Object[] args;
  private String name;
  private double cpus;
  private Map<String, Double> resources;
  private int maxRestarts;
  private int maxTaskRetries;
  private int maxConcurrency = 1;
  private boolean detached;
  private boolean dedicatedProcess;
  private SchedulingStrategy scheduling = SchedulingStrategy.DEFAULT;

  ActorCreator(Object ctor, Object[] args) {
    this.ctor = ctor;
    this.args = args;
  }

  /**
   * A cluster-wide name: {@link Weft#getActor(String)} finds the actor by it.
   *
   * <p>A name does not keep the actor alive: like any actor, it ends when the last handle to it
   * anywhere is gone, or when its job ends. Keep a handle, or use {@link #detached()}.
   */
  public ActorCreator<T> name(String name) {
    this.name = name;
    return this;
  }

  public ActorCreator<T> cpus(double cpus) {
    this.cpus = cpus;
    return this;
  }

  public ActorCreator<T> resource(String resourceName, double amount) {
    if (resources == null) {
      resources = new HashMap<>();
    }
    resources.put(resourceName, amount);
    return this;
  }

  /** Restarts after the actor's process died (default 0); -1 restarts forever. */
  public ActorCreator<T> maxRestarts(int maxRestarts) {
    this.maxRestarts = maxRestarts;
    return this;
  }

  public ActorCreator<T> maxTaskRetries(int maxTaskRetries) {
    this.maxTaskRetries = maxTaskRetries;
    return this;
  }

  /** Calls that may run at once (default 1: one at a time, in order). */
  public ActorCreator<T> maxConcurrency(int maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
    return this;
  }

  /** The actor outlives the job that created it. */
  public ActorCreator<T> detached() {
    this.detached = true;
    return this;
  }

  /** Run the actor in a worker JVM of its own instead of sharing one with other actors. */
  public ActorCreator<T> dedicatedProcess() {
    this.dedicatedProcess = true;
    return this;
  }

  /** Where the actor may be placed (default {@link SchedulingStrategy#DEFAULT}). */
  public ActorCreator<T> scheduling(SchedulingStrategy strategy) {
    this.scheduling = java.util.Objects.requireNonNull(strategy, "scheduling strategy");
    return this;
  }

  public ActorOptions options() {
    return new ActorOptions(
        name,
        cpus,
        resources == null ? Map.of() : resources,
        maxRestarts,
        maxTaskRetries,
        maxConcurrency,
        detached,
        dedicatedProcess,
        scheduling);
  }

  /** Creates the actor; returns its handle at once (calls queue until it is up). */
  public ActorHandle<T> remote() {
    return Weft.backend().createActor(ctor, args, options());
  }
}
