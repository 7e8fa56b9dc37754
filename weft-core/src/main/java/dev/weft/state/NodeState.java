package dev.weft.state;

import dev.weft.NodeInfo;

/**
 * A node of the cluster: its {@link NodeInfo} (id, address, alive, resources), its node manager's
 * {@code pid} on its machine, and the URL of its Prometheus metrics ({@code metricsUrl}, null if it
 * serves none).
 */
public record NodeState(NodeInfo info, long pid, String metricsUrl) {}
