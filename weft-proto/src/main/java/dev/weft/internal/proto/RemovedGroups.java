package dev.weft.internal.proto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ids of removed placement groups a process remembers, the latest {@link #REMEMBERED} (the
 * oldest are forgotten, so the set stays bounded however many groups a long session removes).
 *
 * <p>Three processes keep one, each for what it alone decides: the control store (actors it
 * places), each node (leases for bundles of a group removed meanwhile: the control store tells
 * every node) and a core worker (a task it submits into a group it removed itself fails at once,
 * even before its node has heard of the removal). Thread-safe.
 */
public final class RemovedGroups {
  /** How many removed group ids are remembered. */
  public static final int REMEMBERED = 10_000;

  private final Set<String> ids =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          });

  /** Remembers group {@code groupId} as removed; false when it was already. */
  public synchronized boolean add(String groupId) {
    return ids.add(groupId);
  }

  /** Whether group {@code groupId} is remembered as removed. */
  public synchronized boolean contains(String groupId) {
    return ids.contains(groupId);
  }

  /**
   * The error of a {@code what} ("task", "actor") whose demand names bundle resources of a removed
   * group (see {@link BundleResources#removedError(Map, String, java.util.function.Predicate)});
   * null when it names none.
   */
  public String removedError(Map<String, Double> demand, String what) {
    return BundleResources.removedError(demand, what, this::contains);
  }
}
