package dev.weft.bench;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A caller actor for {@code n_n_actor_calls_async} (Ray's {@code Client}): it owns the handle of
 * one {@link BenchActor} and hammers it with batches of calls.
 *
 * <p>Public with public constructor and methods: it is built and called by reflection in a worker
 * JVM.
 */
public class BenchClient {
  private final ActorHandle<BenchActor> target;
  private long lastSeen;

  /**
   * @param target the actor this caller calls
   * @param countSoFar the count the target has already returned to others (its next call returns
   *     {@code countSoFar + 1})
   */
  public BenchClient(ActorHandle<BenchActor> target, long countSoFar) {
    this.target = target;
    this.lastSeen = countSoFar;
  }

  /**
   * Submits {@code n} calls to the target, then waits for all of them; checks that the results are
   * the next {@code n} counts in order and returns the last one.
   *
   * @throws IllegalStateException when a result is not the expected count (lost, repeated or
   *     reordered call)
   */
  public long callBatch(int n, long timeoutMillis) {
    List<ObjectRef<Long>> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      refs.add(target.task(BenchActor::next).remote());
    }
    List<Long> values = Weft.get(refs, Duration.ofMillis(timeoutMillis));
    for (int i = 0; i < n; i++) {
      long expected = lastSeen + 1;
      Long got = values.get(i);
      if (got == null || got != expected) {
        throw new IllegalStateException(
            "BenchClient: call "
                + i
                + " of a batch of "
                + n
                + " on actor "
                + target.actorId()
                + " returned "
                + got
                + ", expected "
                + expected
                + " (a call was lost, repeated or run out of order)");
      }
      lastSeen = expected;
    }
    return lastSeen;
  }
}
