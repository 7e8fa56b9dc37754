package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resources reserved together across the cluster: a list of bundles (each a resource map such as
 * {@code {"CPU": 1.0}}), laid over nodes by a {@link PlacementStrategy}. Made by {@link
 * Weft#placementGroup}, which returns at once; the group is reserved in the background, and {@link
 * #waitReady} tells when. Tasks and actors run in a bundle with {@link
 * SchedulingStrategy#placementGroup}. {@link Weft#removePlacementGroup} gives the resources back.
 *
 * @param id the group's cluster-wide id
 * @param bundles the resources of each bundle, in order
 * @param strategy how the bundles are laid over nodes
 */
public record PlacementGroup(
    String id, List<Map<String, Double>> bundles, PlacementStrategy strategy) {

  public PlacementGroup {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(strategy, "strategy");
    if (bundles == null || bundles.isEmpty()) {
      throw new IllegalArgumentException("a placement group needs at least one bundle");
    }
    bundles = bundles.stream().map(Map::copyOf).toList();
  }

  /**
   * Waits until every bundle is reserved on a node; false if that did not happen within {@code
   * timeout} (the group stays pending: it is placed when resources free up or nodes join).
   */
  public boolean waitReady(Duration timeout) {
    return Weft.backend().waitPlacementGroup(this, timeout);
  }

  /**
   * The node each bundle is reserved on, by bundle index; empty until the group is ready. Blocks
   * for at most a short request to the control store.
   */
  public List<String> bundleNodes() {
    return Weft.backend().placementGroupNodes(this);
  }
}
