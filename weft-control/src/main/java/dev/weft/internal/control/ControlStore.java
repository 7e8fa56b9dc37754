package dev.weft.internal.control;

import static dev.weft.internal.proto.Msg.ActorState.ALIVE;
import static dev.weft.internal.proto.Msg.ActorState.DEAD;
import static dev.weft.internal.proto.Msg.ActorState.PENDING;
import static dev.weft.internal.proto.Msg.ActorState.RESTARTING;

import dev.weft.ActorId;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ActorState;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store: cluster metadata only (nodes, jobs, actors and their names), never on the data
 * path of a task.
 *
 * <p>Implementation notes. Every message is handled on one thread, {@link #loop}: the tables below
 * are plain maps owned by it, so there are no locks. Replies that must wait (a job waiting for its
 * first node, a caller waiting for an actor to settle) are parked as {@link Waiter}s and answered
 * from the loop. Actor placement asks a node manager (HostActor) and finishes when it answers.
 * Where it goes is chosen from this store's view of the nodes by SchedulingPolicy (weft-core; see
 * {@link #place(ActorRec, Connection)}):
 *
 * <pre>
 *  CW → CS  CreateActor(spec with scheduling, creatorNodeId) → ActorInfo(PENDING)
 *  CS: decide → node N: CS → NM(N) HostActor → ActorInfo (N's line grants it when resources free)
 *             → no live node could ever host it: waits here; CS → CW DemandInfeasible (one-way,
 *               the creator warns); listed in StatusReply.infeasible; placed at a RegisterNode
 *             → hard affinity to a dead/unknown/too small node: DEAD with the reason
 *  NM → CS  ReportInfeasible (one-way: lease demands waiting at that node, for `weft status`)
 * </pre>
 *
 * Liveness: a node or a driver whose connection closes is dead; its actors are restarted elsewhere
 * or marked dead (with the reason), and a job's non-detached actors die with it. (A node process
 * that dies closes its connection at once; a machine that vanishes without closing it is only
 * noticed by heartbeats, which do not exist yet.)
 *
 * <p>The cluster resource view. Every node's record carries what the view shows of it (total,
 * available, alive) and {@code changedAt}, the view version of its last change; {@link
 * #viewVersion} counts changes (one per change, not per publication). The flow:
 *
 * <pre>
 *  NM → CS  RegisterNode → Ack, then at once ViewDelta(0, v, every node): the full view
 *  NM → CS  ReportResources (when its available changed, at most every ~100 ms)
 *  CS: a node registers, reports a different available, or its connection closes (alive=false):
 *      changedAt = ++viewVersion; a publication is scheduled {@link #VIEW_PUBLISH_MILLIS} later
 *      unless one is pending (so at most one per window, none while nothing changes)
 *  CS → NM  publication: to each live node whose sentVersion &lt; viewVersion,
 *           ViewDelta(sentVersion, viewVersion, the nodes with changedAt &gt; sentVersion);
 *           sentVersion = viewVersion
 *  NM → CS  ResyncView (its view has a gap): sentVersion = 0 and the full view goes at once
 *  CW → NM  GetClusterView → ClusterView (drivers and workers read their node's copy)
 * </pre>
 *
 * The connection is ordered and a node never reconnects on the same record (a new RegisterNode
 * makes a new record with sentVersion 0), so a node's deltas chain without gaps; ResyncView is the
 * safety net for a node whose view does not match. Dead nodes stay in the view with alive=false.
 * Everything runs on {@link #loop}, like the rest of this class.
 *
 * <p>Jobs. RegisterJob carries the job's code (class path manifest and JVM options); the record
 * keeps it while the job lives, and any node asks for it (GetJob → JobDefinition) when it gets a
 * demand of a job it does not know. When the driver's connection closes the job ends and every live
 * node hears JobEnded (one-way), so that it forgets the job (see JobCatalog in weft-node).
 *
 * <p>Storage is in memory for now; the file-log and Redis backends behind one storage interface are
 * listed as remaining work in the issue notes.
 */
final class ControlStore implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(ControlStore.class);

  final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("weft-control").factory());

  private record Waiter(Connection conn, long reqId, String staleAddress) {
    Waiter(Connection conn, long reqId) {
      this(conn, reqId, null);
    }
  }

  private static boolean settled(ActorRec a, String staleAddress) {
    return a.state == DEAD
        || (a.state == ALIVE && (staleAddress == null || !staleAddress.equals(a.address)));
  }

  private static final class NodeRec {
    final Msg.RegisterNode reg;
    final Connection conn;
    boolean alive = true;

    /** The view version of this record's last change (registered, available, alive). */
    long changedAt;

    /**
     * The view version this node has been sent (0: nothing yet, its next delta is the full view).
     */
    long sentVersion;

    /** What the node last reported free (ReportResources); all of it until the first report. */
    Map<String, Double> available;

    /** What actors placed here since its last report take (not in {@link #available} yet). */
    final Map<String, Double> placedSinceReport = new HashMap<>();

    /** The infeasible demands waiting at this node, as it last reported them. */
    List<Msg.PendingDemand> infeasible = List.of();

    NodeRec(Msg.RegisterNode reg, Connection conn) {
      this.reg = reg;
      this.conn = conn;
      this.available = reg.resources();
    }
  }

  private static final class JobRec {
    final int id;
    final Msg.RegisterJob reg;
    boolean alive = true;

    JobRec(int id, Msg.RegisterJob reg) {
      this.id = id;
      this.reg = reg;
    }
  }

  private static final class ActorRec {
    final Msg.ActorSpec spec;
    final ActorId id;
    ActorState state = PENDING;
    String address;
    String nodeId;
    int incarnation;
    int restartsLeft;
    String deathReason;
    final List<Waiter> waiters = new ArrayList<>();

    ActorRec(Msg.ActorSpec spec) {
      this.spec = spec;
      this.id = new ActorId(spec.actorHi(), spec.actorLo());
      this.restartsLeft = spec.maxRestarts();
    }
  }

  private final Map<String, NodeRec> nodes = new LinkedHashMap<>();
  private final Map<Integer, JobRec> jobs = new LinkedHashMap<>();
  private final Map<ActorId, ActorRec> actors = new LinkedHashMap<>();
  private final Map<String, ActorId> names = new HashMap<>();
  private final List<Waiter> jobsWaitingForNode = new ArrayList<>();

  /** Placement groups (issue 9 item 3): their table, placement and two-phase reservations. */
  final PlacementGroups groups = new PlacementGroups(loop, new GroupNodes());

  /** Actors that no live node could ever host: placed once one that can joins. */
  private final List<ActorRec> infeasibleActors = new ArrayList<>();

  private final dev.weft.internal.core.SchedulingPolicy policy =
      dev.weft.internal.core.SchedulingPolicy.fromSystemProperties();
  private int nextJobId = 1;

  /** How long changes to the view gather before they are published to the nodes. */
  static final long VIEW_PUBLISH_MILLIS = 100;

  /** The cluster view's version: one more at every change of a node's record. */
  private long viewVersion;

  private boolean publishScheduled;

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    loop.execute(() -> handle(c, reqId, msg));
  }

  @Override
  public void onClose(Connection c) {
    loop.execute(() -> closed(c));
  }

  private void handle(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.RegisterNode r -> {
        NodeRec rec = new NodeRec(r, c);
        nodes.put(r.nodeId(), rec);
        c.attach(r);
        log.info("node {} registered at {} with {}", r.nodeId(), r.address(), r.resources());
        c.reply(reqId, new Msg.Ack());
        viewChanged(rec);
        sendView(rec); // the full view, at once; the others hear of this node at the next tick
        for (Waiter w : jobsWaitingForNode) {
          w.conn.reply(w.reqId, new Msg.JobInfo(((JobRec) w.conn.attachment()).id, nodeInfos()));
        }
        jobsWaitingForNode.clear();
        placeInfeasibleActors();
      }
      case Msg.ReportResources r -> {
        NodeRec n = nodes.get(r.nodeId());
        if (n != null && n.conn == c) {
          n.placedSinceReport.clear();
          if (!n.available.equals(r.available())) {
            n.available = Map.copyOf(r.available());
            viewChanged(n);
          }
        }
      }
      case Msg.ReportInfeasible r -> {
        NodeRec n = nodes.get(r.nodeId());
        if (n != null && n.conn == c) {
          n.infeasible = List.copyOf(r.demands());
        }
      }
      case Msg.ResyncView r -> {
        NodeRec n = nodes.get(r.nodeId());
        if (n != null && n.conn == c && n.alive) {
          log.warn(
              "node {} has a gap in its cluster view after version {}: sending the full view",
              r.nodeId(),
              r.haveVersion());
          n.sentVersion = 0;
          sendView(n);
        }
      }
      case Msg.RegisterJob r -> {
        JobRec job = new JobRec(nextJobId++, r);
        jobs.put(job.id, job);
        c.attach(job);
        log.info("job {} ({}) registered by driver {}", job.id, r.jobName(), r.driverAddress());
        if (nodes.values().stream().anyMatch(n -> n.alive)) {
          c.reply(reqId, new Msg.JobInfo(job.id, nodeInfos()));
        } else {
          jobsWaitingForNode.add(new Waiter(c, reqId));
        }
      }
      case Msg.GetJob g -> {
        // a node got a demand of a job it does not know (see JobCatalog in weft-node)
        JobRec job = jobs.get(g.jobId());
        if (job == null || !job.alive) {
          c.replyFailure(
              reqId,
              "job "
                  + g.jobId()
                  + (job == null ? " is unknown to the control store" : " has ended")
                  + ": its driver is gone, so its tasks and actors cannot run any more");
        } else {
          c.reply(reqId, new Msg.JobDefinition(job.id, job.reg.driverAddress(), job.reg.code()));
        }
      }
      case Msg.CreateActor ca -> createActor(c, reqId, ca.spec());
      case Msg.CreatePlacementGroup m -> groups.create(c, reqId, m);
      case Msg.GetPlacementGroup m -> groups.get(c, reqId, m);
      case Msg.RemovePlacementGroup m -> groups.remove(c, reqId, m);
      case Msg.ListPlacementGroups m -> c.reply(reqId, groups.list());
      case Msg.GetActorInfo g -> {
        ActorRec a = actors.get(new ActorId(g.actorHi(), g.actorLo()));
        if (a == null) {
          c.replyFailure(
              reqId, "no actor " + new ActorId(g.actorHi(), g.actorLo()) + " in this cluster");
        } else if (!g.waitUntilSettled() || settled(a, g.staleAddress())) {
          c.reply(reqId, info(a));
        } else {
          Waiter w = new Waiter(c, reqId, g.staleAddress());
          a.waiters.add(w);
          loop.schedule(
              () -> {
                if (a.waiters.remove(w)) {
                  c.reply(reqId, info(a));
                }
              },
              Math.max(1, g.timeoutMillis()),
              TimeUnit.MILLISECONDS);
        }
      }
      case Msg.GetNamedActor g -> {
        ActorId id = names.get(g.name());
        ActorRec a = id == null ? null : actors.get(id);
        if (a == null || a.state == DEAD) {
          c.replyFailure(reqId, "no live actor named '" + g.name() + "'");
        } else {
          c.reply(reqId, info(a));
        }
      }
      case Msg.KillActor k -> {
        ActorRec a = actors.get(new ActorId(k.actorHi(), k.actorLo()));
        if (a == null) {
          c.replyFailure(
              reqId, "no actor " + new ActorId(k.actorHi(), k.actorLo()) + " in this cluster");
          return;
        }
        kill(a, "it was killed with ActorHandle.kill()");
        c.reply(reqId, new Msg.Ack());
      }
      case Msg.ActorProcessDied d -> {
        ActorRec a = actors.get(new ActorId(d.actorHi(), d.actorLo()));
        if (a != null) {
          processDied(a, d.reason());
        }
      }
      case Msg.ListOwners l -> {
        List<String> drivers = new ArrayList<>();
        for (JobRec j : jobs.values()) {
          if (j.alive) {
            drivers.add(j.reg.driverAddress());
          }
        }
        c.reply(reqId, new Msg.Owners(drivers));
      }
      case Msg.ClusterStatus s -> {
        List<String> js = new ArrayList<>();
        for (JobRec j : jobs.values()) {
          js.add(
              j.id
                  + " "
                  + j.reg.jobName()
                  + " driver="
                  + j.reg.driverAddress()
                  + (j.alive ? " RUNNING" : " FINISHED"));
        }
        List<Msg.ActorInfo> as = new ArrayList<>();
        for (ActorRec a : actors.values()) {
          as.add(info(a));
        }
        c.reply(reqId, new Msg.StatusReply(nodeInfos(), js, as, infeasibleDemands()));
      }
      default ->
          c.replyFailure(
              reqId, "the control store does not handle " + msg.getClass().getSimpleName());
    }
  }

  /** Every demand waiting for a node that can meet it: at live nodes, and actors here. */
  private List<Msg.PendingDemand> infeasibleDemands() {
    List<Msg.PendingDemand> out = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      if (n.alive) {
        out.addAll(n.infeasible);
      }
    }
    for (ActorRec a : infeasibleActors) {
      out.add(new Msg.PendingDemand("actor", a.spec.className(), a.spec.resources(), "control", 1));
    }
    return out;
  }

  private List<Msg.NodeInfo> nodeInfos() {
    List<Msg.NodeInfo> out = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      out.add(nodeInfo(n));
    }
    return out;
  }

  private Msg.NodeInfo nodeInfo(NodeRec n) {
    return new Msg.NodeInfo(
        n.reg.nodeId(), n.reg.address(), totalOf(n), n.alive, n.reg.pid(), n.available);
  }

  /** What a node offers in all: its own resources and its committed placement-group bundles. */
  private Map<String, Double> totalOf(NodeRec n) {
    Map<String, Double> bundles = groups.bundleTotals(n.reg.nodeId());
    if (bundles.isEmpty()) {
      return n.reg.resources();
    }
    Map<String, Double> all = new HashMap<>(n.reg.resources());
    all.putAll(bundles);
    return all;
  }

  /** The node table as {@link PlacementGroups} needs it. */
  private final class GroupNodes implements PlacementGroups.Nodes {
    @Override
    public List<BundlePlacement.NodeCapacity> alive() {
      List<BundlePlacement.NodeCapacity> out = new ArrayList<>();
      for (NodeRec n : nodes.values()) {
        if (n.alive) {
          out.add(new BundlePlacement.NodeCapacity(n.reg.nodeId(), n.available, n.reg.resources()));
        }
      }
      return out;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Msg> call(String nodeId, Msg msg) {
      NodeRec n = nodes.get(nodeId);
      if (n == null || !n.alive) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalStateException("node " + nodeId + " is gone"));
      }
      return n.conn.call(msg);
    }

    @Override
    public void reserved(String nodeId, Map<String, Double> r, int sign) {
      NodeRec n = nodes.get(nodeId);
      if (n != null && n.alive) {
        Map<String, Double> now = new HashMap<>(n.available);
        r.forEach((k, v) -> now.merge(k, sign * v, Double::sum));
        n.available = Map.copyOf(now);
        viewChanged(n);
      }
    }

    @Override
    public void bundlesChanged(String nodeId) {
      NodeRec n = nodes.get(nodeId);
      if (n != null && n.alive) {
        viewChanged(n);
      }
    }

    @Override
    public void groupRemoved(String groupId) {
      for (NodeRec n : nodes.values()) {
        if (n.alive) {
          n.conn.send(new Msg.PlacementGroupRemoved(groupId));
        }
      }
    }
  }

  // ------------------------------------------------------------------ the cluster view

  /** On the loop: {@code n} changed; every live node hears of it at the next publication. */
  private void viewChanged(NodeRec n) {
    n.changedAt = ++viewVersion;
    groups.viewChanged();
    if (!publishScheduled) {
      publishScheduled = true;
      loop.schedule(this::publishView, VIEW_PUBLISH_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void publishView() {
    publishScheduled = false;
    for (NodeRec to : nodes.values()) {
      if (to.alive && to.sentVersion < viewVersion) {
        sendView(to);
      }
    }
  }

  /** Sends {@code to} every record changed after the version it has (all of them from 0). */
  private void sendView(NodeRec to) {
    List<Msg.NodeInfo> changed = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      if (n.changedAt > to.sentVersion) {
        changed.add(nodeInfo(n));
      }
    }
    to.conn.send(new Msg.ViewDelta(to.sentVersion, viewVersion, changed));
    to.sentVersion = viewVersion;
  }

  private Msg.ActorInfo info(ActorRec a) {
    return new Msg.ActorInfo(
        a.id.hi(),
        a.id.lo(),
        a.spec.name(),
        a.spec.className(),
        a.state,
        a.address,
        a.incarnation,
        a.deathReason,
        a.spec.maxConcurrency(),
        a.spec.maxTaskRetries(),
        a.spec.ownerAddress());
  }

  private void createActor(Connection c, long reqId, Msg.ActorSpec spec) {
    if (spec.name() != null) {
      ActorId existing = names.get(spec.name());
      if (existing != null && actors.get(existing).state != DEAD) {
        c.replyFailure(
            reqId,
            "an actor named '"
                + spec.name()
                + "' already exists ("
                + existing
                + "): pick another name, or find it with Weft.getActor(\""
                + spec.name()
                + "\")");
        return;
      }
    }
    ActorRec a = new ActorRec(spec);
    actors.put(a.id, a);
    if (spec.name() != null) {
      names.put(spec.name(), a.id);
    }
    c.reply(reqId, info(a));
    place(a, c);
  }

  private void place(ActorRec a) {
    place(a, null);
  }

  /**
   * Places an actor from the cluster view (see {@link dev.weft.internal.core.SchedulingPolicy}):
   * DEFAULT prefers its creator's node while that has room, else the least utilized node with room
   * by available resources (less what actors placed since its last report take); with no room
   * anywhere, the best node that could ever fit it (it queues in that node's line until resources
   * free). An actor no live node could ever host waits here ({@link #infeasibleActors}), its
   * creator warned ({@code creator}: DemandInfeasible), until a node that can registers.
   */
  private void place(ActorRec a, Connection creator) {
    String removedGroup = groups.removedError(a.spec.resources(), "actor");
    if (removedGroup != null) {
      settle(a, DEAD, null, removedGroup);
      return;
    }
    List<dev.weft.internal.core.SchedulingPolicy.Candidate> view = new ArrayList<>();
    Map<String, NodeRec> byId = new HashMap<>();
    for (NodeRec n : nodes.values()) {
      Map<String, Double> avail = new HashMap<>(n.available);
      n.placedSinceReport.forEach((k, v) -> avail.merge(k, -v, Double::sum));
      view.add(
          new dev.weft.internal.core.SchedulingPolicy.Candidate(
              n.reg.nodeId(), n.reg.address(), n.alive, totalOf(n), avail));
      byId.put(n.reg.nodeId(), n);
    }
    Msg.Scheduling scheduling =
        a.spec.scheduling() == null ? Msg.Scheduling.DEFAULT : a.spec.scheduling();
    var decision =
        policy.decide(view, a.spec.creatorNodeId(), a.spec.resources(), scheduling, false);
    NodeRec target;
    switch (decision) {
      case dev.weft.internal.core.SchedulingPolicy.Decision.Place p -> {
        target = byId.get(p.node().nodeId());
      }
      case dev.weft.internal.core.SchedulingPolicy.Decision.Fail f -> {
        settle(a, DEAD, null, f.message());
        return;
      }
      case dev.weft.internal.core.SchedulingPolicy.Decision.Infeasible inf -> {
        if (groups.parkIfPending(
            a.spec.resources(),
            () -> {
              if (a.state != DEAD) {
                place(a);
              }
            })) {
          return; // into a bundle of a group not placed yet: placed once it is
        }
        if (!infeasibleActors.contains(a)) {
          infeasibleActors.add(a);
          log.warn("actor {} ({}) waits: {}", a.id, a.spec.className(), inf.message());
          if (creator != null && creator.isOpen()) {
            creator.send(
                new Msg.DemandInfeasible(
                    "actor " + a.spec.className(), a.spec.resources(), inf.message()));
          }
        }
        return;
      }
    }
    infeasibleActors.remove(a);
    a.spec.resources().forEach((k, v) -> target.placedSinceReport.merge(k, v, Double::sum));
    NodeRec node = target;
    int incarnation = a.incarnation;
    // known from now on, so that a kill while it is placed reaches the node that hosts it
    a.nodeId = node.reg.nodeId();
    node.conn
        .call(new Msg.HostActor(a.spec, incarnation))
        .whenComplete(
            (reply, err) ->
                loop.execute(
                    () -> {
                      if (a.state == DEAD || a.incarnation != incarnation) {
                        if (a.state == DEAD && reply instanceof Msg.ActorInfo && node.alive) {
                          // killed while it started: a dead actor runs nowhere (the node stops
                          // it on the StopActor sent at the kill; this one covers a node that
                          // answered before it saw that)
                          node.conn.send(
                              new Msg.StopActor(
                                  a.id.hi(),
                                  a.id.lo(),
                                  "actor " + a.id + " is dead: " + a.deathReason));
                        }
                        return; // killed or restarted meanwhile
                      }
                      if (reply instanceof Msg.ActorInfo info) {
                        settle(a, ALIVE, info.address(), null);
                      } else {
                        String why =
                            reply instanceof Msg.Failure f
                                ? f.text()
                                : err != null ? err.toString() : String.valueOf(reply);
                        settle(a, DEAD, null, why);
                      }
                    }));
  }

  /** A node joined: the actors that waited for one that can host them are placed if one can. */
  private void placeInfeasibleActors() {
    for (ActorRec a : new ArrayList<>(infeasibleActors)) {
      if (a.state == DEAD) {
        infeasibleActors.remove(a);
      } else {
        place(a);
      }
    }
  }

  private void settle(ActorRec a, ActorState state, String address, String deathReason) {
    if (state == DEAD) {
      infeasibleActors.remove(a);
    }
    a.state = state;
    a.address = address;
    if (deathReason != null) {
      a.deathReason = deathReason;
      log.info("actor {} ({}) is dead: {}", a.id, a.spec.className(), deathReason);
    }
    Msg.ActorInfo info = info(a);
    a.waiters.removeIf(
        w -> {
          if (!settled(a, w.staleAddress())) {
            return false;
          }
          w.conn.reply(w.reqId, info);
          return true;
        });
  }

  private void kill(ActorRec a, String reason) {
    if (a.state == DEAD) {
      return;
    }
    NodeRec n = a.nodeId == null ? null : nodes.get(a.nodeId);
    if (n != null && n.alive) {
      n.conn.send(new Msg.StopActor(a.id.hi(), a.id.lo(), "actor " + a.id + " is dead: " + reason));
    }
    settle(a, DEAD, null, reason);
  }

  private void processDied(ActorRec a, String reason) {
    if (a.state == DEAD) {
      return;
    }
    if (a.restartsLeft != 0) {
      if (a.restartsLeft > 0) {
        a.restartsLeft--;
      }
      a.incarnation++;
      a.state = RESTARTING;
      a.address = null;
      log.info(
          "actor {} lost its process ({}); restarting (incarnation {})",
          a.id,
          reason,
          a.incarnation);
      place(a);
    } else {
      settle(
          a,
          DEAD,
          null,
          "its worker process died ("
              + reason
              + ") and it has no restarts left (maxRestarts="
              + a.spec.maxRestarts()
              + ")");
    }
  }

  private void closed(Connection c) {
    Object att = c.attachment();
    if (att instanceof Msg.RegisterNode r) {
      NodeRec n = nodes.get(r.nodeId());
      if (n != null && n.conn == c) {
        n.alive = false;
        log.warn("node {} at {} is gone", r.nodeId(), r.address());
        viewChanged(n);
        groups.nodeDied(r.nodeId());
        for (ActorRec a : new ArrayList<>(actors.values())) {
          if (r.nodeId().equals(a.nodeId) && a.state != DEAD) {
            processDied(a, "its node " + r.nodeId() + " is gone");
          }
        }
      }
    } else if (att instanceof JobRec job) {
      job.alive = false;
      log.info("job {} ended (driver {} disconnected)", job.id, job.reg.driverAddress());
      groups.jobEnded(job.id);
      for (NodeRec n : nodes.values()) {
        if (n.alive) {
          n.conn.send(new Msg.JobEnded(job.id)); // nodes that know the job forget it
        }
      }
      for (ActorRec a : new ArrayList<>(actors.values())) {
        if (a.spec.jobId() == job.id && !a.spec.detached() && a.state != DEAD) {
          kill(
              a,
              "the job that created it (job "
                  + job.id
                  + ") ended; create it with .detached() to outlive its job");
        }
      }
    }
  }
}
