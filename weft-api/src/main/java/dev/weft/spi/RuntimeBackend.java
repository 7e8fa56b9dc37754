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

  void shutdown();
}
