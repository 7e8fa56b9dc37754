package dev.weft;

import java.util.List;

/**
 * A call on an actor about to be submitted; {@link #remote()} sends it. Calls from one caller to
 * one actor run in the order they were submitted.
 *
 * @param <R> what the method returns
 */
public final class ActorCall<R> {
  private final ActorHandle<?> actor;
  private final Object fn;
  private final Object[] args;

  ActorCall(ActorHandle<?> actor, Object fn, Object[] args) {
    this.actor = actor;
    this.fn = fn;
    this.args = args;
  }

  @SuppressWarnings("unchecked")
  public ObjectRef<R> remote() {
    return (ObjectRef<R>) (ObjectRef<?>) Weft.backend().submitActorTask(actor, fn, args, 0).get(0);
  }

  /** As {@link TaskCall#remoteEach(int)}: each element of the returned list becomes its own ref. */
  @SuppressWarnings("unchecked")
  public <E> List<ObjectRef<E>> remoteEach(int numReturns) {
    if (numReturns < 1) {
      throw new IllegalArgumentException(
          "remoteEach: numReturns must be >= 1 (got " + numReturns + ")");
    }
    return (List<ObjectRef<E>>)
        (List<?>) Weft.backend().submitActorTask(actor, fn, args, numReturns);
  }
}
