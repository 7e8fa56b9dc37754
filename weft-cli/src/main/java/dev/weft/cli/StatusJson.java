package dev.weft.cli;

import dev.weft.internal.proto.Msg;
import java.util.List;
import java.util.Map;

/**
 * {@code weft status --json}: one JSON object, written by hand (the CLI has no JSON library) with
 * full string escaping. Scripts rely on {@code nodes[].nodeId, address, alive, pid, total,
 * available, metrics} and {@code controlStore.pid} (the control store's process id) and {@code
 * controlStore.metrics} (metrics: the Prometheus endpoint's URL, or null); the rest may grow.
 * {@code infeasible[]}: demands no node could ever meet, waiting for one that can ({@code kind}
 * task or actor, {@code name}, {@code resources}, {@code nodeId} where it waits, or "control" for
 * an actor, {@code count}).
 */
final class StatusJson {

  private StatusJson() {}

  static String of(String headAddress, Msg.StatusReply s) {
    return of(headAddress, s, List.of());
  }

  /**
   * With {@code "placementGroups":[{"groupId","jobId","strategy","state","bundles":[{…}],
   * "bundleNodes":[…],"pendingReason"}]}: every group not removed; {@code pendingReason} says why a
   * PENDING group can never be placed by the live nodes (null when it only waits for resources).
   */
  static String of(String headAddress, Msg.StatusReply s, List<Msg.PlacementGroupInfo> groups) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"address\":");
    string(b, headAddress);
    b.append(",\"dashboard\":");
    string(b, s.dashboardUrl());
    b.append(",\"controlStore\":{\"pid\":").append(s.controlStorePid());
    b.append(",\"metrics\":");
    string(b, s.controlStoreMetricsUrl());
    b.append('}');
    b.append(",\"nodes\":[");
    List<Msg.NodeInfo> nodes = s.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      Msg.NodeInfo n = nodes.get(i);
      b.append(i == 0 ? "" : ",").append("{\"nodeId\":");
      string(b, n.nodeId());
      b.append(",\"address\":");
      string(b, n.address());
      b.append(",\"alive\":").append(n.alive());
      b.append(",\"pid\":").append(n.pid());
      b.append(",\"total\":");
      amounts(b, n.resources());
      b.append(",\"available\":");
      amounts(b, n.available());
      b.append(",\"metrics\":");
      string(b, n.metricsUrl());
      b.append('}');
    }
    b.append("],\"jobs\":[");
    for (int i = 0; i < s.jobs().size(); i++) {
      b.append(i == 0 ? "" : ",");
      string(b, s.jobs().get(i));
    }
    b.append("],\"actors\":[");
    for (int i = 0; i < s.actors().size(); i++) {
      Msg.ActorInfo a = s.actors().get(i);
      b.append(i == 0 ? "" : ",").append("{\"actorId\":");
      string(b, String.format("%016x%016x", a.actorHi(), a.actorLo()));
      b.append(",\"className\":");
      string(b, a.className());
      b.append(",\"name\":");
      string(b, a.name());
      b.append(",\"state\":");
      string(b, a.state() == null ? null : a.state().name());
      b.append(",\"address\":");
      string(b, a.address());
      b.append(",\"nodeId\":");
      string(b, a.nodeId());
      b.append(",\"deathReason\":");
      string(b, a.deathReason());
      b.append('}');
    }
    b.append("],\"placementGroups\":[");
    for (int i = 0; i < groups.size(); i++) {
      Msg.PlacementGroupInfo g = groups.get(i);
      b.append(i == 0 ? "" : ",").append("{\"groupId\":");
      string(b, g.groupId());
      b.append(",\"jobId\":").append(g.jobId());
      b.append(",\"strategy\":");
      string(b, g.strategy() == null ? null : g.strategy().name());
      b.append(",\"state\":");
      string(b, g.state() == null ? null : g.state().name());
      b.append(",\"bundles\":[");
      for (int k = 0; k < g.bundles().size(); k++) {
        b.append(k == 0 ? "" : ",");
        amounts(b, g.bundles().get(k));
      }
      b.append("],\"bundleNodes\":[");
      for (int k = 0; k < g.bundleNodes().size(); k++) {
        b.append(k == 0 ? "" : ",");
        string(b, g.bundleNodes().get(k));
      }
      b.append("],\"pendingReason\":");
      string(b, g.pendingReason());
      b.append('}');
    }
    b.append("],\"infeasible\":[");
    List<Msg.PendingDemand> waiting = s.infeasible() == null ? List.of() : s.infeasible();
    for (int i = 0; i < waiting.size(); i++) {
      Msg.PendingDemand d = waiting.get(i);
      b.append(i == 0 ? "" : ",").append("{\"kind\":");
      string(b, d.kind());
      b.append(",\"name\":");
      string(b, d.name());
      b.append(",\"resources\":");
      amounts(b, d.resources());
      b.append(",\"nodeId\":");
      string(b, d.nodeId());
      b.append(",\"count\":").append(d.count());
      b.append('}');
    }
    return b.append("]}").toString();
  }

  private static void amounts(StringBuilder b, Map<String, Double> m) {
    if (m == null) {
      b.append("null");
      return;
    }
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(m).entrySet()) {
      b.append(first ? "" : ",");
      first = false;
      string(b, e.getKey());
      b.append(':');
      number(b, e.getValue());
    }
    b.append('}');
  }

  /**
   * Whole amounts as integers (bytes read better so); NaN and infinities, which JSON lacks, null.
   */
  static void number(StringBuilder b, Double v) {
    if (v == null || v.isNaN() || v.isInfinite()) {
      b.append("null");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      b.append(v.longValue());
    } else {
      b.append(v.doubleValue());
    }
  }

  /** A JSON string: quotes, backslashes and every control character escaped (RFC 8259). */
  static void string(StringBuilder b, String s) {
    dev.weft.internal.core.JsonWriter.string(b, s);
  }
}
