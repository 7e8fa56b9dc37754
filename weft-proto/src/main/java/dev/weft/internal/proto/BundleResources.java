package dev.weft.internal.proto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names a committed placement-group bundle gives its resources on its node (Ray's way: a
 * bundle's reservation becomes custom resources that only work scheduled into it can take). Bundle
 * {@code i} of group {@code G} reserving {@code {CPU: 2}} adds to its node:
 *
 * <ul>
 *   <li>{@code CPU_group_G_i = 2}: the bundle itself, taken by work asking for bundle {@code i};
 *   <li>{@code CPU_group_G += 2}: the group's wildcard on that node (the sum of its bundles there),
 *       taken by work asking for any bundle ({@code -1}) and, with the indexed name, by work asking
 *       for bundle {@code i}, so that both kinds of demand count against the same reservation.
 * </ul>
 *
 * Group ids are hex digits (no underscore), so a name parses back without ambiguity. Shared by the
 * control store (which adds them to its nodes' totals), the node (which turns a committed bundle
 * into them) and the core worker (which rewrites a task's or an actor's demand to them).
 */
public final class BundleResources {
  /** What sits between a resource's name and its group id. */
  public static final String MARK = "_group_";

  private BundleResources() {}

  /**
   * {@code name_group_G_i}: the resource {@code name} of bundle {@code index} of group {@code G}.
   */
  public static String indexed(String name, String groupId, int index) {
    return name + MARK + groupId + "_" + index;
  }

  /** {@code name_group_G}: the resource {@code name} of any bundle of group {@code G}. */
  public static String wildcard(String name, String groupId) {
    return name + MARK + groupId;
  }

  /** The resources a committed bundle adds to its node: indexed and wildcard names. */
  public static Map<String, Double> of(String groupId, int index, Map<String, Double> bundle) {
    Map<String, Double> out = new LinkedHashMap<>();
    bundle.forEach(
        (k, v) -> {
          out.merge(indexed(k, groupId, index), v, Double::sum);
          out.merge(wildcard(k, groupId), v, Double::sum);
        });
    return out;
  }

  /** The group id a bundle resource name refers to, or null for an ordinary resource. */
  public static String groupOf(String resourceName) {
    int at = resourceName.indexOf(MARK);
    if (at < 0) {
      return null;
    }
    String rest = resourceName.substring(at + MARK.length());
    int us = rest.indexOf('_');
    return us < 0 ? rest : rest.substring(0, us);
  }

  /**
   * The group of removed groups ({@code isRemoved}) that {@code demand} asks for, with the error of
   * a {@code what} ("task", "actor") that waited for it; null when it asks for none.
   */
  public static String removedError(
      Map<String, Double> demand, String what, java.util.function.Predicate<String> isRemoved) {
    for (String name : demand.keySet()) {
      String group = groupOf(name);
      if (group != null && isRemoved.test(group)) {
        return removedError(group, what, indexOf(demand, group));
      }
    }
    return null;
  }

  /** The error of a demand for bundle {@code index} (-1: any) of removed group {@code groupId}. */
  public static String removedError(String groupId, String what, int index) {
    return "placement group "
        + groupId
        + " was removed while this "
        + what
        + " waited for "
        + (index < 0 ? "one of its bundles" : "its bundle " + index)
        + " (Weft.removePlacementGroup fails what waits for a group; schedule it into a live"
        + " group)";
  }

  /** The bundle index {@code demand} asks for in group {@code groupId}; -1 for any bundle. */
  private static int indexOf(Map<String, Double> demand, String groupId) {
    String prefix = MARK + groupId + "_";
    for (String name : demand.keySet()) {
      int at = name.indexOf(prefix);
      if (at >= 0) {
        try {
          return Integer.parseInt(name.substring(at + prefix.length()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a bundle resource name: " + name, e);
        }
      }
    }
    return -1;
  }
}
