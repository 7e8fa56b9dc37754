package dev.weft.internal.node;

import dev.weft.internal.metrics.MetricsEndpoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's Prometheus metrics (issue 12 item 2), served by its {@link MetricsEndpoint}:
 *
 * <ul>
 *   <li>{@code weft_tasks_submitted_total}, {@code _finished_total}, {@code _failed_total} and
 *       {@code weft_tasks_running}, by {@code function}: the sums of the totals its drivers and
 *       workers send (kept by {@link NodeTasks}), those of processes that exited included;
 *   <li>{@code weft_leases_active}, {@code weft_lease_requests_waiting}, {@code weft_workers} by
 *       {@code state}, {@code weft_actors} by {@code state} (QUEUED, STARTING, RUNNING);
 *   <li>{@code weft_object_store_capacity_bytes}, {@code _used_bytes}, {@code _objects}, {@code
 *       _on_disk_bytes} (spilled now), {@code _spilled_bytes_total} and {@code
 *       _restored_bytes_total};
 *   <li>{@code weft_object_transfer_received_bytes_total} and {@code _sent_bytes_total}: object
 *       bytes pulled from and served to other nodes.
 * </ul>
 *
 * The rooms of the node live on its loop: every second the loop takes a snapshot of them, which
 * scrapes (on the endpoint's threads) read. All values carry the label {@code node}.
 */
final class NodeMetrics implements AutoCloseable {
  private record Snapshot(
      Map<String, long[]> tasks,
      int leases,
      int waiting,
      Map<String, Integer> workers,
      Map<String, Integer> actors,
      long[] store) {}

  private final NodeManager nm;
  private final MetricsEndpoint endpoint;
  private volatile Snapshot snapshot =
      new Snapshot(Map.of(), 0, 0, Map.of(), Map.of(), new long[6]);

  NodeMetrics(NodeManager nm, MetricsEndpoint endpoint) {
    this.nm = nm;
    this.endpoint = endpoint;
    String node = nm.nodeId;
    var r = endpoint.registry;
    String[] fn = {"node", "function"};
    counter("weft_tasks_submitted", "Tasks and actor calls submitted by this node's processes", 0);
    counter("weft_tasks_finished", "Tasks and actor calls that ran to completion here", 2);
    counter("weft_tasks_failed", "Tasks and actor calls that failed here", 3);
    GaugeWithCallback.builder()
        .name("weft_tasks_running")
        .help("Tasks and actor calls running here now")
        .labelNames(fn)
        .callback(cb -> snapshot.tasks().forEach((f, v) -> cb.call(v[1], node, f)))
        .register(r);
    gauge("weft_leases_active", "Worker leases held now", () -> snapshot.leases());
    gauge(
        "weft_lease_requests_waiting",
        "Lease requests that wait for resources or a worker",
        () -> snapshot.waiting());
    GaugeWithCallback.builder()
        .name("weft_workers")
        .help("Worker JVMs of this node by state")
        .labelNames("node", "state")
        .callback(cb -> snapshot.workers().forEach((s, n) -> cb.call(n, node, s)))
        .register(r);
    GaugeWithCallback.builder()
        .name("weft_actors")
        .help("Actors this node hosts or is about to, by state")
        .labelNames("node", "state")
        .callback(cb -> snapshot.actors().forEach((s, n) -> cb.call(n, node, s)))
        .register(r);
    gauge(
        "weft_object_store_capacity_bytes", "Size of the object store", () -> snapshot.store()[0]);
    gauge("weft_object_store_used_bytes", "Bytes of the store in use", () -> snapshot.store()[1]);
    gauge("weft_object_store_objects", "Objects in the store", () -> snapshot.store()[2]);
    gauge(
        "weft_object_store_on_disk_bytes",
        "Bytes of objects spilled to disk now",
        () -> snapshot.store()[3]);
    CounterWithCallback.builder()
        .name("weft_object_store_spilled_bytes")
        .help("Bytes spilled to disk since the node started")
        .labelNames("node")
        .callback(cb -> cb.call(snapshot.store()[4], node))
        .register(r);
    CounterWithCallback.builder()
        .name("weft_object_store_restored_bytes")
        .help("Bytes read back from spill files since the node started")
        .labelNames("node")
        .callback(cb -> cb.call(snapshot.store()[5], node))
        .register(r);
    CounterWithCallback.builder()
        .name("weft_object_transfer_received_bytes")
        .help("Object bytes pulled from other nodes")
        .labelNames("node")
        .callback(cb -> cb.call(nm.pulls.receivedBytes.sum(), node))
        .register(r);
    CounterWithCallback.builder()
        .name("weft_object_transfer_sent_bytes")
        .help("Object bytes served to other nodes")
        .labelNames("node")
        .callback(cb -> cb.call(nm.pulls.sentBytes.sum(), node))
        .register(r);
  }

  private void counter(String name, String help, int index) {
    String node = nm.nodeId;
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("node", "function")
        .callback(cb -> snapshot.tasks().forEach((f, v) -> cb.call(v[index], node, f)))
        .register(endpoint.registry);
  }

  private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    String node = nm.nodeId;
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("node")
        .callback(cb -> cb.call(value.getAsDouble(), node))
        .register(endpoint.registry);
  }

  /** Refreshes the snapshot every second from now on (on the node loop). */
  void start(ScheduledExecutorService loop) {
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            refresh();
          } catch (RuntimeException e) {
            // keep the last snapshot; a periodic task that throws is never run again
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
  }

  String url() {
    return endpoint.url();
  }

  /** On the loop. */
  private void refresh() {
    Map<String, long[]> tasks = nm.tasks.totals();
    Map<String, Integer> workers = new TreeMap<>();
    for (Worker.State s : Worker.State.values()) {
      if (s != Worker.State.DEAD) {
        workers.put(s.name(), 0);
      }
    }
    for (Worker w : nm.workers.all()) {
      workers.merge(w.state.name(), 1, Integer::sum);
    }
    Map<String, Integer> actors = new TreeMap<>();
    for (ActorHosting.ActorPhase p : ActorHosting.ActorPhase.values()) {
      actors.put(p.name(), 0);
    }
    actors.putAll(nm.actors.countByPhase());
    var st = nm.store.store;
    long[] spill = st.spillTotals();
    snapshot =
        new Snapshot(
            tasks,
            nm.leases.activeLeases(),
            nm.leases.waitingDemands(),
            workers,
            actors,
            new long[] {
              st.capacityBytes(),
              st.usedBytes(),
              st.objects(),
              st.spilledBytes(),
              spill[0],
              spill[2]
            });
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
