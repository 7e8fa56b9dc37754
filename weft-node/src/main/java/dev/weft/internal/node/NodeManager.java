package dev.weft.internal.node;

import dev.weft.ActorId;
import dev.weft.internal.core.Peers;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node manager: this machine's resources, the worker leases granted against them, the actors it
 * hosts, the pool of worker JVMs (started per job class path, reused, kept warm) and the object
 * store service. This class is the dispatcher: {@link #handle} hands each message to the room that
 * owns it, and the constructor wires the rooms together.
 *
 * <p>Rooms (package-private, each with its own notes):
 *
 * <ul>
 *   <li>{@link NodeResources}: what the node offers in all, what is available, which GPU ids are
 *       free;
 *   <li>{@link WorkerRegistry}: the worker JVMs ({@link Worker}) and their pools ({@link
 *       WorkerPool}): start, adopt, keep warm, register, exit, retire;
 *   <li>{@link LeaseManager}: the FIFO line of demands (leases and actors), grant, return, revoke,
 *       blocked workers;
 *   <li>{@link ActorHosting}: actors queued, starting, running; placement on host workers; stop;
 *   <li>{@link StoreService}: object store messages, waiting creates, GC hints, spill and restore,
 *       pins per connection;
 *   <li>{@link JobCatalog}: the jobs this node knows and their pools; any node serves any job,
 *       asking the control store for the definition of one it does not know (GetJob);
 *   <li>{@link ClusterView}: this node's copy of the cluster resource view, kept from the control
 *       store's ViewDeltas, read by drivers and workers (GetClusterView);
 *   <li>{@link LeaseScheduler}: which node serves a lease request (here, spill back to another, or
 *       wait for a node that can), from the view; its notes hold the message flow.
 * </ul>
 *
 * This class itself keeps the attached drivers' connections (GC hints go to them; a driver's
 * objects share its fate), and decides what a worker's exit means across the rooms ({@link
 * #onWorkerExit}).
 *
 * <p>Thread rule. All state, of this class and of every room, is owned by the single thread {@link
 * #loop}; Netty handlers, process-exit callbacks and reply futures only post work to it, and no
 * room takes a lock. The one other thread is the store's spill IO thread, whose completions come
 * back to the loop. Rooms reach each other through narrow gateways: {@link WorkerRegistry.Events}
 * (a worker exited, capacity changed), {@link LeaseManager.ActorAdmissions} (an actor's turn in the
 * line), {@link StoreService.EveryProcess} (GC hints); otherwise through the methods each room
 * offers, never another room's fields.
 *
 * <p>GPUs: whole GPUs only, by id. A worker JVM is started for a set of GPU ids with {@code
 * CUDA_VISIBLE_DEVICES} set, and only leased for exactly those ids (a CUDA runtime reads the
 * variable once, so a reused JVM cannot switch GPUs).
 */
final class NodeManager implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(NodeManager.class);

  final ScheduledExecutorService loop = dev.weft.internal.rpc.EventLoops.newLoop("weft-node", log);

  final String nodeId;

  /** "node ID", for errors. */
  private final String where;

  /** The host other processes reach this node and its workers at (its advertised address). */
  final String host;

  /** The address this node and its workers listen on; {@link #host} unless set apart. */
  volatile String bindHost;

  final String token;
  final Path sessionDir;
  final NodeResources resources;
  volatile String address;
  volatile String controlAddress;
  volatile Connection control;
  final java.util.Set<Connection> driverConns = new java.util.HashSet<>();

  /** The attached drivers' addresses, by connection (for the NodeInventory). */
  final Map<Connection, String> driverAddresses = new java.util.HashMap<>();

  final StoreService store;

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
                      node.host,
                      "--bind-host",
                      node.bindHost),
                  p.classpath,
                  ProcessLauncher.workerJvmOptions(p.jvmOptions),
                  env,
                  logFile)
              .process();

  final WorkerRegistry workers;
  final LeaseManager leases;
  final JobCatalog jobs;
  final CodeCache code;
  final ActorHosting actors;

  /** What this node's processes submitted and ran (counts and events). */
  final NodeTasks tasks;

  /** This node's Prometheus metrics, once served (see serveMetrics). */
  private volatile NodeMetrics metrics;

  /**
   * Serves this node's metrics on {@code port} of its bind host (0: any free port); returns their
   * URL.
   */
  String serveMetrics(int port) throws java.io.IOException {
    NodeMetrics m =
        new NodeMetrics(
            this, dev.weft.internal.metrics.MetricsEndpoint.start(bindHost, host, port));
    m.start(loop);
    metrics = m;
    return m.url();
  }

  /** The log files of this node, for weft logs. */
  final NodeLogs logs;

  final ClusterView view = new ClusterView();
  final BundleReservations bundles;

  /** Object transfer between nodes (issue 9 item 4): see its notes for the message flow. */
  final PullManager pulls;

  /** Connections to other node managers (pulls), opened off the loop and reused. */
  private final Peers nodeConns;

  /** Heartbeats, other nodes' deaths, this node's owners gone (issue 11). */
  final NodeLiveness liveness;

  final LeaseScheduler scheduler;

  private boolean stopping;

  NodeManager(
      String nodeId,
      String host,
      String token,
      Path sessionDir,
      Map<String, Double> resources,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles) {
    this(
        nodeId,
        host,
        token,
        sessionDir,
        resources,
        storeFile,
        spillFiles,
        JVM_LAUNCHER,
        dev.weft.internal.core.JobCode.cacheDir());
  }

  NodeManager(
      String nodeId,
      String host,
      String token,
      Path sessionDir,
      Map<String, Double> resources,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles,
      WorkerLauncher launcher,
      Path codeCacheDir) {
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
    this.where = "node " + nodeId;
    this.host = host;
    this.bindHost = host;
    this.token = token;
    this.sessionDir = sessionDir;
    this.resources = new NodeResources(nodeId, resources);
    this.leases = new LeaseManager(loop, this.resources, workers);
    this.code = new CodeCache(codeCacheDir, nodeId, token);
    this.jobs =
        new JobCatalog(
            loop,
            nodeId,
            jobId -> callControl(new Msg.GetJob(jobId)),
            (jobId, driver, jobCode, attached) ->
                code.classpathFor(jobId, driver, jobCode, attached),
            workers::pool,
            workers::retire);
    this.actors = new ActorHosting(loop, sessionDir, this.resources, workers, leases, jobs);
    leases.admitActorsVia(actors);
    this.logs = new NodeLogs(nodeId, sessionDir, workers);
    this.tasks = new NodeTasks(nodeId);
    this.nodeConns =
        new Peers(
            token,
            this,
            Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("weft-node-connect").factory()),
            java.time.Duration.ofSeconds(5));
    this.pulls = new PullManager(loop, nodeId, store, nodeConns::peer);
    this.liveness =
        new NodeLiveness(
            loop,
            nodeId,
            () -> control,
            () -> controlAddress,
            this::sendToControl,
            nodeConns,
            store,
            leases,
            m -> {
              for (Connection d : driverConns) {
                d.send(m);
              }
              workers.sendToEach(m);
            },
            () -> stopping);
    this.scheduler =
        new LeaseScheduler(
            nodeId,
            this.resources,
            leases,
            view,
            dev.weft.internal.core.SchedulingPolicy.fromSystemProperties(),
            System::nanoTime,
            () -> address,
            m -> {
              Connection ctl = control;
              if (ctl != null && ctl.isOpen()) {
                ctl.send(m);
              }
            });
    this.resources.onChange = this::resourcesChanged;
    this.bundles =
        new BundleReservations(
            nodeId,
            this.resources,
            () -> leases.grant(),
            group -> {
              leases.failDemands(
                  (d, what) ->
                      dev.weft.internal.proto.BundleResources.removedError(
                          d.resources(), what, group::equals));
              scheduler.failRemoved();
            });
    scheduler.refuseRemovedGroups(bundles::isRemoved);
  }

  /**
   * One-way messages to the control store that must not be lost while it is away (it restarted):
   * kept here, in order, and sent once this node is registered again ({@link #controlReconnected}).
   */
  private final java.util.ArrayDeque<Msg> unsentToControl = new java.util.ArrayDeque<>();

  /** At most this many messages wait for the control store; older ones are dropped beyond. */
  static final int MAX_UNSENT_TO_CONTROL = 10_000;

  /** How long a request waits for a control store that is away (restarting) before it fails. */
  long controlWaitMillis = 60_000;

  /**
   * A request to the control store (an idempotent one: a read); while this node has no connection
   * to it (it restarts), tried again every 200 ms for up to {@link #controlWaitMillis}.
   */
  java.util.concurrent.CompletableFuture<Msg> callControl(Msg m) {
    java.util.concurrent.CompletableFuture<Msg> out =
        new java.util.concurrent.CompletableFuture<>();
    callControl(m, out, System.nanoTime() + controlWaitMillis * 1_000_000);
    return out;
  }

  private void callControl(
      Msg m, java.util.concurrent.CompletableFuture<Msg> out, long deadlineNanos) {
    Connection ctl = control;
    if (ctl != null && ctl.isOpen()) {
      ctl.call(m)
          .whenComplete(
              (reply, err) -> {
                if (err == null) {
                  out.complete(reply);
                } else if (!ctl.isOpen() && System.nanoTime() < deadlineNanos) {
                  callControl(m, out, deadlineNanos);
                } else {
                  out.completeExceptionally(err);
                }
              });
    } else if (System.nanoTime() < deadlineNanos) {
      loop.schedule(
          () -> callControl(m, out, deadlineNanos),
          200,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } else {
      out.completeExceptionally(
          new IllegalStateException(
              "node "
                  + nodeId
                  + " has had no connection to the control store at "
                  + controlAddress
                  + " for "
                  + controlWaitMillis
                  + " ms"));
    }
  }

  /** Sends {@code m} to the control store now, or once this node is registered again. */
  void sendToControl(Msg m) {
    synchronized (unsentToControl) {
      Connection ctl = control;
      if (ctl != null && ctl.isOpen() && unsentToControl.isEmpty()) {
        ctl.send(m);
        return;
      }
      if (unsentToControl.size() >= MAX_UNSENT_TO_CONTROL) {
        unsentToControl.poll();
      }
      unsentToControl.add(m);
    }
  }

  /**
   * This node registered again with a control store that restarted, on {@code c}: what waited is
   * sent, and the control store hears this node's available resources again.
   */
  void controlReconnected(Connection c) {
    synchronized (unsentToControl) {
      control = c;
      while (!unsentToControl.isEmpty()) {
        c.send(unsentToControl.poll());
      }
    }
    loop.execute(
        () -> {
          lastReported = null;
          resourcesChanged();
          scheduler.reportAgain(); // a restarted control store has no list of waiting demands
          sendToControl(inventory()); // what it may not have heard while it was away
        });
  }

  /** On the loop: this node's live processes and the objects it holds for the control store. */
  private Msg.NodeInventory inventory() {
    List<String> processes = new ArrayList<>(workers.liveAddresses());
    processes.addAll(driverAddresses.values());
    List<Long> hi = new ArrayList<>();
    List<Long> lo = new ArrayList<>();
    for (var k : store.keysOwnedBy(Msg.CONTROL_STORE_OWNER)) {
      hi.add(k.hi());
      lo.add(k.lo());
    }
    return new Msg.NodeInventory(nodeId, processes, hi, lo);
  }

  /** Coalescing window of the node's ReportResources to the control store. */
  static final long REPORT_RESOURCES_MILLIS = 100;

  private boolean reportScheduled;
  private Map<String, Double> lastReported;

  /**
   * On the loop: what is available changed; the control store hears of it within {@link
   * #REPORT_RESOURCES_MILLIS}, once for every change in that window, and not at all when it came
   * back to what it last heard.
   */
  void resourcesChanged() {
    if (reportScheduled) {
      return;
    }
    reportScheduled = true;
    loop.schedule(
        () -> {
          reportScheduled = false;
          Connection ctl = control;
          Map<String, Double> free = new HashMap<>(resources.available);
          NodeResources.add(free, leases.startingFor(), -1); // promised to workers starting
          Map<String, Double> now = Map.copyOf(free);
          if (ctl != null && ctl.isOpen() && !now.equals(lastReported)) {
            lastReported = now;
            ctl.send(new Msg.ReportResources(nodeId, now));
          }
        },
        REPORT_RESOURCES_MILLIS,
        java.util.concurrent.TimeUnit.MILLISECONDS);
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

  private final NodeDispatch dispatch = new NodeDispatch(this);

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    loop.execute(
        () ->
            dev.weft.internal.rpc.EventLoops.handle(
                log, where, c, reqId, msg, () -> dispatch.handle(c, reqId, msg)));
  }

  @Override
  public void onClose(Connection c) {
    loop.execute(
        () -> {
          if (c.attachment() instanceof Integer jobId) {
            jobs.forget(jobId, "its driver disconnected from this node");
          }
          tasks.closed(c);
          leases.dropDemandsOf(c);
          scheduler.dropDemandsOf(c);
          leases.revokeLeasesOf(c);
          store.connectionClosed(c);
          leases.grant();
        });
  }

  /**
   * A worker is gone (out of the registry already): what it held comes back, its actors are lost.
   */
  private void onWorkerExit(Worker w, Worker.State was, int exitCode) {
    liveness.ownerGone(w.address);
    leases.workerExited(w, was);
    if (!stopping) {
      log.warn(
          "worker {} ({}) exited with code {}; log: {}", w.id, w.kind, exitCode, workers.logOf(w));
    }
    String reason = "worker " + w.id + " on node " + nodeId + " exited with code " + exitCode;
    for (ActorId a : w.actors) {
      int incarnation = actors.incarnationOn(a, w);
      actors.lost(a);
      if (!stopping) {
        sendToControl(new Msg.ActorProcessDied(a.hi(), a.lo(), reason, incarnation));
      }
    }
    for (Runnable r : w.onReady) {
      r.run(); // lets waiting actor placements fail fast (they check the state)
    }
    w.onReady.clear();
    leases.grant();
  }

  /** Stops every worker (shutdown hook). */
  void stopAll() {
    stopping = true;
    workers.destroyAdopted();
    ProcessLauncher.killDescendants(3000);
    store.stop();
  }
}
