package dev.weft.bench;

/**
 * The target actor of the actor-call benchmarks (Ray's {@code Actor.small_value}). {@link #next()}
 * is as cheap as a call can be while still letting the caller check that no call was lost, repeated
 * or reordered: calls from one caller run in call order, so one caller sees 1, 2, 3, ...
 *
 * <p>Public with a public constructor: it is built by reflection in a worker JVM.
 */
public class BenchActor {
  private long calls;

  public BenchActor() {}

  /** Counts this call and returns the count so far (1 for the first call). */
  public long next() {
    return ++calls;
  }
}
