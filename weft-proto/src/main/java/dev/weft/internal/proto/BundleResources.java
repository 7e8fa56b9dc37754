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
}
