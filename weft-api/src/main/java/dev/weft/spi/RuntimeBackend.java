package dev.weft.spi;

import dev.weft.ActorHandle;
import dev.weft.ActorOptions;
import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.WaitResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the {@link dev.weft.Weft} facade needs from a runtime. Implemented by weft-core; user code
 * never calls it directly. {@code fn} arguments are serializable lambdas or method references.
 * {@code numReturns} is 0 for "one object holding the whole result", n &gt; 0 for "the result is a
 * list of n elements, each its own object".
 */
public interface RuntimeBackend {
  <T> ObjectRef<T> put(T value);

  /** An object the cluster owns, not the caller (see {@link dev.weft.Weft#putDetached}). */
  default <T> ObjectRef<T> putDetached(T value) {
    throw new UnsupportedOperationException("this runtime has no objects that outlive their owner");
  }

  /** The cluster's key-value table (see {@link dev.weft.Weft#kv}). */
  default dev.weft.KeyValueStore kv() {
    throw new UnsupportedOperationException("this runtime has no key-value table");
  }

  /** Blocks until ready; {@code timeout} null waits forever. */
  <T> T get(ObjectRef<T> ref, Duration timeout);

  <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout);

  default dev.weft.ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) {
    throw new UnsupportedOperationException("this runtime has no zero-copy object views");
  }

  <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReady, Duration timeout);

  List<ObjectRef<Object>> submitTask(Object fn, Object[] args, TaskOptions options, int numReturns);

  <T> ActorHandle<T> createActor(Object ctor, Object[] args, ActorOptions options);

  List<ObjectRef<Object>> submitActorTask(
      ActorHandle<?> actor, Object fn, Object[] args, int numReturns);

  <T> Optional<ActorHandle<T>> getActor(String name);

  /** Where the calling thread's code runs (see {@link dev.weft.RuntimeContext}). */
  default dev.weft.RuntimeContext context() {
    throw new UnsupportedOperationException("this runtime does not tell where code runs");
  }

  /** Every node of the cluster, dead ones included, from this process's node's view. */
  default List<dev.weft.NodeInfo> nodes() {
    throw new UnsupportedOperationException("this runtime has no cluster view");
  }

  /**
   * Starts reserving a placement group (returns at once); see {@link dev.weft.PlacementGroup}.
   * {@code bundles} are checked by the caller ({@link dev.weft.Weft#placementGroup}).
   */
  default dev.weft.PlacementGroup createPlacementGroup(
      List<java.util.Map<String, Double>> bundles, dev.weft.PlacementStrategy strategy) {
    throw new UnsupportedOperationException("this runtime has no placement groups");
  }

  /** True once every bundle of {@code group} is reserved; false after {@code timeout}. */
  default boolean waitPlacementGroup(dev.weft.PlacementGroup group, Duration timeout) {
    throw new UnsupportedOperationException("this runtime has no placement groups");
  }

  /** The node of each bundle of a ready group, by index; empty while it is pending. */
  default List<String> placementGroupNodes(dev.weft.PlacementGroup group) {
    throw new UnsupportedOperationException("this runtime has no placement groups");
  }

  /** Gives the group's reservations back; tasks and actors running in it are not stopped. */
  default void removePlacementGroup(dev.weft.PlacementGroup group) {
    throw new UnsupportedOperationException("this runtime has no placement groups");
  }

  void shutdown();
}
