package dev.weft.internal.node;

import static dev.weft.internal.node.NodeResources.add;
import static dev.weft.internal.node.NodeResources.cpuOnly;
import static dev.weft.internal.node.NodeResources.gpusOf;

import dev.weft.ActorId;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node manager: this machine's resources, the worker leases granted against them, and the pool
 * of worker JVMs (started per job class path, reused, kept warm).
 *
 * <p>Implementation notes. All state is owned by the single thread {@link #loop}; Netty handlers
 * and process-exit callbacks only post work to it. A lease is one worker plus the resources of the
 * request; resources are taken when the lease is granted and given back when it is returned or its
 * worker dies. A worker that blocks in {@code get} hands its CPU back until it unblocks (the node
 * may then run more CPU work than it has CPUs, briefly, as the design accepts). Requests that
 * cannot be served now wait in FIFO order; a request that no node could ever serve is refused at
 * once. A lease records the connection that holds it: when that closes, the lease is revoked (the
 * worker finishes the task it runs, keeping the resources until then, and goes back to idle).
 *
 * <p>Actors: by default every actor of a job lives in that job's shared actor-host worker (many
 * actors per JVM); {@code dedicatedProcess} actors, and actors with GPUs, get a worker of their
 * own. An actor's resources are taken in the same FIFO line as leases (an actor that does not fit
 * waits; nothing oversubscribes) and given back on every way out: start failed, stopped (in any
 * phase: queued, starting, running), or its worker exited. When a worker dies its actors are
 * reported to the control store, which restarts or buries them.
 *
 * <p>GPUs: whole GPUs only, by id. A worker JVM is started for a set of GPU ids with {@code
 * CUDA_VISIBLE_DEVICES} set, and only leased for exactly those ids (a CUDA runtime reads the
 * variable once, so a reused JVM cannot switch GPUs).
 */
final class NodeManager implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(NodeManager.class);

  final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("weft-node").factory());

  final String nodeId;
  final String host;
  final String token;
  final Path sessionDir;
  final NodeResources resources;
  volatile String address;
  volatile String controlAddress;
  volatile Connection control;
  private final java.util.Set<Connection> driverConns = new java.util.HashSet<>();
  final StoreService store;

  /**
   * One slot of this node's resources, granted to an owner for a stream of tasks on one worker.
   * While the task running under it waits in {@code get} ({@code blocked}), its CPU is free for
   * others.
   */
  static final class Lease {
    final long id;
    final Map<String, Double> resources;

    /** The connection that holds the lease: when it closes, the lease is revoked. */
    final Connection holder;

    boolean blocked;

    /** Revoked: the worker finishes what it runs under it, then the lease is returned. */
    boolean revoking;

    Lease(long id, Map<String, Double> resources, Connection holder) {
      this.id = id;
      this.resources = resources;
      this.holder = holder;
    }
  }

  /** A demand waiting for resources, served in arrival order (see {@link #grant}). */
  sealed interface Demand permits LeaseRequest, ActorRequest {
    Connection conn();

    Map<String, Double> resources();
  }

  record LeaseRequest(Connection conn, long reqId, WorkerPool pool, Map<String, Double> resources)
      implements Demand {}

  /** An actor to host once its resources are free. */
  record ActorRequest(Connection conn, long reqId, Msg.HostActor host) implements Demand {
    @Override
    public Map<String, Double> resources() {
      return host.spec().resources();
    }

    ActorId id() {
      return new ActorId(host.spec().actorHi(), host.spec().actorLo());
    }
  }

  enum ActorPhase {
    /** Waiting in {@link #waiting} for its resources. */
    QUEUED,
    /** Resources taken; waiting for its worker, or for the worker's answer to StartActor. */
    STARTING,
    RUNNING
  }

  /**
   * An actor this node hosts or is about to host, with the resources it holds: they go back on
   * every path out (start failed, stopped, killed while starting, its worker exited).
   */
  static final class HostedActor {
    final ActorRequest req;
    ActorPhase phase = ActorPhase.QUEUED;
    Worker worker;
    Map<String, Double> held = Map.of();
    List<Integer> gpus = List.of();

    /** Stopped before its worker answered StartActor: stopped again once it has. */
    boolean killed;

    HostedActor(ActorRequest req) {
      this.req = req;
    }
  }

  /** How a worker JVM starts (a seam: unit tests register fake workers over real sockets). */
  interface WorkerLauncher {
    /**
     * Starts the JVM of worker {@code workerId}; it registers with the node (RegisterWorker) once
     * it is up. {@code env} holds what the worker's environment must add.
     */
    Process launch(
        NodeManager node,
        long workerId,
        WorkerPool pool,
        Worker.Kind kind,
        Map<String, String> env,
        Path log)
        throws IOException;
  }

  static final WorkerLauncher JVM_LAUNCHER =
      (node, workerId, p, kind, env, logFile) ->
          ProcessLauncher.start(
                  "dev.weft.internal.core.WorkerMain",
                  List.of(
                      "--node",
                      node.address,
                      "--control",
                      node.controlAddress,
                      "--worker-id",
                      Long.toString(workerId),
                      "--node-pid",
                      Long.toString(ProcessHandle.current().pid()),
                      "--host",
                      node.host),
                  p.classpath,
                  new ArrayList<>(p.jvmOptions),
                  env,
                  logFile)
              .process();

  final WorkerRegistry workers;
  private final Map<Long, Worker> leases = new HashMap<>();
  private final Map<Integer, WorkerPool> jobs = new HashMap<>();
  private final Map<ActorId, Worker> actorHomes = new HashMap<>();
  private final ArrayDeque<Demand> waiting = new ArrayDeque<>();
  private final Map<ActorId, HostedActor> hosted = new HashMap<>();

  private long nextLeaseId = 1;
  private boolean stopping;

  NodeManager(
      String nodeId,
      String host,
      String token,
      Path sessionDir,
      Map<String, Double> resources,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles) {
    this(nodeId, host, token, sessionDir, resources, storeFile, spillFiles, JVM_LAUNCHER);
  }

  NodeManager(
      String nodeId,
      String host,
      String token,
      Path sessionDir,
      Map<String, Double> resources,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles,
      WorkerLauncher launcher) {
    this.workers =
        new WorkerRegistry(
            loop,
            token,
            sessionDir,
            (id, p, kind, env, log) -> launcher.launch(this, id, p, kind, env, log),
            new WorkerRegistry.Events() {
              @Override
              public void workerExited(Worker w, Worker.State was, int exitCode) {
                onWorkerExit(w, was, exitCode);
              }

              @Override
              public void capacityChanged() {
                grant();
              }
            });
    this.store =
        new StoreService(
            loop,
            nodeId,
            storeFile,
            spillFiles,
            hint -> {
              for (Connection d : driverConns) {
                d.send(hint);
              }
              workers.sendToEach(hint);
            });
    this.nodeId = nodeId;
    this.host = host;
    this.token = token;
    this.sessionDir = sessionDir;
    this.resources = new NodeResources(nodeId, resources);
  }

  /** Starts {@code n} warm workers for a class path (embedded clusters do this at boot). */
  void prestart(String classpath, List<String> jvmOptions, int n) {
    loop.execute(() -> workers.ensureWarm(workers.pool(classpath, jvmOptions), n));
  }

  /**
   * An embedded cluster's driver starts the first worker itself, beside this node's JVM, to save a
   * JVM start on the way to the first result; the node adopts it when it registers with id 0.
   */
  void expectAdoptions(String classpath, List<String> jvmOptions, int n) {
    loop.execute(() -> workers.expectAdoptions(workers.pool(classpath, jvmOptions), n));
  }

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    loop.execute(() -> handle(c, reqId, msg));
  }

  @Override
  public void onClose(Connection c) {
    loop.execute(
        () -> {
          if (c.attachment() instanceof Integer jobId) {
            WorkerPool p = jobs.remove(jobId);
            log.info("job {} ended: its driver disconnected", jobId);
            if (p != null && --p.jobs <= 0) {
              workers.retire(p);
            }
          }
          for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
            Demand d = it.next();
            if (d.conn() == c) {
              it.remove();
              if (d instanceof ActorRequest a) {
                hosted.remove(a.id());
              }
            }
          }
          revokeLeasesOf(c);
          store.connectionClosed(c);
          grant();
        });
  }

  /**
   * The holder of these leases is gone (a driver that exited, a worker with nested tasks that
   * died): nobody will return them or push to them. Each worker is asked to finish what it runs (a
   * task of the dead holder that is running keeps its resources until it ends: stopping user code
   * half-way is not safe in a reused JVM) and then goes back to idle; tasks it had queued for the
   * dead holder are dropped by the worker, since nobody can take their results.
   */
  private void revokeLeasesOf(Connection holder) {
    for (Worker w : workers.all()) {
      for (Lease l : w.leases.values()) {
        if (l.holder == holder && !l.revoking) {
          revoke(w, l);
        }
      }
    }
  }

  private void revoke(Worker w, Lease l) {
    l.revoking = true;
    long leaseId = l.id;
    log.info(
        "lease {} of worker {}: its holder {} disconnected; the worker gives it back once what it"
            + " runs under it ends",
        leaseId,
        w.id,
        l.holder.peer());
    if (w.conn == null || !w.conn.isOpen()) {
      return; // the worker is going away too: its exit returns the lease
    }
    w.conn
        .call(new Msg.RevokeLease(leaseId))
        .whenComplete(
            (reply, err) ->
                loop.execute(
                    () -> {
                      if (reply instanceof Msg.Ack) {
                        returnLease(leaseId);
                      } else if (w.state == Worker.State.LEASED && w.leases.containsKey(leaseId)) {
                        log.warn(
                            "worker {} did not give up revoked lease {} ({}); it keeps it until"
                                + " it exits",
                            w.id,
                            leaseId,
                            err != null ? err.toString() : String.valueOf(reply));
                      }
                    }));
  }

  /** A lease is over: its resources come back and its worker goes back to idle. */
  private void returnLease(long leaseId) {
    Worker w = leases.remove(leaseId);
    if (w != null && w.state == Worker.State.LEASED) {
      release(w, w.leases.remove(leaseId));
      if (w.leases.isEmpty()) {
        w.state = Worker.State.IDLE;
        w.pool.idle.add(w);
      }
      grant();
    }
  }

  private void handle(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.AttachJob a -> {
        WorkerPool p = workers.pool(a.classpath(), a.jvmOptions());
        p.jobs++;
        jobs.put(a.jobId(), p);
        c.attach(a.jobId());
        workers.ensureWarm(
            p, Math.min(a.prestart(), (int) Math.ceil(resources.total.getOrDefault("CPU", 1.0))));
        String driver = a.driverAddress();
        driverConns.add(c);
        c.closeFuture()
            .thenRun(
                () ->
                    loop.execute(
                        () -> {
                          driverConns.remove(c);
                          store.deleteObjectsOf(driver);
                        }));
        c.reply(reqId, new Msg.JobAttached(nodeId, store.storePath));
      }
      case Msg.RequestLease r -> {
        WorkerPool p = r.jobId() != 0 ? jobs.get(r.jobId()) : null;
        if (p == null && c.attachment() instanceof Worker w) {
          p = w.pool;
        }
        if (p == null) {
          c.replyFailure(reqId, "job " + r.jobId() + " is not attached to node " + nodeId);
          return;
        }
        String infeasible = resources.infeasible(r.resources());
        if (infeasible != null) {
          c.replyFailure(reqId, infeasible);
          return;
        }
        waiting.add(new LeaseRequest(c, reqId, p, r.resources()));
        grant();
      }
      case Msg.ReturnLease r -> returnLease(r.leaseId());
      case Msg.RegisterWorker r -> {
        Worker w = workers.register(c, r);
        if (w == null) {
          c.replyFailure(reqId, "unknown worker " + r.workerId());
          c.close();
          return;
        }
        c.reply(reqId, new Msg.WorkerConfig(controlAddress, nodeId, w.id, store.storePath));
        workers.ready(w);
        grant();
      }
      case Msg.WorkerBlocked b -> {
        Lease l = leaseOf(b.workerId(), b.leaseId());
        if (l != null && !l.blocked) {
          l.blocked = true;
          resources.give(cpuOnly(l.resources));
          grant();
        }
      }
      case Msg.WorkerUnblocked b -> {
        Lease l = leaseOf(b.workerId(), b.leaseId());
        if (l != null && l.blocked) {
          l.blocked = false;
          resources.take(cpuOnly(l.resources));
        }
      }
      case Msg.HostActor h -> hostActor(c, reqId, h);
      case Msg.ListOwners l -> {
        c.reply(reqId, new Msg.Owners(workers.liveAddresses()));
      }
      case Msg.StoreCreate sc -> store.create(c, reqId, sc);
      case Msg.StoreSeal s -> store.seal(c, reqId, s);
      case Msg.StorePin p -> store.pin(c, reqId, p);
      case Msg.StoreUnpin u -> store.unpin(c, u);
      case Msg.StoreDelete d -> store.delete(d);
      case Msg.StoreStats s -> store.stats(c, reqId);
      case Msg.StopActor s -> {
        stopActor(s);
        c.reply(reqId, new Msg.Ack());
      }
      default ->
          c.replyFailure(
              reqId, "the node manager does not handle " + msg.getClass().getSimpleName());
    }
  }

  /**
   * Stops an actor in whatever phase it is: queued (it never starts), starting (it is stopped as
   * soon as its worker answers), or running. Its resources come back in each case.
   */
  private void stopActor(Msg.StopActor s) {
    ActorId id = new ActorId(s.actorHi(), s.actorLo());
    HostedActor h = hosted.get(id);
    if (h != null && h.phase == ActorPhase.QUEUED) {
      waiting.remove(h.req);
      hosted.remove(id);
      h.req.conn().replyFailure(h.req.reqId(), "actor " + id + " was stopped: " + s.reason());
      return;
    }
    if (h != null && h.phase == ActorPhase.STARTING) {
      h.killed = true; // the start sees it: the actor is stopped once its worker answered
      return;
    }
    releaseActor(id);
    grant();
    Worker w = actorHomes.remove(id);
    if (w == null) {
      return;
    }
    w.actors.remove(id);
    boolean wasDetached = w.detached.remove(id);
    if (wasDetached && w.detached.isEmpty() && w.pool.jobs <= 0 && w.process != null) {
      w.actors.clear();
      w.process.destroy(); // it only stayed for detached actors, and the last one is gone
    } else if (w.kind == Worker.Kind.DEDICATED_ACTOR) {
      w.actors.clear(); // killed on purpose: not a death to report
      if (w.process != null) {
        w.process.destroyForcibly();
      }
    } else if (w.conn != null) {
      w.conn.send(s);
    }
  }

  private void releaseActor(ActorId id) {
    HostedActor h = hosted.get(id);
    if (h != null) {
      releaseActor(h);
    }
  }

  /**
   * Gives an actor's resources (and GPUs) back; once only, whatever path it leaves by (a later
   * incarnation hosted here under the same id keeps its own).
   */
  private void releaseActor(HostedActor h) {
    if (hosted.remove(h.req.id(), h) && h.phase != ActorPhase.QUEUED) {
      resources.give(h.held);
      resources.giveGpus(h.gpus);
      h.held = Map.of();
      h.gpus = List.of();
    }
  }

  /** The live lease {@code leaseId} of worker {@code workerId}, or null. */
  private Lease leaseOf(long workerId, long leaseId) {
    Worker w = workers.get(workerId);
    return w == null || w.state != Worker.State.LEASED ? null : w.leases.get(leaseId);
  }

  /**
   * A leased CPU worker of {@code p} whose tasks all wait in {@code get}: it can run one more task
   * (on a virtual thread) for the CPU those gave back, so deep recursions of blocking tasks need no
   * new JVM per level. Null when there is none.
   */
  private Worker blockedWorker(WorkerPool p) {
    for (Worker w : workers.all()) {
      if (w.pool == p
          && w.kind == Worker.Kind.TASK
          && w.state == Worker.State.LEASED
          && w.gpuIds.isEmpty()
          && w.conn != null
          && w.conn.isOpen()
          && w.leases.values().stream().allMatch(l -> l.blocked && !l.revoking)) {
        return w;
      }
    }
    return null;
  }

  /** An idle worker of {@code p} for a demand of {@code gpus} GPUs whose GPUs are all free. */
  private Worker idleWorkerFor(WorkerPool p, int gpus) {
    for (Iterator<Worker> it = p.idle.iterator(); it.hasNext(); ) {
      Worker w = it.next();
      if (w.gpuIds.size() == gpus && resources.gpusFree(w.gpuIds)) {
        it.remove();
        return w;
      }
    }
    return null;
  }

  /** Grants waiting requests in order while resources allow; starts workers where none is idle. */
  private void grant() {
    Map<WorkerPool, Integer> needWorkers = new HashMap<>();
    Map<String, Double> hypothetical = resources.availableCopy();
    java.util.TreeSet<Integer> hypotheticalGpus = resources.freeGpusCopy();
    List<Map.Entry<WorkerPool, List<Integer>>> needGpuWorkers = new ArrayList<>();
    List<ActorRequest> actorsToPlace = new ArrayList<>();
    for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
      Demand d = it.next();
      if (!d.conn().isOpen()) {
        it.remove();
        if (d instanceof ActorRequest a) {
          hosted.remove(a.id());
        }
        continue;
      }
      boolean fitsNow = true;
      for (Map.Entry<String, Double> e : d.resources().entrySet()) {
        if (hypothetical.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
          fitsNow = false;
          break;
        }
      }
      if (!fitsNow) {
        continue; // later, smaller requests may still fit
      }
      if (d instanceof ActorRequest a) {
        // an actor's resources are taken now, and held until it is gone
        it.remove();
        HostedActor h = hosted.get(a.id());
        h.phase = ActorPhase.STARTING;
        h.held = a.resources();
        h.gpus = resources.takeGpus(gpusOf(a.resources()));
        hypotheticalGpus.removeAll(h.gpus);
        resources.take(h.held);
        add(hypothetical, h.held, -1);
        actorsToPlace.add(a);
        continue;
      }
      LeaseRequest r = (LeaseRequest) d;
      int gpus = gpusOf(r.resources());
      Worker w = idleWorkerFor(r.pool, gpus);
      // An idle worker's task port runs the task on the thread that reads it; a worker whose
      // tasks are all blocked takes this one on its main port, where it runs on a virtual thread.
      boolean shared = false;
      if (w == null && gpus == 0) {
        w = blockedWorker(r.pool);
        shared = w != null;
      }
      if (w != null) {
        it.remove();
        long leaseId = nextLeaseId++;
        w.state = Worker.State.LEASED;
        w.leases.put(leaseId, new Lease(leaseId, r.resources(), r.conn));
        resources.markGpusTaken(w.gpuIds);
        hypotheticalGpus.removeAll(w.gpuIds);
        leases.put(leaseId, w);
        resources.take(r.resources());
        add(hypothetical, r.resources(), -1);
        r.conn.reply(
            r.reqId,
            new Msg.LeaseGranted(leaseId, w.id, w.address, shared ? w.address : w.taskAddress));
      } else if (gpus > 0) {
        // a worker JVM of its own, started with CUDA_VISIBLE_DEVICES set to the GPUs it will get
        List<Integer> ids = new ArrayList<>(hypotheticalGpus).subList(0, gpus);
        hypotheticalGpus.removeAll(ids);
        add(hypothetical, r.resources(), -1);
        needGpuWorkers.add(Map.entry(r.pool, List.copyOf(ids)));
      } else {
        add(hypothetical, r.resources(), -1);
        needWorkers.merge(r.pool, 1, Integer::sum);
      }
    }
    for (ActorRequest a : actorsToPlace) {
      placeActor(a);
    }
    int startingNow = workers.startingCount();
    for (Map.Entry<WorkerPool, Integer> e : needWorkers.entrySet()) {
      WorkerPool p = e.getKey();
      while (p.starting < e.getValue()
          && startingNow < WorkerRegistry.MAX_CONCURRENT_STARTS
          && workers.liveCount() < WorkerRegistry.MAX_WORKERS) {
        workers.start(p, Worker.Kind.TASK);
        startingNow++;
      }
    }
    for (Map.Entry<WorkerPool, List<Integer>> e : needGpuWorkers) {
      boolean alreadyStarting = workers.isStarting(e.getKey(), e.getValue());
      if (!alreadyStarting
          && startingNow < WorkerRegistry.MAX_CONCURRENT_STARTS
          && workers.liveCount() < WorkerRegistry.MAX_WORKERS) {
        workers.start(e.getKey(), Worker.Kind.TASK, e.getValue());
        startingNow++;
      }
    }
  }

  /**
   * Gives a lease's resources back (its CPU is back already while it is blocked); the worker's GPUs
   * once it holds no lease.
   */
  private void release(Worker w, Lease l) {
    if (l == null) {
      return;
    }
    if (!l.blocked) {
      resources.give(l.resources);
    } else {
      Map<String, Double> rest = new HashMap<>(l.resources);
      rest.remove("CPU");
      resources.give(rest);
    }
    if (w.leases.isEmpty()) {
      resources.giveGpus(w.gpuIds);
    }
  }

  /**
   * A worker is gone (out of the registry already): what it held comes back, its actors are lost.
   */
  private void onWorkerExit(Worker w, Worker.State was, int exitCode) {
    store.deleteObjectsOf(w.address);
    if (was == Worker.State.LEASED) {
      List<Lease> held = new ArrayList<>(w.leases.values());
      w.leases.clear();
      for (Lease l : held) {
        leases.remove(l.id);
        release(w, l);
      }
    }
    if (!stopping) {
      log.warn(
          "worker {} ({}) exited with code {}; log: {}", w.id, w.kind, exitCode, workers.logOf(w));
    }
    String reason = "worker " + w.id + " on node " + nodeId + " exited with code " + exitCode;
    for (ActorId a : w.actors) {
      actorHomes.remove(a);
      releaseActor(a);
      Connection ctl = control;
      if (ctl != null && ctl.isOpen() && !stopping) {
        ctl.send(new Msg.ActorProcessDied(a.hi(), a.lo(), reason));
      }
    }
    for (Runnable r : w.onReady) {
      r.run(); // lets waiting actor placements fail fast (they check the state)
    }
    w.onReady.clear();
    grant();
  }

  /**
   * An actor to host here: it waits in line with the leases until its resources are free (never
   * oversubscribing), then is placed by {@link #placeActor}.
   */
  private void hostActor(Connection c, long reqId, Msg.HostActor h) {
    Msg.ActorSpec spec = h.spec();
    String infeasible = resources.infeasible(spec.resources());
    if (infeasible != null) {
      c.replyFailure(reqId, infeasible);
      return;
    }
    ActorRequest req = new ActorRequest(c, reqId, h);
    if (hosted.containsKey(req.id())) {
      // a new incarnation while the old one is still here: the old one goes first
      stopActor(
          new Msg.StopActor(
              spec.actorHi(), spec.actorLo(), "actor " + req.id() + " is restarted elsewhere"));
    }
    hosted.put(req.id(), new HostedActor(req));
    waiting.add(req);
    grant();
  }

  /** Starts an actor whose resources {@link #grant} has just taken. */
  private void placeActor(ActorRequest req) {
    Connection c = req.conn();
    long reqId = req.reqId();
    Msg.HostActor h = req.host();
    Msg.ActorSpec spec = h.spec();
    ActorId id = req.id();
    HostedActor ha = hosted.get(id);
    WorkerPool p = workers.pool(spec.classpath(), spec.jvmOptions());
    Worker w;
    if (spec.dedicatedProcess() || !ha.gpus.isEmpty()) {
      // an actor with GPUs gets a JVM of its own, started with CUDA_VISIBLE_DEVICES set to them
      w = workers.start(p, Worker.Kind.DEDICATED_ACTOR, ha.gpus);
    } else {
      if (p.actorHost == null || p.actorHost.state == Worker.State.DEAD) {
        p.actorHost = workers.start(p, Worker.Kind.ACTOR_HOST);
      }
      w = p.actorHost;
    }
    Runnable start =
        () -> {
          if (hosted.get(id) != ha) {
            return; // already given up (its requester is gone)
          }
          if (ha.killed || w.state == Worker.State.DEAD || w.conn == null) {
            releaseActor(ha);
            if (w.kind == Worker.Kind.DEDICATED_ACTOR && w.process != null) {
              w.process.destroyForcibly();
            }
            c.replyFailure(
                reqId,
                ha.killed
                    ? "actor " + id + " was stopped before it started"
                    : "its worker process exited before the actor could start (see "
                        + sessionDir
                        + ")");
            grant();
            return;
          }
          w.actors.add(id);
          actorHomes.put(id, w);
          if (spec.detached()) {
            w.detached.add(id);
          }
          CompletableFuture<Msg> f = w.conn.call(new Msg.StartActor(spec, h.incarnation()));
          f.whenComplete(
              (reply, err) ->
                  loop.execute(
                      () -> {
                        if (!(reply instanceof Msg.ActorInfo)) {
                          if (actorHomes.get(id) == w) {
                            w.detached.remove(id);
                            w.actors.remove(id);
                            actorHomes.remove(id);
                          }
                          releaseActor(ha);
                          grant();
                          if (w.kind == Worker.Kind.DEDICATED_ACTOR && w.process != null) {
                            w.process.destroyForcibly();
                          }
                        } else if (hosted.get(id) == ha) {
                          ha.phase = ActorPhase.RUNNING;
                          if (ha.killed) {
                            // stopped while its constructor ran: stop it now that it exists
                            stopActor(
                                new Msg.StopActor(
                                    id.hi(),
                                    id.lo(),
                                    "actor " + id + " was stopped as it started"));
                            c.replyFailure(reqId, "actor " + id + " was stopped as it started");
                            return;
                          }
                        }
                        c.reply(
                            reqId,
                            reply != null
                                ? reply
                                : new Msg.Failure("the actor's worker went away: " + err));
                      }));
        };
    ha.worker = w;
    if (w.state == Worker.State.HOSTING) {
      start.run();
    } else {
      w.onReady.add(start);
    }
  }

  /** Stops every worker (shutdown hook). */
  void stopAll() {
    stopping = true;
    workers.destroyAdopted();
    ProcessLauncher.killDescendants(3000);
    store.stop();
  }
}
