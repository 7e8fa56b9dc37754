package dev.weft.internal.node;

import static dev.weft.internal.node.NodeResources.gpusOf;

import dev.weft.ActorId;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** An actor to host once its resources are free. */
  record ActorRequest(Connection conn, long reqId, Msg.HostActor host)
      implements LeaseManager.Demand {
    @Override
    public Map<String, Double> resources() {
      return host.spec().resources();
    }

    ActorId id() {
      return new ActorId(host.spec().actorHi(), host.spec().actorLo());
    }
  }

  enum ActorPhase {
    /** Waiting in the line of {@link LeaseManager} for its resources. */
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
  final LeaseManager leases;
  private final Map<Integer, WorkerPool> jobs = new HashMap<>();
  private final Map<ActorId, Worker> actorHomes = new HashMap<>();
  private final Map<ActorId, HostedActor> hosted = new HashMap<>();

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
                leases.grant();
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
    this.leases = new LeaseManager(loop, this.resources, workers);
    leases.admitActorsVia(
        new LeaseManager.ActorAdmissions() {
          @Override
          public List<Integer> admit(ActorRequest a) {
            return admitActor(a);
          }

          @Override
          public void place(ActorRequest a) {
            placeActor(a);
          }

          @Override
          public void abandon(ActorRequest a) {
            hosted.remove(a.id());
          }
        });
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
          leases.dropDemandsOf(c);
          leases.revokeLeasesOf(c);
          store.connectionClosed(c);
          leases.grant();
        });
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
        leases.request(c, reqId, p, r.resources());
      }
      case Msg.ReturnLease r -> leases.returnLease(r.leaseId());
      case Msg.RegisterWorker r -> {
        Worker w = workers.register(c, r);
        if (w == null) {
          c.replyFailure(reqId, "unknown worker " + r.workerId());
          c.close();
          return;
        }
        c.reply(reqId, new Msg.WorkerConfig(controlAddress, nodeId, w.id, store.storePath));
        workers.ready(w);
        leases.grant();
      }
      case Msg.WorkerBlocked b -> leases.blocked(b);
      case Msg.WorkerUnblocked b -> leases.unblocked(b);
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
      leases.withdraw(h.req);
      hosted.remove(id);
      h.req.conn().replyFailure(h.req.reqId(), "actor " + id + " was stopped: " + s.reason());
      return;
    }
    if (h != null && h.phase == ActorPhase.STARTING) {
      h.killed = true; // the start sees it: the actor is stopped once its worker answered
      return;
    }
    releaseActor(id);
    leases.grant();
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

  /** An actor's turn in the line came: its resources (and GPUs) are taken now. */
  private List<Integer> admitActor(ActorRequest a) {
    HostedActor h = hosted.get(a.id());
    h.phase = ActorPhase.STARTING;
    h.held = a.resources();
    h.gpus = resources.takeGpus(gpusOf(a.resources()));
    resources.take(h.held);
    return h.gpus;
  }

  /**
   * A worker is gone (out of the registry already): what it held comes back, its actors are lost.
   */
  private void onWorkerExit(Worker w, Worker.State was, int exitCode) {
    store.deleteObjectsOf(w.address);
    leases.workerExited(w, was);
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
    leases.grant();
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
    leases.enqueue(req);
    leases.grant();
  }

  /** Starts an actor whose resources {@link LeaseManager#grant} has just taken. */
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
            leases.grant();
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
                          leases.grant();
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
