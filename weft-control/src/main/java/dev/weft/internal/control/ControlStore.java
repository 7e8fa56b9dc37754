package dev.weft.internal.control;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store: cluster metadata only (nodes, jobs, actors and their names, placement groups),
 * never on the data path of a task. This class is the dispatcher and keeps the jobs; the nodes and
 * the cluster view they are sent are {@link NodeTable}'s, the actors {@link ActorTable}'s, the
 * placement groups {@link PlacementGroups}'.
 *
 * <h2>Implementation notes</h2>
 *
 * Every message is handled on one thread, {@link #loop}: the tables are plain maps owned by it, so
 * there are no locks. Replies that must wait (a job waiting for its first node, a caller waiting
 * for an actor to settle) are parked as waiters and answered from the loop.
 *
 * <pre>
 *  NM → CS  RegisterNode → Ack, then ViewDelta (see NodeTable); jobs waiting for a first node get
 *           their JobInfo; actors waiting for a node that can host them are placed
 *  NM → CS  ReportResources, ReportInfeasible, ResyncView: NodeTable
 *  CW → CS  RegisterJob(code) → JobInfo(job id, nodes), once a node is alive
 *  NM → CS  GetJob → JobDefinition (a node got a demand of a job it does not know)
 *  CW → CS  CreateActor, GetActorInfo, GetNamedActor, KillActor; NM → CS ActorProcessDied:
 *           ActorTable
 *  CW → CS  Create/Get/Remove/ListPlacementGroups: PlacementGroups
 *  any → CS ListOwners → Owners (the live drivers); ClusterStatus → StatusReply
 * </pre>
 *
 * Liveness: a node or a driver whose connection closes is dead; its actors are restarted elsewhere
 * or marked dead (with the reason), and a job's non-detached actors die with it. A node process
 * that dies closes its connection at once. A node that stops answering without closing it (a
 * stopped process, a machine cut off) is noticed by heartbeats:
 *
 * <pre>
 *  NM → CS  NodeHeartbeat (one-way, from the node's loop every ~500 ms; any message counts)
 *  CS: the time each node connection was last heard from is kept off the loop (on the connection's
 *      event loop, so a busy control-store loop does not make nodes look silent); a check on the
 *      loop every {@link #checkMillis} declares a node silent for longer than the node timeout
 *      dead: the same as its connection closing (view marks it dead, actors restarted, placement
 *      groups rescheduled), and then closes its connection. A node that comes back finds its
 *      connection closed and exits: it never serves again under its old registration.
 *  A check that itself ran late by more than half the timeout (this process was stopped or
 *  starved) forgives every node once instead of declaring them all dead.
 * </pre>
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

  private static final class JobRec {
    final int id;
    final Msg.RegisterJob reg;
    boolean alive = true;

    JobRec(int id, Msg.RegisterJob reg) {
      this.id = id;
      this.reg = reg;
    }
  }

  private final NodeTable nodes = new NodeTable(loop);

  /** The default of {@code --node-timeout-ms}: a node silent this long is declared dead. */
  static final long DEFAULT_NODE_TIMEOUT_MILLIS = 10_000;

  private final long nodeTimeoutMillis;
  private final long checkMillis;

  /** When each connection last brought a message (System.nanoTime), set on its event loop. */
  private final Map<Connection, Long> lastHeard = new java.util.concurrent.ConcurrentHashMap<>();

  private long lastCheckNanos = System.nanoTime();

  /** Placement groups (issue 9 item 3): their table, placement and two-phase reservations. */
  final PlacementGroups groups = new PlacementGroups(loop, nodes);

  private final ActorTable actors = new ActorTable(loop, nodes, groups);
  private final Map<Integer, JobRec> jobs = new LinkedHashMap<>();
  private final List<ActorTable.Waiter> jobsWaitingForNode = new ArrayList<>();
  private int nextJobId = 1;

  ControlStore() {
    this(DEFAULT_NODE_TIMEOUT_MILLIS);
  }

  /** A control store that declares a node dead after {@code nodeTimeoutMillis} of silence. */
  ControlStore(long nodeTimeoutMillis) {
    if (nodeTimeoutMillis < 500) {
      throw new IllegalArgumentException(
          "the node timeout must be at least 500 ms (nodes heartbeat every ~500 ms), not "
              + nodeTimeoutMillis
              + " ms");
    }
    this.nodeTimeoutMillis = nodeTimeoutMillis;
    this.checkMillis = Math.max(50, Math.min(500, nodeTimeoutMillis / 8));
    nodes.useGroups(groups);
    loop.scheduleWithFixedDelay(
        this::checkHeartbeats,
        checkMillis,
        checkMillis,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    lastHeard.put(c, System.nanoTime());
    if (msg instanceof Msg.NodeHeartbeat) {
      return; // only the time it came counts
    }
    loop.execute(() -> handle(c, reqId, msg));
  }

  /** On the loop: declares dead every live node silent for longer than the node timeout. */
  private void checkHeartbeats() {
    long now = System.nanoTime();
    long late = (now - lastCheckNanos) / 1_000_000 - checkMillis;
    lastCheckNanos = now;
    if (late > nodeTimeoutMillis / 2) {
      log.warn(
          "the control store's heartbeat check ran {} ms late (this process was stopped or"
              + " starved): every node gets another {} ms before it is declared dead",
          late,
          nodeTimeoutMillis);
      for (NodeTable.NodeRec n : nodes.all()) {
        lastHeard.put(n.conn, now);
      }
      return;
    }
    for (NodeTable.NodeRec n : List.copyOf(nodes.all())) {
      if (!n.alive) {
        continue;
      }
      Long heard = lastHeard.get(n.conn);
      long silentMillis = heard == null ? 0 : (now - heard) / 1_000_000;
      if (silentMillis > nodeTimeoutMillis) {
        log.warn(
            "node {} at {} (pid {}) sent nothing for {} ms (node timeout {} ms): declaring it"
                + " dead",
            n.reg.nodeId(),
            n.reg.address(),
            n.reg.pid(),
            silentMillis,
            nodeTimeoutMillis);
        nodeGone(n.reg, n.conn);
        n.conn.close(); // if it comes back, it finds itself cut off and exits
      }
    }
  }

  @Override
  public void onClose(Connection c) {
    loop.execute(() -> closed(c));
  }

  private void handle(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.RegisterNode r -> {
        c.attach(r);
        log.info("node {} registered at {} with {}", r.nodeId(), r.address(), r.resources());
        c.reply(reqId, new Msg.Ack());
        nodes.register(r, c);
        for (ActorTable.Waiter w : jobsWaitingForNode) {
          w.conn()
              .reply(
                  w.reqId(),
                  new Msg.JobInfo(((JobRec) w.conn().attachment()).id, nodes.nodeInfos()));
        }
        jobsWaitingForNode.clear();
        actors.placeInfeasible();
      }
      case Msg.Ping p -> c.reply(reqId, new Msg.Ack());
      case Msg.ReportResources r -> nodes.report(r, c);
      case Msg.OwnerGone g -> nodes.sendToAliveExcept(g, c); // their copies of its objects go
      case Msg.ReportInfeasible r -> nodes.reportInfeasible(r, c);
      case Msg.ResyncView r -> nodes.resync(r, c);
      case Msg.RegisterJob r -> {
        JobRec job = new JobRec(nextJobId++, r);
        jobs.put(job.id, job);
        c.attach(job);
        log.info("job {} ({}) registered by driver {}", job.id, r.jobName(), r.driverAddress());
        if (nodes.anyAlive()) {
          c.reply(reqId, new Msg.JobInfo(job.id, nodes.nodeInfos()));
        } else {
          jobsWaitingForNode.add(new ActorTable.Waiter(c, reqId));
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
      case Msg.CreateActor ca -> actors.create(c, reqId, ca.spec());
      case Msg.CreatePlacementGroup m -> groups.create(c, reqId, m);
      case Msg.GetPlacementGroup m -> groups.get(c, reqId, m);
      case Msg.RemovePlacementGroup m -> groups.remove(c, reqId, m);
      case Msg.ListPlacementGroups m -> c.reply(reqId, groups.list());
      case Msg.GetActorInfo g -> actors.getInfo(c, reqId, g);
      case Msg.GetNamedActor g -> actors.getNamed(c, reqId, g);
      case Msg.KillActor k -> actors.kill(c, reqId, k);
      case Msg.ActorProcessDied d -> actors.processDied(d);
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
        List<Msg.PendingDemand> infeasible = new ArrayList<>(nodes.infeasibleAtNodes());
        infeasible.addAll(actors.infeasible());
        c.reply(
            reqId,
            new Msg.StatusReply(
                nodes.nodeInfos(), js, actors.infos(), infeasible, ProcessHandle.current().pid()));
      }
      default ->
          c.replyFailure(
              reqId, "the control store does not handle " + msg.getClass().getSimpleName());
    }
  }

  private void closed(Connection c) {
    lastHeard.remove(c);
    Object att = c.attachment();
    if (att instanceof Msg.RegisterNode r) {
      nodeGone(r, c);
    } else if (att instanceof JobRec job) {
      job.alive = false;
      log.info("job {} ended (driver {} disconnected)", job.id, job.reg.driverAddress());
      groups.jobEnded(job.id);
      nodes.sendToAlive(new Msg.JobEnded(job.id)); // nodes that know the job forget it
      actors.jobEnded(job.id);
    }
  }

  /** Node {@code r} on {@code c} is gone (its connection closed, or it fell silent). */
  private void nodeGone(Msg.RegisterNode r, Connection c) {
    if (nodes.closed(r, c)) {
      groups.nodeDied(r.nodeId());
      actors.nodeDied(r.nodeId());
    }
  }
}
