package dev.weft.internal.control;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *  CW → CS  PutDetached, GetObject, AddObjectLocation, DetachedBorrower: ObjectTable (the objects
 *           this control store owns); NM → CS OwnerGone also drops that process's borrows
 *  CW → CS  KvPut, KvGet, KvDelete, KvKeys: KvTable (Weft.kv())
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
 * <p>Storage and restarts (issue 11, item 6). Every table row (job, node, actor, placement group)
 * is written to a {@link ControlStorage} ({@link StoredTables}) before the reply that reveals the
 * change. A control store that dies is started again by the head's node manager (ControlSupervisor,
 * in weft-node), on the same port and storage, and recovers:
 *
 * <pre>
 *  start: storage.load() → nodes that were alive: alive in the view, unconnected; dead ones stay
 *         dead (fenced); jobs that ran: running, waiting for their driver; actors as they were;
 *         groups with their committed bundles
 *  NM → CS  RegisterNode(same id) → Ack: the node's record gets its new connection (and a full
 *           view); its actors that were being placed are hosted there again (ActorTable), and
 *           bundles an attempt had only prepared there are cancelled (PlacementGroups)
 *           → Failure for a node the storage lists dead: it exits
 *  CW → CS  ResumeJob(job id, registration) → JobInfo: the job's driver is back
 *  CS: a recovered node not back within recoveryGraceMillis is declared dead (its actors restart
 *      elsewhere); a job whose driver is not back within that plus JOB_RESUME_EXTRA_MILLIS ends
 * </pre>
 *
 * What is waited for (GetActorInfo long polls, jobs waiting for a first node) lives only in memory:
 * the callers' connections close with the process, and they ask again on the new one (ControlLink,
 * in weft-core, resends their requests, which are idempotent).
 */
final class ControlStore implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(ControlStore.class);

  final ScheduledExecutorService loop =
      dev.weft.internal.rpc.EventLoops.newLoop("weft-control", log);

  private static final class JobRec {
    final int id;
    final Msg.RegisterJob reg;
    boolean alive = true;

    /** Recovered from storage and not resumed by its driver yet (ResumeJob). */
    boolean awaitingDriver;

    /** The driver's connection (null while it is away), where its workers' output goes. */
    Connection driver;

    /** Whether the driver wants its workers' output (JobLogsToDriver); in memory only. */
    boolean logsToDriver = true;

    /**
     * Lines not forwarded because the driver's connection was backed up, told in the next batch.
     */
    long droppedForDriver;

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

  /** The objects this control store owns (Weft.putDetached: issue 11 item 9). */
  private final ObjectTable objects = new ObjectTable(loop, nodes);

  /** For tests: the key-value table. */
  KvTable kv() {
    return kv;
  }

  /** For tests: the table of the objects this control store owns. */
  ObjectTable objects() {
    return objects;
  }

  /** The cluster's key-value table (Weft.kv()). */
  private final KvTable kv = new KvTable();

  /** Where this control store serves its metrics (null: nowhere); set once at start. */
  volatile String metricsUrl;

  /** The nodes (metrics; on the loop). */
  List<Msg.NodeInfo> nodeInfos() {
    return nodes.nodeInfos();
  }

  /** The actors (metrics; on the loop). */
  List<Msg.ActorInfo> actorInfos() {
    return actors.infos();
  }

  /** Jobs by state, RUNNING and FINISHED (metrics; on the loop). */
  Map<String, Integer> jobCounts() {
    Map<String, Integer> out = new java.util.TreeMap<>(Map.of("RUNNING", 0, "FINISHED", 0));
    for (JobRec j : jobs.values()) {
      out.merge(j.alive ? "RUNNING" : "FINISHED", 1, Integer::sum);
    }
    return out;
  }

  /** What jobs' tasks and actors printed lately (weft logs --job). */
  private final JobOutput output = new JobOutput();

  private final Map<Integer, JobRec> jobs = new LinkedHashMap<>();
  private final List<ActorTable.Waiter> jobsWaitingForNode = new ArrayList<>();
  private int nextJobId = 1;

  private final StoredTables stored;

  /**
   * How long a node recovered from storage has to register again before it is declared dead: the
   * node timeout, but at least {@link #MIN_RECOVERY_GRACE_MILLIS}, since the nodes first have to
   * notice the old control store is gone and then find the new one (their reconnect back-off).
   */
  volatile long recoveryGraceMillis;

  static final long MIN_RECOVERY_GRACE_MILLIS = 15_000;

  /** When this control store started (System.nanoTime): recovered nodes are silent since. */
  private final long startedNanos = System.nanoTime();

  ControlStore() {
    this(DEFAULT_NODE_TIMEOUT_MILLIS);
  }

  /** A control store that declares a node dead after {@code nodeTimeoutMillis} of silence. */
  ControlStore(long nodeTimeoutMillis) {
    this(nodeTimeoutMillis, new ControlStorage.Memory());
  }

  /**
   * As above, keeping its tables in {@code storage} and recovering what it holds (see {@link
   * #recover}).
   */
  ControlStore(long nodeTimeoutMillis, ControlStorage storage) {
    if (nodeTimeoutMillis < 500) {
      throw new IllegalArgumentException(
          "the node timeout must be at least 500 ms (nodes heartbeat every ~500 ms), not "
              + nodeTimeoutMillis
              + " ms");
    }
    this.nodeTimeoutMillis = nodeTimeoutMillis;
    this.recoveryGraceMillis = Math.max(nodeTimeoutMillis, MIN_RECOVERY_GRACE_MILLIS);
    this.checkMillis = Math.max(50, Math.min(500, nodeTimeoutMillis / 8));
    nodes.useGroups(groups);
    this.stored = new StoredTables(storage);
    try {
      loop.submit(this::recover).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recovering the control store's tables");
    } catch (java.util.concurrent.ExecutionException e) {
      loop.shutdownNow();
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    }
    nodes.useStorage(stored);
    actors.useStorage(stored);
    groups.useStorage(stored);
    objects.useStorage(stored);
    kv.useStorage(stored);
    lastCheckNanos = System.nanoTime(); // the recovery above is not a late check
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            checkHeartbeats();
          } catch (RuntimeException e) {
            // a failed check must not end the checks: no node would ever be declared dead again
            log.error("the heartbeat check failed", e);
          }
        },
        checkMillis,
        checkMillis,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * On the loop, before anything else: the tables as the storage kept them. Nodes that were alive
   * are alive but unconnected until they register again, and declared dead if they do not within
   * the node timeout; jobs that were running wait as long, plus {@link #JOB_RESUME_EXTRA_MILLIS},
   * for their driver (ResumeJob) and end if it does not come.
   */
  private void recover() {
    Map<String, List<Msg>> all = stored.load();
    int aliveNodes = 0;
    int runningJobs = 0;
    for (Msg m : all.getOrDefault(StoredTables.META, List.of())) {
      if (m instanceof Msg.StoredCounter c) {
        nextJobId = (int) Math.max(nextJobId, c.value());
      }
    }
    for (Msg m : all.getOrDefault(StoredTables.NODES, List.of())) {
      Msg.StoredNode n = (Msg.StoredNode) m;
      nodes.recover(n);
      aliveNodes += n.alive() ? 1 : 0;
    }
    List<Msg.StoredJob> storedJobs = new ArrayList<>();
    for (Msg m : all.getOrDefault(StoredTables.JOBS, List.of())) {
      storedJobs.add((Msg.StoredJob) m);
    }
    storedJobs.sort(java.util.Comparator.comparingInt(Msg.StoredJob::jobId));
    for (Msg.StoredJob j : storedJobs) {
      JobRec job = new JobRec(j.jobId(), j.registration());
      job.alive = j.alive();
      job.awaitingDriver = j.alive();
      jobs.put(job.id, job);
      nextJobId = Math.max(nextJobId, job.id + 1);
      runningJobs += j.alive() ? 1 : 0;
    }
    for (Msg m : all.getOrDefault(StoredTables.GROUPS, List.of())) {
      groups.recover((Msg.StoredGroup) m);
    }
    List<Msg.StoredRemovedGroup> removedGroups = new ArrayList<>();
    for (Msg m : all.getOrDefault(PlacementGroups.REMOVED_TABLE, List.of())) {
      removedGroups.add((Msg.StoredRemovedGroup) m);
    }
    groups.recoverRemoved(removedGroups);
    for (Msg m : all.getOrDefault(StoredTables.ACTORS, List.of())) {
      actors.recover((Msg.StoredActor) m);
    }
    for (Msg m : all.getOrDefault(ObjectTable.TABLE, List.of())) {
      objects.recover((Msg.StoredObject) m);
    }
    for (Msg m : all.getOrDefault(KvTable.TABLE, List.of())) {
      kv.recover((Msg.StoredKv) m);
    }
    int[] actorCounts = actors.counts();
    if (all.values().stream().anyMatch(l -> !l.isEmpty())) {
      log.info(
          "recovered from {}: {} nodes ({} alive, waiting {} ms for them to register again), {}"
              + " jobs ({} running, waiting for their drivers), {} actors ({} not dead), {}"
              + " placement groups, {} objects it owns, {} keys",
          stored.describe(),
          nodes.all().size(),
          aliveNodes,
          recoveryGraceMillis,
          jobs.size(),
          runningJobs,
          actorCounts[0],
          actorCounts[1],
          groups.size(),
          objects.size(),
          kv.size());
      if (runningJobs > 0) {
        loop.schedule(
            this::endJobsNotResumed,
            recoveryGraceMillis + JOB_RESUME_EXTRA_MILLIS,
            java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } else {
      log.info("storage {} is empty: a new cluster", stored.describe());
    }
  }

  /** How much longer than a node a recovered job's driver gets to come back. */
  static final long JOB_RESUME_EXTRA_MILLIS = 20_000;

  private void endJobsNotResumed() {
    for (JobRec job : List.copyOf(jobs.values())) {
      if (job.alive && job.awaitingDriver) {
        endJob(
            job,
            "its driver "
                + job.reg.driverAddress()
                + " did not come back after the control store restarted");
      }
    }
  }

  private void storeJob(JobRec job) {
    stored.put(
        StoredTables.JOBS, Integer.toString(job.id), new Msg.StoredJob(job.id, job.reg, job.alive));
  }

  private void endJob(JobRec job, String why) {
    job.alive = false;
    job.awaitingDriver = false;
    storeJob(job);
    log.info("job {} ended ({})", job.id, why);
    groups.jobEnded(job.id);
    nodes.sendToAlive(new Msg.JobEnded(job.id)); // nodes that know the job forget it
    actors.jobEnded(job.id);
  }

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    lastHeard.put(c, System.nanoTime());
    if (msg instanceof Msg.NodeHeartbeat) {
      return; // only the time it came counts
    }
    loop.execute(
        () ->
            dev.weft.internal.rpc.EventLoops.handle(
                log, "the control store", c, reqId, msg, () -> handle(c, reqId, msg)));
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
        if (n.conn != null) {
          lastHeard.put(n.conn, now);
        }
      }
      return;
    }
    for (NodeTable.NodeRec n : List.copyOf(nodes.all())) {
      if (!n.alive) {
        continue;
      }
      Long heard = n.conn == null ? Long.valueOf(startedNanos) : lastHeard.get(n.conn);
      long silentMillis = heard == null ? 0 : (now - heard) / 1_000_000;
      if (silentMillis > (n.conn == null ? recoveryGraceMillis : nodeTimeoutMillis)) {
        log.warn(
            "node {} at {} (pid {}) sent nothing for {} ms (node timeout {} ms): declaring it"
                + " dead",
            n.reg.nodeId(),
            n.reg.address(),
            n.reg.pid(),
            silentMillis,
            nodeTimeoutMillis);
        nodeGone(n.reg, n.conn);
        if (n.conn != null) {
          n.conn.close(); // if it comes back, it finds itself cut off and exits
        }
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
        NodeTable.NodeRec known = nodes.get(r.nodeId());
        if (known != null && !known.alive) {
          // fencing: a node declared dead never serves again under its old registration
          c.replyFailure(
              reqId,
              "node "
                  + r.nodeId()
                  + " was declared dead by the control store (its tasks were retried and its"
                  + " actors restarted elsewhere): it may not register again; start a new node");
          return;
        }
        if (known != null && known.conn != null && known.conn.isOpen()) {
          c.replyFailure(
              reqId, "node " + r.nodeId() + " is registered already, on another connection");
          return;
        }
        boolean returned = known != null; // recovered from storage, registering again
        c.attach(r);
        log.info(
            "node {} {} at {} with {}",
            r.nodeId(),
            returned ? "registered again" : "registered",
            r.address(),
            r.resources());
        nodes.register(r, c);
        c.reply(reqId, new Msg.Ack());
        if (returned) {
          groups.nodeReturned(r.nodeId());
          actors.nodeReturned(r.nodeId());
        }
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
      case Msg.OwnerGone g -> {
        nodes.sendToAliveExcept(g, c); // their copies of its objects go
        objects.processGone(g.address()); // it borrows nothing any more
      }
      case Msg.PutDetached p -> objects.put(c, reqId, p);
      case Msg.GetObject g -> objects.get(c, reqId, g);
      case Msg.AddObjectLocation a -> {
        objects.addLocation(a);
        if (reqId != 0) {
          c.reply(reqId, new Msg.Ack());
        }
      }
      case Msg.DetachedBorrower b -> objects.borrower(c, reqId, b);
      case Msg.NodeInventory inv -> objects.inventory(inv);
      case Msg.KvPut p -> kv.put(c, reqId, p);
      case Msg.KvGet g -> kv.get(c, reqId, g);
      case Msg.KvDelete d -> kv.delete(c, reqId, d);
      case Msg.KvKeys k -> kv.keys(c, reqId, k);
      case Msg.ReportInfeasible r -> nodes.reportInfeasible(r, c);
      case Msg.ResyncView r -> nodes.resync(r, c);
      case Msg.RegisterJob r -> {
        JobRec job = new JobRec(nextJobId++, r);
        job.driver = c;
        jobs.put(job.id, job);
        stored.put(StoredTables.META, "nextJobId", new Msg.StoredCounter(nextJobId));
        storeJob(job);
        c.attach(job);
        log.info("job {} ({}) registered by driver {}", job.id, r.jobName(), r.driverAddress());
        if (nodes.anyAlive()) {
          c.reply(reqId, new Msg.JobInfo(job.id, nodes.nodeInfos()));
        } else {
          jobsWaitingForNode.add(new ActorTable.Waiter(c, reqId));
        }
      }
      case Msg.ResumeJob r -> {
        JobRec job = jobs.get(r.jobId());
        if (job == null || !job.alive || !job.awaitingDriver) {
          c.replyFailure(
              reqId,
              "job "
                  + r.jobId()
                  + (job == null
                      ? " is unknown to this control store (did it start on other storage?)"
                      : !job.alive
                          ? " has ended (its driver disconnected, or did not come back in time"
                              + " after the control store restarted)"
                          : " is running with a driver connected already"));
          return;
        }
        job.awaitingDriver = false;
        job.driver = c;
        c.attach(job);
        log.info(
            "job {} ({}) resumed by driver {}",
            job.id,
            job.reg.jobName(),
            r.registration().driverAddress());
        c.reply(reqId, new Msg.JobInfo(job.id, nodes.nodeInfos()));
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
      case Msg.WorkerLogs w -> {
        workerLogs(w);
        if (reqId != 0) {
          c.reply(reqId, new Msg.Ack()); // a worker about to reply to a task waits for this
        }
      }
      case Msg.JobLogsToDriver t -> {
        JobRec job = jobs.get(t.jobId());
        if (job != null && job.driver == c) {
          job.logsToDriver = t.on();
        }
      }
      case Msg.GetJobLogs g -> {
        JobRec job = jobs.get(g.jobId());
        if (job == null) {
          c.replyFailure(
              reqId,
              "job "
                  + g.jobId()
                  + " is unknown to the control store; `weft status` lists the jobs there are");
        } else {
          c.reply(reqId, output.read(g.jobId(), g.fromSeq(), job.alive));
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
                nodes.nodeInfos(),
                js,
                actors.infos(),
                infeasible,
                ProcessHandle.current().pid(),
                metricsUrl,
                nodes.dashboardUrl()));
      }
      default ->
          c.replyFailure(
              reqId, "the control store does not handle " + msg.getClass().getSimpleName());
    }
  }

  /** Keeps a worker's lines for the job and sends them on to its driver (if it wants them). */
  private void workerLogs(Msg.WorkerLogs w) {
    JobRec job = jobs.get(w.jobId());
    if (job == null) {
      return;
    }
    output.add(w);
    Connection d = job.driver;
    if (!job.alive || !job.logsToDriver || d == null || !d.isOpen()) {
      return;
    }
    if (!d.isWritable()) {
      job.droppedForDriver += w.lines().size() + w.dropped();
      return; // the driver reads slower than its workers print: never buffer without bound
    }
    if (job.droppedForDriver > 0) {
      w =
          new Msg.WorkerLogs(
              w.jobId(), w.nodeId(), w.pid(), w.lines(), w.dropped() + job.droppedForDriver);
      job.droppedForDriver = 0;
    }
    d.send(w);
  }

  private void closed(Connection c) {
    lastHeard.remove(c);
    Object att = c.attachment();
    if (att instanceof Msg.RegisterNode r) {
      nodeGone(r, c);
    } else if (att instanceof JobRec job) {
      if (job.driver == c) {
        job.driver = null;
      }
      if (job.alive) {
        endJob(job, "driver " + job.reg.driverAddress() + " disconnected");
      }
    }
  }

  /** Node {@code r} on {@code c} is gone (its connection closed, or it fell silent). */
  private void nodeGone(Msg.RegisterNode r, Connection c) {
    if (nodes.closed(r, c)) {
      groups.nodeDied(r.nodeId());
      actors.nodeDied(r.nodeId());
      objects.nodeDied(r.nodeId());
    }
  }
}
