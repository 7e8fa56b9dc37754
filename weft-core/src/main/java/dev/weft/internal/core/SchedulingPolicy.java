package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a demand (a worker lease, or an actor) should go, chosen from a view of the cluster's
 * nodes: the hybrid policy, after Ray's idea, as pure functions over a list of {@link Candidate}s.
 * The node manager uses it for leases (with its own exact numbers as the preferred candidate), the
 * control store for actors (with the creator's node as the preferred one).
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li>DEFAULT: the preferred node (the one asked, or the creator's) while it has room and its
 *       utilization is below {@link #threshold}; otherwise the node with room of lowest utilization
 *       (nodes below the threshold first; a preferred node with room stays chosen unless some node
 *       below the threshold has room); with no room anywhere, the preferred node if it could ever
 *       fit the demand (the demand queues there), else the least utilized node that could; with
 *       none, {@link Decision.Infeasible}.
 *   <li>SPREAD: the nodes whose totals fit, in view order, round-robin from a cursor: the first
 *       from the cursor with room, else the one at the cursor.
 *   <li>Node affinity: that node when it is alive and could fit the demand; otherwise soft falls
 *       back to DEFAULT and hard fails ({@link Decision.Fail}).
 *   <li>{@code stay} (a spilled lease): the preferred node, if it could ever fit the demand.
 * </ul>
 *
 * Utilization of a node for a demand: the largest share taken of the resources the demand asks for
 * (CPU when it asks for none). Ties between equally utilized nodes go round-robin, so several
 * submitters do not all pile onto one node. Not thread-safe: one owner thread (the node loop, the
 * control store loop), whose {@link #cursor} it keeps.
 */
public final class SchedulingPolicy {
  /** Ray's default spread threshold: above this utilization a node passes demands on. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private static final double EPS = 1e-9;

  /** A node as the policy sees it: what it offers in all and what is free now. */
  public record Candidate(
      String nodeId,
      String address,
      boolean alive,
      Map<String, Double> total,
      Map<String, Double> available) {
    public static Candidate of(Msg.NodeInfo n) {
      return new Candidate(n.nodeId(), n.address(), n.alive(), n.resources(), n.available());
    }
  }

  /** What to do with a demand. */
  public sealed interface Decision {
    /** Run it on {@code node}; {@code hasRoom}: it fits there now (else it queues there). */
    record Place(Candidate node, boolean hasRoom) implements Decision {}

    /** No live node could ever meet it: it waits for one that can. */
    record Infeasible(String message) implements Decision {}

    /** It can never run as asked (hard affinity to a node that is gone or too small). */
    record Fail(String message) implements Decision {}
  }

  private final double threshold;
  private int cursor;

  public SchedulingPolicy(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "the scheduler's spread threshold must be within 0..1 (got "
              + threshold
              + "); set -Dweft.scheduler.spreadThreshold=0.5 or so");
    }
    this.threshold = threshold;
  }

  /** The threshold from {@code -Dweft.scheduler.spreadThreshold} ({@link #DEFAULT_THRESHOLD}). */
  public static SchedulingPolicy fromSystemProperties() {
    String v = System.getProperty("weft.scheduler.spreadThreshold");
    return new SchedulingPolicy(v == null ? DEFAULT_THRESHOLD : Double.parseDouble(v));
  }

  /**
   * Chooses where {@code need} runs. {@code nodes}: the view (the preferred node's entry may hold
   * exact local numbers); {@code preferred}: the node asked or the creator's (may be null); {@code
   * stay}: a spilled lease, which stays on the preferred node if it could ever fit there.
   */
  public Decision decide(
      List<Candidate> nodes,
      String preferred,
      Map<String, Double> need,
      Msg.Scheduling scheduling,
      boolean stay) {
    Candidate pref = find(nodes, preferred);
    if (stay && pref != null && pref.alive && fits(need, pref.total)) {
      return new Decision.Place(pref, fits(need, pref.available));
    }
    Msg.SchedulingKind kind = scheduling == null ? Msg.SchedulingKind.DEFAULT : scheduling.kind();
    return switch (kind) {
      case SPREAD -> spread(nodes, need);
      case NODE_AFFINITY -> affinity(nodes, pref, need, scheduling);
      case DEFAULT, PLACEMENT_GROUP -> hybrid(nodes, pref, need);
    };
  }

  private Decision hybrid(List<Candidate> nodes, Candidate pref, Map<String, Double> need) {
    boolean prefLive = pref != null && pref.alive;
    boolean prefRoom = prefLive && fits(need, pref.available);
    if (prefRoom && utilization(pref, need) < threshold) {
      return new Decision.Place(pref, true);
    }
    List<Candidate> roomy = new ArrayList<>();
    for (Candidate n : nodes) {
      if (n.alive && n != pref && fits(need, n.available)) {
        roomy.add(n);
      }
    }
    Candidate best = leastUtilized(roomy, need);
    if (best != null) {
      if (prefRoom && utilization(best, need) >= threshold) {
        return new Decision.Place(pref, true); // no node is better: local, even above threshold
      }
      return new Decision.Place(best, true);
    }
    if (prefRoom) {
      return new Decision.Place(pref, true);
    }
    if (prefLive && fits(need, pref.total)) {
      return new Decision.Place(pref, false);
    }
    List<Candidate> feasible = feasible(nodes, need);
    Candidate queueAt = leastUtilized(feasible, need);
    return queueAt != null
        ? new Decision.Place(queueAt, false)
        : new Decision.Infeasible(infeasibleMessage(nodes, need));
  }

  private Decision spread(List<Candidate> nodes, Map<String, Double> need) {
    List<Candidate> feasible = feasible(nodes, need);
    if (feasible.isEmpty()) {
      return new Decision.Infeasible(infeasibleMessage(nodes, need));
    }
    int start = Math.floorMod(cursor++, feasible.size());
    for (int i = 0; i < feasible.size(); i++) {
      Candidate n = feasible.get((start + i) % feasible.size());
      if (fits(need, n.available)) {
        return new Decision.Place(n, true);
      }
    }
    return new Decision.Place(feasible.get(start), false);
  }

  private Decision affinity(
      List<Candidate> nodes, Candidate pref, Map<String, Double> need, Msg.Scheduling s) {
    Candidate target = find(nodes, s.nodeId());
    if (target != null && target.alive && fits(need, target.total)) {
      return new Decision.Place(target, fits(need, target.available));
    }
    if (s.soft()) {
      return hybrid(nodes, pref, need);
    }
    String why =
        target == null
            ? "no node " + s.nodeId() + " is in the cluster (see Weft.nodes() for the node ids)"
            : !target.alive
                ? "node " + s.nodeId() + " is dead"
                : "node " + s.nodeId() + " offers only " + target.total + " in all";
    return new Decision.Fail(
        "hard node affinity to "
            + s.nodeId()
            + " cannot be met for the demand "
            + need
            + ": "
            + why
            + " (use nodeAffinity(id, true) to fall back to other nodes)");
  }

  /** The live nodes whose totals could ever fit {@code need}, in view order. */
  private static List<Candidate> feasible(List<Candidate> nodes, Map<String, Double> need) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate n : nodes) {
      if (n.alive && fits(need, n.total)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The least utilized of {@code from}, ties round-robin; null when empty. */
  private Candidate leastUtilized(List<Candidate> from, Map<String, Double> need) {
    if (from.isEmpty()) {
      return null;
    }
    double min = Double.MAX_VALUE;
    for (Candidate n : from) {
      min = Math.min(min, utilization(n, need));
    }
    List<Candidate> ties = new ArrayList<>();
    for (Candidate n : from) {
      if (utilization(n, need) <= min + EPS) {
        ties.add(n);
      }
    }
    return ties.size() == 1 ? ties.get(0) : ties.get(Math.floorMod(cursor++, ties.size()));
  }

  /** The largest share taken of the resources {@code need} asks for (CPU when none). */
  public static double utilization(Candidate n, Map<String, Double> need) {
    double u = 0;
    Iterable<String> keys = need.isEmpty() ? List.of("CPU") : need.keySet();
    for (String k : keys) {
      double total = n.total.getOrDefault(k, 0.0);
      if (total > 0) {
        double avail = n.available == null ? total : n.available.getOrDefault(k, 0.0);
        u = Math.max(u, (total - avail) / total);
      }
    }
    return u;
  }

  public static boolean fits(Map<String, Double> need, Map<String, Double> have) {
    if (have == null) {
      return false;
    }
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (have.getOrDefault(e.getKey(), 0.0) + EPS < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** What was asked, the most any live node offers of each, and that it waits. */
  public static String infeasibleMessage(List<Candidate> nodes, Map<String, Double> need) {
    Map<String, Double> most = new TreeMap<>();
    int alive = 0;
    for (Candidate n : nodes) {
      if (n.alive) {
        alive++;
        for (String k : need.keySet()) {
          most.merge(k, n.total.getOrDefault(k, 0.0), Math::max);
        }
      }
    }
    return "the demand "
        + need
        + " cannot be met by any of the "
        + alive
        + " live node(s): the most any node offers is "
        + most
        + "; it waits until a node that can meet it joins the cluster (or lower what it asks"
        + " for)";
  }

  private static Candidate find(List<Candidate> nodes, String id) {
    if (id == null) {
      return null;
    }
    for (Candidate n : nodes) {
      if (n.nodeId.equals(id)) {
        return n;
      }
    }
    return null;
  }
}
