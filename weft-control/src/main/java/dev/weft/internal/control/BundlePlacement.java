package dev.weft.internal.control;

import dev.weft.PlacementStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the bundles of a placement group go: a pure function over a snapshot of the nodes, so it is
 * tested without processes. {@link #place} answers from what the nodes have AVAILABLE now (null
 * when the group does not fit now); {@link #neverFits} from their TOTALS (a reason when no set of
 * the live nodes could ever hold the group, however much were freed).
 *
 * <p>The strategies, Ray's meanings:
 *
 * <ul>
 *   <li>STRICT_PACK: all bundles on one node: the first node (in the given order) whose free
 *       resources hold their sum.
 *   <li>PACK: as STRICT_PACK if one node holds them all; else bundle by bundle, largest first, on a
 *       node the group already uses when it fits, else on the fitting node with the most free.
 *   <li>STRICT_SPREAD: every bundle on its own node: a maximum bipartite matching of bundles to the
 *       nodes that fit each (augmenting paths), so it finds a placement whenever one exists.
 *   <li>SPREAD: bundle by bundle, largest first, on the fitting node the group uses least (ties:
 *       the given order); bundles share a node only when no unused node fits.
 * </ul>
 *
 * {@code fixed} holds bundles that keep their node (a group whose node died: its other bundles stay
 * where they are and only the lost ones are placed); their resources are already out of the nodes'
 * available.
 */
final class BundlePlacement {
  private static final double EPS = 1e-9;

  /** A node as placement sees it: its id, what it has free now and what it offers in all. */
  record NodeCapacity(String nodeId, Map<String, Double> available, Map<String, Double> total) {}

  private BundlePlacement() {}

  /**
   * The node of each bundle (index order), keeping {@code fixed}; null when the group does not fit
   * in what the nodes have free now.
   */
  static List<String> place(
      List<Map<String, Double>> bundles,
      PlacementStrategy strategy,
      List<NodeCapacity> nodes,
      Map<Integer, String> fixed) {
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < bundles.size(); i++) {
      if (!fixed.containsKey(i)) {
        todo.add(i);
      }
    }
    // largest first (by the sum of its amounts): the hard ones get the first pick
    todo.sort(
        (a, b) ->
            Double.compare(sum(bundles.get(b)), sum(bundles.get(a))) != 0
                ? Double.compare(sum(bundles.get(b)), sum(bundles.get(a)))
                : Integer.compare(a, b));
    Map<String, Map<String, Double>> free = new LinkedHashMap<>();
    for (NodeCapacity n : nodes) {
      free.put(n.nodeId(), new HashMap<>(n.available()));
    }
    String[] out = new String[bundles.size()];
    fixed.forEach((i, node) -> out[i] = node);
    boolean ok =
        switch (strategy) {
          case STRICT_PACK -> strictPack(bundles, todo, free, fixed, out);
          case PACK ->
              strictPack(bundles, todo, free, fixed, out) || pack(bundles, todo, free, out);
          case STRICT_SPREAD -> strictSpread(bundles, todo, free, fixed, out);
          case SPREAD -> spread(bundles, todo, free, out);
        };
    return ok ? Arrays.asList(out) : null;
  }

  /**
   * Why no set of these (live) nodes could ever hold the group by their totals, or null when some
   * could (it may still have to wait for resources to be freed).
   */
  static String neverFits(
      List<Map<String, Double>> bundles, PlacementStrategy strategy, List<NodeCapacity> nodes) {
    List<Map<String, Double>> totals = nodes.stream().map(NodeCapacity::total).toList();
    String offered =
        nodes.isEmpty()
            ? "there is no live node"
            : "the live nodes offer "
                + nodes.stream().map(n -> n.nodeId() + "=" + n.total()).toList()
                + " in all";
    for (int i = 0; i < bundles.size(); i++) {
      Map<String, Double> b = bundles.get(i);
      if (totals.stream().noneMatch(t -> fits(b, t))) {
        return "bundle "
            + i
            + " "
            + b
            + " is larger than any node can ever hold: "
            + offered
            + " (lower the bundle, or add a node that offers it)";
      }
    }
    if (strategy == PlacementStrategy.STRICT_PACK) {
      Map<String, Double> all = new HashMap<>();
      bundles.forEach(b -> b.forEach((k, v) -> all.merge(k, v, Double::sum)));
      if (totals.stream().noneMatch(t -> fits(all, t))) {
        return "STRICT_PACK puts every bundle on one node, and no node can ever hold their sum "
            + all
            + ": "
            + offered
            + " (use PACK, smaller bundles, or add a node that big)";
      }
    }
    if (strategy == PlacementStrategy.STRICT_SPREAD) {
      Map<String, Map<String, Double>> byNode = new LinkedHashMap<>();
      for (NodeCapacity n : nodes) {
        byNode.put(n.nodeId(), new HashMap<>(n.total()));
      }
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < bundles.size(); i++) {
        all.add(i);
      }
      String[] out = new String[bundles.size()];
      if (!strictSpread(bundles, all, byNode, Map.of(), out)) {
        return "STRICT_SPREAD puts each of the "
            + bundles.size()
            + " bundles on a different node, and the live nodes cannot hold them one each: "
            + offered
            + " (use SPREAD, or add nodes)";
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ strategies

  private static boolean strictPack(
      List<Map<String, Double>> bundles,
      List<Integer> todo,
      Map<String, Map<String, Double>> free,
      Map<Integer, String> fixed,
      String[] out) {
    Map<String, Double> need = new HashMap<>();
    for (int i : todo) {
      bundles.get(i).forEach((k, v) -> need.merge(k, v, Double::sum));
    }
    for (Map.Entry<String, Map<String, Double>> n : free.entrySet()) {
      if (!fixed.isEmpty() && !fixed.containsValue(n.getKey())) {
        continue; // the kept bundles name the one node
      }
      if (fits(need, n.getValue())) {
        for (int i : todo) {
          out[i] = n.getKey();
        }
        take(n.getValue(), need);
        return true;
      }
    }
    return false;
  }

  private static boolean pack(
      List<Map<String, Double>> bundles,
      List<Integer> todo,
      Map<String, Map<String, Double>> free,
      String[] out) {
    for (int i : todo) {
      Map<String, Double> b = bundles.get(i);
      String chosen = null;
      for (String used : out) {
        if (used != null && free.containsKey(used) && fits(b, free.get(used))) {
          chosen = used;
          break;
        }
      }
      if (chosen == null) {
        chosen = roomiest(b, free);
      }
      if (chosen == null) {
        return false;
      }
      out[i] = chosen;
      take(free.get(chosen), b);
    }
    return true;
  }

  private static boolean spread(
      List<Map<String, Double>> bundles,
      List<Integer> todo,
      Map<String, Map<String, Double>> free,
      String[] out) {
    Map<String, Integer> uses = new HashMap<>();
    for (String n : out) {
      if (n != null) {
        uses.merge(n, 1, Integer::sum);
      }
    }
    for (int i : todo) {
      Map<String, Double> b = bundles.get(i);
      String chosen = null;
      int least = Integer.MAX_VALUE;
      for (Map.Entry<String, Map<String, Double>> n : free.entrySet()) {
        int u = uses.getOrDefault(n.getKey(), 0);
        if (u < least && fits(b, n.getValue())) {
          chosen = n.getKey();
          least = u;
        }
      }
      if (chosen == null) {
        return false;
      }
      out[i] = chosen;
      uses.merge(chosen, 1, Integer::sum);
      take(free.get(chosen), b);
    }
    return true;
  }

  /** Each bundle on its own node, none on a node a kept bundle uses: bipartite matching. */
  private static boolean strictSpread(
      List<Map<String, Double>> bundles,
      List<Integer> todo,
      Map<String, Map<String, Double>> free,
      Map<Integer, String> fixed,
      String[] out) {
    List<String> candidates = new ArrayList<>();
    for (String n : free.keySet()) {
      if (!fixed.containsValue(n)) {
        candidates.add(n);
      }
    }
    Map<String, Integer> holder = new HashMap<>(); // node -> bundle matched to it
    for (int i : todo) {
      if (!augment(i, bundles, candidates, free, holder, new java.util.HashSet<>())) {
        return false;
      }
    }
    holder.forEach(
        (node, i) -> {
          out[i] = node;
          take(free.get(node), bundles.get(i));
        });
    return true;
  }

  private static boolean augment(
      int i,
      List<Map<String, Double>> bundles,
      List<String> candidates,
      Map<String, Map<String, Double>> free,
      Map<String, Integer> holder,
      java.util.Set<String> seen) {
    for (String n : candidates) {
      if (!seen.contains(n) && fits(bundles.get(i), free.get(n))) {
        seen.add(n);
        Integer other = holder.get(n);
        if (other == null || augment(other, bundles, candidates, free, holder, seen)) {
          holder.put(n, i);
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ helpers

  /** The fitting node with the most free (the first of equals): the fewest nodes for PACK. */
  private static String roomiest(Map<String, Double> b, Map<String, Map<String, Double>> free) {
    String best = null;
    double most = -1;
    for (Map.Entry<String, Map<String, Double>> n : free.entrySet()) {
      double room = sum(n.getValue());
      if (room > most && fits(b, n.getValue())) {
        best = n.getKey();
        most = room;
      }
    }
    return best;
  }

  static boolean fits(Map<String, Double> need, Map<String, Double> have) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (have.getOrDefault(e.getKey(), 0.0) + EPS < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void take(Map<String, Double> from, Map<String, Double> r) {
    r.forEach((k, v) -> from.merge(k, -v, Double::sum));
  }

  private static double sum(Map<String, Double> b) {
    double s = 0;
    for (double v : b.values()) {
      s += v;
    }
    return s;
  }
}
