package dev.weft.state;

import dev.weft.NodeInfo;
import dev.weft.WeftException;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.HostAddresses;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a Weft cluster is doing, from any program that reaches its head (issue 12 item 3): the same
 * data as {@code weft list} and {@code weft summary tasks}, which use this class. Works without
 * {@code Weft.init}: it asks the control store and each node, with the cluster token (from {@code
 * WEFT_TOKEN}, or the head's token file on the head's machine).
 *
 * <pre>{@code
 * try (ClusterState state = ClusterState.connect("10.0.0.1:7380")) {
 *   for (TaskState t : state.tasks(0, 100)) { ... }
 *   for (TaskSummary s : state.taskSummary()) { ... }
 * }
 * }</pre>
 *
 * Tasks are those the nodes remember: each keeps the latest {@code -Dweft.node.taskEvents} (default
 * 20,000) that ended on it, and those running now; the summary counts every task since each node
 * started.
 */
public final class ClusterState implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String address;
  private final String token;
  private final Connection control;
  private final Map<String, Connection> nodeLinks = new HashMap<>();

  private ClusterState(String address, String token, Connection control) {
    this.address = address;
    this.token = token;
    this.control = control;
  }

  /** The cluster whose head is at {@code address} ({@code host:port}). */
  public static ClusterState connect(String address) {
    String token;
    try {
      token = ClusterFiles.tokenFor(address);
    } catch (IOException e) {
      throw new WeftException("no Weft cluster known at " + address + ": " + e.getMessage(), e);
    }
    try {
      return new ClusterState(
          address, token, Rpc.connect(address, token, (c, id, m) -> {}, Duration.ofSeconds(5)));
    } catch (IOException e) {
      throw new WeftException(
          "cannot reach the Weft head at "
              + address
              + ": "
              + e.getMessage()
              + " (start one with `weft start --head`)",
          e);
    }
  }

  /** The cluster whose head is at {@code address}, with its token (a process of the cluster). */
  public static ClusterState connect(String address, String token) {
    try {
      return new ClusterState(
          address, token, Rpc.connect(address, token, (c, id, m) -> {}, Duration.ofSeconds(5)));
    } catch (IOException e) {
      throw new WeftException(
          "cannot reach the control store at " + address + ": " + e.getMessage(), e);
    }
  }

  /** The cluster at {@code WEFT_ADDRESS}, else at this machine's default port 7380. */
  public static ClusterState connect() {
    String a = System.getenv("WEFT_ADDRESS");
    return connect(a != null && !a.isBlank() ? a : HostAddresses.loopback() + ":7380");
  }

  public String address() {
    return address;
  }

  // ------------------------------------------------------------------ the control store's view

  private Msg.StatusReply status() {
    return call(control, new Msg.ClusterStatus(), Msg.StatusReply.class, "the control store");
  }

  /** Every node the head knows, dead ones included. */
  public List<NodeState> nodes() {
    List<NodeState> out = new ArrayList<>();
    for (Msg.NodeInfo n : status().nodes()) {
      out.add(
          new NodeState(
              new NodeInfo(n.nodeId(), n.address(), n.alive(), n.resources(), n.available()),
              n.pid(),
              n.metricsUrl()));
    }
    return out;
  }

  /** Every actor, dead ones included (until the head forgets them). */
  public List<ActorState> actors() {
    List<ActorState> out = new ArrayList<>();
    for (Msg.ActorInfo a : status().actors()) {
      out.add(
          new ActorState(
              String.format("%016x%016x", a.actorHi(), a.actorLo()),
              a.className(),
              a.name(),
              String.valueOf(a.state()),
              a.nodeId(),
              a.address(),
              a.incarnation(),
              a.deathReason()));
    }
    return out;
  }

  /** Every job, finished ones included. */
  public List<JobState> jobs() {
    List<JobState> out = new ArrayList<>();
    for (String j : status().jobs()) {
      // "<id> <name…> driver=<address> RUNNING|FINISHED", as the control store writes it
      int sp = j.indexOf(' ');
      int drv = j.lastIndexOf(" driver=");
      int st = j.lastIndexOf(' ');
      if (sp < 0 || drv < sp || st <= drv) {
        continue;
      }
      out.add(
          new JobState(
              Integer.parseInt(j.substring(0, sp)),
              j.substring(sp + 1, drv),
              j.substring(drv + 8, st),
              j.substring(st + 1)));
    }
    return out;
  }

  /** Every placement group not removed. */
  public List<PlacementGroupState> placementGroups() {
    Msg.PlacementGroupList l =
        call(
            control,
            new Msg.ListPlacementGroups(),
            Msg.PlacementGroupList.class,
            "the control store");
    List<PlacementGroupState> out = new ArrayList<>();
    for (Msg.PlacementGroupInfo g : l.groups()) {
      out.add(
          new PlacementGroupState(
              g.groupId(),
              g.jobId(),
              String.valueOf(g.strategy()),
              String.valueOf(g.state()),
              g.bundles(),
              g.bundleNodes(),
              g.pendingReason()));
    }
    return out;
  }

  // ------------------------------------------------------------------ the nodes' views

  private List<Msg.NodeInfo> aliveNodes() {
    return status().nodes().stream().filter(Msg.NodeInfo::alive).toList();
  }

  private Connection node(Msg.NodeInfo n) {
    Connection c = nodeLinks.get(n.address());
    if (c != null && c.isOpen()) {
      return c;
    }
    try {
      c = Rpc.connect(n.address(), token, (conn, id, m) -> {}, Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new WeftException(
          "cannot reach node " + n.nodeId() + " at " + n.address() + ": " + e.getMessage(), e);
    }
    nodeLinks.put(n.address(), c);
    return c;
  }

  /**
   * The latest tasks and actor calls of job {@code jobId} (0: every job), running ones first, then
   * the others newest first; at most {@code limit} (0: all the nodes remember).
   */
  public List<TaskState> tasks(int jobId, int limit) {
    List<TaskState> out = new ArrayList<>();
    for (Msg.NodeInfo n : aliveNodes()) {
      Msg.TaskList l =
          call(node(n), new Msg.ListTasks(jobId, limit), Msg.TaskList.class, "node " + n.nodeId());
      for (Msg.TaskEvent e : l.tasks()) {
        out.add(TaskState.of(e, l.nodeId()));
      }
    }
    out.sort(
        Comparator.comparing((TaskState t) -> !t.state().equals("RUNNING"))
            .thenComparing(Comparator.comparingLong(TaskState::startMicros).reversed()));
    return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  /** Every function's tasks since each node started, summed over the nodes, by name. */
  public List<TaskSummary> taskSummary() {
    Map<String, long[]> sums = new TreeMap<>();
    for (Msg.NodeInfo n : aliveNodes()) {
      Msg.TaskCounts c =
          call(node(n), new Msg.GetTaskCounts(), Msg.TaskCounts.class, "node " + n.nodeId());
      for (Msg.FunctionCounts f : c.functions()) {
        long[] v = sums.computeIfAbsent(f.function(), k -> new long[4]);
        v[0] += f.submitted();
        v[1] += f.running();
        v[2] += f.finished();
        v[3] += f.failed();
      }
    }
    List<TaskSummary> out = new ArrayList<>();
    sums.forEach((f, v) -> out.add(new TaskSummary(f, v[0], v[1], v[2], v[3])));
    return out;
  }

  /** Each live node's object store: size, use, objects, what is spilled. */
  public List<StoreState> stores() {
    List<StoreState> out = new ArrayList<>();
    for (Msg.NodeInfo n : aliveNodes()) {
      Msg.StoreStatsReply st =
          call(node(n), new Msg.StoreStats(), Msg.StoreStatsReply.class, "node " + n.nodeId());
      out.add(
          new StoreState(
              n.nodeId(),
              st.capacityBytes(),
              st.usedBytes(),
              st.objects(),
              st.pinned(),
              st.spilledBytes(),
              st.spilledObjects()));
    }
    return out;
  }

  /**
   * What job {@code jobId}'s tasks and actors printed, from line {@code fromSeq} on, as the control
   * store keeps it (the latest lines of each job), each prefixed with where it ran.
   */
  public JobOutput jobOutput(int jobId, long fromSeq) {
    Msg.JobLogLines l =
        call(
            control,
            new Msg.GetJobLogs(jobId, fromSeq),
            Msg.JobLogLines.class,
            "the control store");
    return new JobOutput(l.firstSeq(), l.nextSeq(), l.lines(), l.alive());
  }

  /**
   * The objects the cluster's owners (drivers, workers, the control store) hold, at most {@code
   * maxPerOwner} each: where each is, its size, and who references it.
   */
  public List<ObjectState> objects(int maxPerOwner) {
    Set<String> owners =
        new LinkedHashSet<>(
            call(control, new Msg.ListOwners(), Msg.Owners.class, "the control store").addresses());
    Map<String, String[]> stored = new HashMap<>(); // id -> {size, node, state}
    for (Msg.NodeInfo n : aliveNodes()) {
      Connection c = node(n);
      owners.addAll(
          call(c, new Msg.ListOwners(), Msg.Owners.class, "node " + n.nodeId()).addresses());
      Msg.StoreStatsReply st =
          call(c, new Msg.StoreStats(), Msg.StoreStatsReply.class, "node " + n.nodeId());
      for (String line : st.objectLines()) {
        String[] p = line.split(" ");
        stored.put(p[0], new String[] {p[1], n.nodeId(), p.length > 3 ? p[3] : ""});
      }
    }
    List<ObjectState> out = new ArrayList<>();
    for (String owner : owners) {
      Msg.ObjectList list;
      Connection oc = null;
      try {
        oc = Rpc.connect(owner, token, (c, id, m) -> {}, Duration.ofSeconds(5));
        list = call(oc, new Msg.ListObjects(maxPerOwner), Msg.ObjectList.class, owner);
      } catch (IOException | WeftException e) {
        continue; // the owner went away meanwhile
      } finally {
        if (oc != null) {
          oc.close();
        }
      }
      for (String line : list.lines()) {
        String[] p = line.split(" ", 4); // id state bytes refs...
        String[] where = stored.get(p[0]);
        long size = where != null ? Long.parseLong(where[0]) : Long.parseLong(p[2]);
        String state = where != null && "SPILLED".equals(where[2]) ? "SPILLED" : p[1];
        out.add(
            new ObjectState(
                p[0],
                state,
                size,
                owner,
                where != null ? where[1] : null,
                p.length > 3 ? p[3] : ""));
      }
    }
    return out;
  }

  private static <T extends Msg> T call(Connection c, Msg m, Class<T> type, String who) {
    Msg reply;
    try {
      reply = c.call(m).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new WeftException(who + " did not answer: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(who + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("interrupted while asking " + who, e);
    }
    if (type.isInstance(reply)) {
      return type.cast(reply);
    }
    throw new WeftException(
        who
            + " refused "
            + m.getClass().getSimpleName()
            + ": "
            + (reply instanceof Msg.Failure f ? f.text() : String.valueOf(reply)));
  }

  @Override
  public void close() {
    nodeLinks.values().forEach(Connection::close);
    control.close();
  }
}
