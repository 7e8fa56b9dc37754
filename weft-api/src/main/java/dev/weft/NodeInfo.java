package dev.weft;

import java.util.Map;
import java.util.Objects;

/**
 * A node of the cluster, as {@link Weft#nodes()} shows it.
 *
 * @param nodeId the node's id (what {@link RuntimeContext#nodeId()} returns on it)
 * @param address where other processes reach its node manager, {@code host:port}
 * @param alive false once the node left or died (dead nodes stay listed)
 * @param total what it offers in all: {@code CPU}, {@code GPU}, {@code memory} (bytes), {@code
 *     object_store_memory} (bytes when set) and custom resources
 * @param available what of {@code total} is free now, as its last report to the control store said
 *     (reports are at most ~100 ms apart, and reach every node about 100 ms later)
 */
public record NodeInfo(
    String nodeId,
    String address,
    boolean alive,
    Map<String, Double> total,
    Map<String, Double> available) {
  public NodeInfo {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    total = Map.copyOf(total);
    available = Map.copyOf(available);
  }
}
