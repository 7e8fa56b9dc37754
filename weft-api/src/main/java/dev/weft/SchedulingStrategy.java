package dev.weft;

import java.util.Objects;

/**
 * Where a task or an actor may run in a cluster. Set it with {@code .scheduling(...)} on a task
 * ({@link TaskCall}) or an actor ({@link ActorCreator}).
 *
 * <ul>
 *   <li>{@link #DEFAULT}: the submitter's own node first; a node that cannot serve the demand now,
 *       or is busier than the others, passes it on (spills it back) to the best node in the cluster
 *       view. A task whose large arguments live on another node prefers that node.
 *   <li>{@link #SPREAD}: over the nodes that fit, one after the other, to spread the load.
 *   <li>{@link #nodeAffinity}: on one node. Hard affinity fails the task or actor when that node is
 *       gone or could never fit the demand; soft affinity then falls back to {@link #DEFAULT}.
 *   <li>{@link #placementGroup}: into a bundle of a {@link PlacementGroup}, on the resources it
 *       reserved.
 * </ul>
 */
public sealed interface SchedulingStrategy
    permits SchedulingStrategy.Default,
        SchedulingStrategy.Spread,
        SchedulingStrategy.NodeAffinity,
        SchedulingStrategy.InPlacementGroup {

  SchedulingStrategy DEFAULT = new Default();
  SchedulingStrategy SPREAD = new Spread();

  /**
   * On node {@code nodeId} (as {@link Weft#nodes()} and {@link RuntimeContext#nodeId()} name it).
   * With {@code soft}, anywhere else when that node is gone or could never fit the demand.
   */
  static SchedulingStrategy nodeAffinity(String nodeId, boolean soft) {
    return new NodeAffinity(nodeId, soft);
  }

  /**
   * Into bundle {@code bundleIndex} of {@code group} ({@code -1}: any bundle that has room). The
   * task's or actor's resources are taken from what the bundle reserved, so they must fit in it.
   */
  static SchedulingStrategy placementGroup(PlacementGroup group, int bundleIndex) {
    return new InPlacementGroup(group, bundleIndex);
  }

  record Default() implements SchedulingStrategy {}

  record Spread() implements SchedulingStrategy {}

  record NodeAffinity(String nodeId, boolean soft) implements SchedulingStrategy {
    public NodeAffinity {
      if (nodeId == null || nodeId.isBlank()) {
        throw new IllegalArgumentException(
            "nodeAffinity: the node id must not be empty (take one from Weft.nodes() or"
                + " Weft.context().nodeId())");
      }
    }
  }

  record InPlacementGroup(PlacementGroup group, int bundleIndex) implements SchedulingStrategy {
    public InPlacementGroup {
      Objects.requireNonNull(group, "placementGroup: the group must not be null");
      if (bundleIndex < -1 || bundleIndex >= group.bundles().size()) {
        throw new IllegalArgumentException(
            "placementGroup: bundle index "
                + bundleIndex
                + " is out of range for group "
                + group.id()
                + " with "
                + group.bundles().size()
                + " bundle(s); use 0.."
                + (group.bundles().size() - 1)
                + ", or -1 for any bundle");
      }
    }
  }
}
