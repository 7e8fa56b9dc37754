package dev.weft.internal.control;

import dev.weft.internal.metrics.MetricsEndpoint;
import dev.weft.internal.proto.Msg;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The control store's Prometheus metrics (issue 12 item 2), the cluster as a whole: {@code
 * weft_cluster_nodes} by {@code state} (ALIVE, DEAD), {@code weft_cluster_jobs} by state (RUNNING,
 * FINISHED), {@code weft_cluster_actors} by state (every actor state), {@code
 * weft_cluster_placement_groups} by state, {@code weft_cluster_kv_keys} and {@code
 * weft_cluster_detached_objects}; besides the JVM's and the RPC latencies of {@link
 * MetricsEndpoint}. Taken on the control store's loop every second; scrapes read the snapshot.
 */
final class ControlMetrics implements AutoCloseable {
  private record Snapshot(
      Map<String, Integer> nodes,
      Map<String, Integer> jobs,
      Map<String, Integer> actors,
      Map<String, Integer> groups,
      int kvKeys,
      int detached) {}

  private final MetricsEndpoint endpoint;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), 0, 0);

  ControlMetrics(ControlStore cs, MetricsEndpoint endpoint) {
    this.endpoint = endpoint;
    byState(
        "weft_cluster_nodes", "Nodes the control store knows, by state", () -> snapshot.nodes());
    byState("weft_cluster_jobs", "Jobs by state", () -> snapshot.jobs());
    byState("weft_cluster_actors", "Actors by state", () -> snapshot.actors());
    byState("weft_cluster_placement_groups", "Placement groups by state", () -> snapshot.groups());
    GaugeWithCallback.builder()
        .name("weft_cluster_kv_keys")
        .help("Keys in the cluster's key-value table")
        .callback(cb -> cb.call(snapshot.kvKeys()))
        .register(endpoint.registry);
    GaugeWithCallback.builder()
        .name("weft_cluster_detached_objects")
        .help("Objects the control store owns (Weft.putDetached)")
        .callback(cb -> cb.call(snapshot.detached()))
        .register(endpoint.registry);
    cs.loop.scheduleWithFixedDelay(
        () -> {
          try {
            refresh(cs);
          } catch (RuntimeException e) {
            // keep the last snapshot; a periodic task that throws is never run again
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
  }

  private void byState(
      String name, String help, java.util.function.Supplier<Map<String, Integer>> counts) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("state")
        .callback(cb -> counts.get().forEach((s, n) -> cb.call(n, s)))
        .register(endpoint.registry);
  }

  /** On the control store's loop. */
  private void refresh(ControlStore cs) {
    Map<String, Integer> nodes = new TreeMap<>(Map.of("ALIVE", 0, "DEAD", 0));
    for (Msg.NodeInfo n : cs.nodeInfos()) {
      nodes.merge(n.alive() ? "ALIVE" : "DEAD", 1, Integer::sum);
    }
    Map<String, Integer> actors = new TreeMap<>();
    for (Msg.ActorState s : Msg.ActorState.values()) {
      actors.put(s.name(), 0);
    }
    for (Msg.ActorInfo a : cs.actorInfos()) {
      actors.merge(String.valueOf(a.state()), 1, Integer::sum);
    }
    Map<String, Integer> groups = new TreeMap<>();
    for (Msg.PlacementGroupState s : Msg.PlacementGroupState.values()) {
      groups.put(s.name(), 0);
    }
    for (Msg.PlacementGroupInfo g : cs.groups.list().groups()) {
      groups.merge(String.valueOf(g.state()), 1, Integer::sum);
    }
    snapshot =
        new Snapshot(nodes, cs.jobCounts(), actors, groups, cs.kv().size(), cs.objects().size());
  }

  String url() {
    return endpoint.url();
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
