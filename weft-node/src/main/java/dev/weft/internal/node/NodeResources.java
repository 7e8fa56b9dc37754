package dev.weft.internal.node;

import dev.weft.internal.proto.BundleResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * This node's resources: what it offers in all, what is not taken now, and which GPU ids are free.
 *
 * <p>Implementation notes. Owned by the node loop thread, like every room of {@link NodeManager}:
 * no locks. Leases ({@link LeaseManager}) and hosted actors ({@link ActorHosting}) take from and
 * give back to {@link #available}; a blocked lease gives its CPU back while it waits, so {@code
 * available} may briefly go below zero, as the design accepts. GPUs are whole and counted twice on
 * purpose: as the amount {@code "GPU"} in the maps, and as ids in {@link #freeGpus} (a worker JVM
 * is started for a set of ids with {@code CUDA_VISIBLE_DEVICES}, see {@link WorkerRegistry}).
 */
final class NodeResources {
  private final String nodeId;
  final Map<String, Double> total;
  final Map<String, Double> available;

  /** Told (on the loop) after {@link #available} changed; the node reports it, coalesced. */
  Runnable onChange = () -> {};

  /** GPU ids not leased (0 .. GPU-1); a lease of n GPUs takes n of them. */
  private final TreeSet<Integer> freeGpus = new TreeSet<>();

  NodeResources(String nodeId, Map<String, Double> resources) {
    this.nodeId = nodeId;
    for (int i = 0; i < resources.getOrDefault("GPU", 0.0); i++) {
      freeGpus.add(i);
    }
    this.total = new HashMap<>(resources); // grows and shrinks with placement-group bundles
    this.available = new HashMap<>(resources);
  }

  /** Why no node could ever meet {@code need}, or null when this one can. */
  String infeasible(Map<String, Double> need) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (BundleResources.groupOf(e.getKey()) != null) {
        continue; // a bundle's resource: here once its group is committed (BundleReservations)
      }
      if (total.getOrDefault(e.getKey(), 0.0) < e.getValue()) {
        return "the demand "
            + need
            + " can never be met: node "
            + nodeId
            + " offers "
            + total
            + " in all (lower the task's .cpus/.resource, or start the cluster with more)";
      }
    }
    return fractionalGpus(need);
  }

  /** Why {@code need} is malformed for this node (a fraction of a GPU), or null. */
  String fractionalGpus(Map<String, Double> need) {
    double gpus = need.getOrDefault("GPU", 0.0);
    if (gpus != Math.floor(gpus)) {
      return "the demand "
          + need
          + " asks for a fraction of a GPU, and node "
          + nodeId
          + " leases whole GPUs only (ask for .gpus(1) or more)";
    }
    return null;
  }

  /** Takes {@code r} from what is available. */
  void take(Map<String, Double> r) {
    add(available, r, -1);
    onChange.run();
  }

  /**
   * Gives {@code r} back to what is available; a bundle's resource whose bundle is gone (not in the
   * totals any more) is dropped.
   */
  void give(Map<String, Double> r) {
    r.forEach(
        (k, v) -> {
          if (total.containsKey(k)) {
            available.merge(k, v, Double::sum);
          }
        });
    onChange.run();
  }

  /** A copy of what is available, for a pass that plans grants before making them. */
  Map<String, Double> availableCopy() {
    return new HashMap<>(available);
  }

  /** A copy of the free GPU ids, for the same. */
  TreeSet<Integer> freeGpusCopy() {
    return new TreeSet<>(freeGpus);
  }

  /** Takes {@code n} free GPU ids (the demand fits, so there are enough). */
  List<Integer> takeGpus(int n) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(freeGpus.pollFirst());
    }
    return List.copyOf(ids);
  }

  /** Marks these GPU ids taken (a worker started for them is leased). */
  void markGpusTaken(List<Integer> ids) {
    freeGpus.removeAll(ids);
  }

  void giveGpus(List<Integer> ids) {
    freeGpus.addAll(ids);
  }

  boolean gpusFree(List<Integer> ids) {
    return freeGpus.containsAll(ids);
  }

  /** How many whole GPUs a demand takes. */
  static int gpusOf(Map<String, Double> need) {
    return (int) Math.round(need.getOrDefault("GPU", 0.0));
  }

  static Map<String, Double> cpuOnly(Map<String, Double> r) {
    Double cpu = r.get("CPU");
    return cpu == null ? Map.of() : Map.of("CPU", cpu);
  }

  /** Whether {@code need} fits in {@code available}, resource by resource. */
  static boolean fits(Map<String, Double> available, Map<String, Double> need) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (available.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  static void add(Map<String, Double> into, Map<String, Double> r, int sign) {
    r.forEach((k, v) -> into.merge(k, sign * v, Double::sum));
  }
}
