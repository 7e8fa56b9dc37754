package dev.weft;

import java.util.List;

/**
 * Result of {@link Weft#wait}: the refs that are ready and those that are not, each in input order.
 */
public record WaitResult<T>(List<ObjectRef<T>> ready, List<ObjectRef<T>> unready) {
  public WaitResult {
    ready = List.copyOf(ready);
    unready = List.copyOf(unready);
  }
}
