package dev.weft.state;

import java.util.List;
import java.util.Map;

/**
 * A placement group: its id, job, strategy, {@code state} (PENDING, CREATED), its bundles, the node
 * of each bundle once created, and why a pending one can never be placed (null when it only waits).
 */
public record PlacementGroupState(
    String groupId,
    int jobId,
    String strategy,
    String state,
    List<Map<String, Double>> bundles,
    List<String> bundleNodes,
    String pendingReason) {}
