package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.WaitResult;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import dev.weft.spi.RuntimeBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core worker library: one per process, in the driver and in every worker. It owns the objects
 * this process creates ({@link OwnershipTable}), submits tasks straight to leased workers ({@link
 * TaskSubmitter}), calls actors directly ({@link ActorCaller}), and in workers runs tasks and hosts
 * actors ({@link TaskExecutor}).
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li>Rooms. This class is the facade and the wiring: it holds the process's identity (address,
 *       token, server, the control and node connections, the executors), dispatches incoming
 *       messages ({@link #onMessage}, a table of contents: each case hands off to one room) and
 *       implements {@link RuntimeBackend} by delegation. The work lives in package-private rooms,
 *       each reached through its own methods (their state is private to them):
 *       <ul>
 *         <li>{@link Peers}: connections to other processes, one per address, reused;
 *         <li>{@link RefLifecycle}: making ref instances, the runtime's counted copies, the refs
 *             nested in values, the owner's borrower service (AddBorrower, RemoveBorrower) and the
 *             collections that notice dropped borrowed refs;
 *         <li>{@link StoreClient}: everything that talks to the node's shared-memory store (put,
 *             large values and arguments, pin, read, delete, views, stats, GC hints);
 *         <li>{@link ObjectFetcher}: get, wait, getBuffer, toFuture, serving GetObject, and the
 *             spin-then-park {@link ObjectFetcher#await};
 *         <li>{@link OwnershipTable} and {@link BorrowTable}: the owner's and the borrower's
 *             counts; {@link TaskSubmitter}, {@link ActorCaller}, {@link TaskExecutor}: tasks and
 *             actors; {@link TaskContext}: the task the current thread runs; {@link Errors}: a
 *             failed object's error on the wire.
 *       </ul>
 *       The constructor builds them once the address is known, each after the rooms it uses (refs,
 *       store, fetcher, submitter, actors); they keep the collaborators they need in final fields.
 *   <li>Threads: Netty event loops deliver messages and must never block; anything that may block
 *       (user code, connecting, long polls) runs on the virtual-thread executor {@link #blocking}
 *       or on the worker's task thread. Callers of the public API block in {@link #await}. The
 *       {@link #timer} thread runs the borrower collections and the submitter's timers. A {@link
 *       TaskContext} belongs to the thread that runs its task. {@link #control}, {@link #node},
 *       {@link #executor}, {@link #workerId}, {@link #jobId} and {@link #nodeId} are written at
 *       start-up (CoreRuntimeFactory, WorkerMain) and read anywhere; all other shared state lives
 *       in the rooms' concurrent structures.
 *   <li>A task's thread that blocks in {@code get} tells its node manager (WorkerBlocked) so the
 *       CPU it holds can go to another task; nested task trees therefore finish on any number of
 *       CPUs.
 *   <li>Small object values travel inline (serialized bytes in messages); large ones, from {@link
 *       StoreClient#INLINE_THRESHOLD} bytes, through the node's shared-memory store.
 *   <li>Lock order: TaskSubmitter key state, then ActorCaller actor state; neither calls out while
 *       holding the other.
 * </ul>
 */
public final class CoreWorker implements RuntimeBackend, MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(CoreWorker.class);
  private static volatile CoreWorker current;

  final long processHi = ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_ffff_ffffL | 1L << 48;
  final String token;
  final String host;

  /** The address this process listens on ({@link #host} is what others reach it at). */
  final String bindHost;

  final Rpc.Server server;
  final String address;
  final OwnershipTable table = new OwnershipTable(processHi);
  final ExecutorService blocking =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("weft-v-", 0).inheritInheritableThreadLocals(false).factory());
  final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform()
              .daemon()
              .name("weft-timer")
              .inheritInheritableThreadLocals(false)
              .factory());
  final Peers peers;
  final TaskSubmitter submitter;

  /** The records from which this process makes again the objects it owns that were lost. */
  final Lineage lineage;

  final ActorCaller actors;

  /** Tasks this process submitted and ran, by function (sent to its node: see TaskCounters). */
  final TaskCounters taskCounts = new TaskCounters();

  /** Tasks this process ran lately (sent to its node: see TaskEventLog). */
  final TaskEventLog taskEvents = new TaskEventLog();

  final PlacementGroupClient groups = new PlacementGroupClient(this);
  final BorrowTable borrows = new BorrowTable(this);
  final RefLifecycle refs;
  final StoreClient store;
  final ObjectFetcher fetcher;
  volatile TaskExecutor executor;

  /** The control store, reconnected when it restarts (see ControlLink). */
  volatile ControlLink controlLink;

  volatile Connection node;
  volatile long workerId;
  volatile int jobId;

  /** The node this process belongs to (a driver: the node it attached to). */
  volatile String nodeId;

  /** In a driver: prints what its job's workers print (issue 12 item 1). */
  final DriverOutput driverOutput = new DriverOutput();

  volatile String classpath = System.getProperty("java.class.path");
  volatile List<String> jvmOptions = List.of();

  /** A driver's published class path, served to nodes that lack it (FetchCode); null in workers. */
  volatile JobCode code;

  private volatile Runnable onShutdown = () -> {};
  private volatile boolean shutDown;

  CoreWorker(String host, String token) {
    this(host, host, token);
  }

  /** Listens on {@code bindHost}; others reach it at {@code host}. */
  CoreWorker(String bindHost, String host, String token) {
    this.bindHost = bindHost;
    this.host = host;
    this.token = token;
    this.peers = new Peers(token, this, blocking);
    this.server = Rpc.listen(bindHost, 0, token, this);
    this.address = host + ":" + server.port();
    this.refs = new RefLifecycle(this);
    this.store = new StoreClient(this);
    this.fetcher = new ObjectFetcher(this);
    this.submitter = new TaskSubmitter(this);
    this.actors = new ActorCaller(this);
    this.lineage = new Lineage(this, Lineage.configuredMaxBytes());
    this.table.onFree =
        e -> {
          lineage.entryFreed(e);
          store.onFree(e);
          actors.onLifetimeFreed(e.id); // the last handle to an actor we created is gone
        };
    timer.scheduleWithFixedDelay(this::sendTaskCounts, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Tells this process's node its task counts, when they changed (every second). */
  private void sendTaskCounts() {
    if (!shutDown) {
      try {
        flushTaskCounts();
      } catch (RuntimeException e) {
        log.debug("task counts", e); // a periodic task that throws is never run again
      }
    }
  }

  /** Sends the task counts now if they changed (also the last time, at shutdown). */
  synchronized void flushTaskCounts() {
    Connection n = node;
    if (n != null && n.isOpen()) {
      Msg.TaskCounts t = taskCounts.snapshotIfChanged();
      if (t != null) {
        n.send(t);
      }
      Msg.TaskEvents e = taskEvents.drain();
      if (e != null) {
        n.send(e);
      }
    }
  }

  static CoreWorker current() {
    CoreWorker w = current;
    if (w == null) {
      throw new WeftException("Weft is not initialized in this process: call Weft.init() first");
    }
    return w;
  }

  static CoreWorker currentOrNull() {
    return current;
  }

  static void setCurrent(CoreWorker w) {
    current = w;
  }

  void onShutdown(Runnable r) {
    this.onShutdown = r;
  }

  public String address() {
    return address;
  }

  // ------------------------------------------------------------------ dispatch

  private final CoreDispatch dispatch = new CoreDispatch(this);

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    dispatch.onMessage(c, reqId, msg);
  }

  @Override
  public void onClose(Connection c) {
    // Peers are dropped through their close futures; submitter and actor caller watch their own.
  }

  // ------------------------------------------------------------------ objects

  @Override
  public <T> ObjectRef<T> put(T value) {
    return store.put(value);
  }

  @Override
  public <T> ObjectRef<T> putDetached(T value) {
    return store.putDetached(value);
  }

  private final ClusterKv kv = new ClusterKv(this);

  @Override
  public dev.weft.KeyValueStore kv() {
    return kv;
  }

  /** True when {@code owner}, the owner a ref names, is the control store (Weft.putDetached). */
  static boolean controlOwned(String owner) {
    return Msg.CONTROL_STORE_OWNER.equals(owner);
  }

  /**
   * A request to the owner of an object: to the process at {@code owner}, or on the control link
   * when the control store owns it (waiting while it restarts).
   */
  java.util.concurrent.CompletableFuture<Msg> callOwner(String owner, Msg m) {
    return controlOwned(owner) ? controlCall(m) : peers.peer(owner).thenCompose(c -> c.call(m));
  }

  /** A one-way message to the owner of an object; dropped if it cannot be reached now. */
  void sendToOwner(String owner, Msg m) {
    if (controlOwned(owner)) {
      ControlLink l = controlLink;
      Connection c = l == null ? null : l.ifOpen();
      if (c != null) {
        c.send(m);
      }
      return;
    }
    peers
        .peer(owner)
        .whenComplete(
            (c, err) -> {
              if (err != null) {
                log.debug("telling owner {} {}: {}", owner, m, err.toString());
              } else {
                c.send(m);
              }
            });
  }

  @Override
  public <T> T get(ObjectRef<T> ref, Duration timeout) {
    return fetcher.get(ref, timeout);
  }

  @Override
  public <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
    return fetcher.get(refs, timeout);
  }

  @Override
  public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
    return fetcher.wait(refs, numReady, timeout);
  }

  @Override
  public dev.weft.ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) {
    return fetcher.getBuffer(ref, timeout);
  }

  /**
   * Waits for {@code f} (see {@link ObjectFetcher#await}): the one way this process's threads block
   * on a result.
   */
  <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
    return fetcher.await(f, timeout, what);
  }

  /**
   * Waits for the node's answer to a short request: the waiting task keeps its CPU unless the wait
   * lasts longer than {@link #SHORT_REQUEST_GRACE_NANOS} (see {@link ObjectFetcher#await(
   * CompletableFuture, Duration, String, long)}).
   */
  <T> T awaitShortRequest(CompletableFuture<T> f, Duration timeout, String what) {
    return fetcher.await(f, timeout, what, SHORT_REQUEST_GRACE_NANOS);
  }

  static final long SHORT_REQUEST_GRACE_NANOS = 100_000_000L;

  /** The job of the code running on this thread: its task's, else this process's (a driver's). */
  int jobId() {
    TaskContext ctx = TaskContext.current();
    return ctx != null && ctx.jobId != 0 ? ctx.jobId : jobId;
  }

  // ------------------------------------------------------------------ tasks and actors

  @Override
  public List<ObjectRef<Object>> submitTask(
      Object fn, Object[] args, TaskOptions options, int numReturns) {
    checkArgsLive(args);
    List<RefImpl<?>> captured = new ArrayList<>();
    Msg.FunctionDesc d = FunctionDescriptor.describe(fn, captured);
    return submitter.submit(d, args, options, numReturns, captured);
  }

  @Override
  public <T> ActorHandle<T> createActor(Object ctor, Object[] args, ActorOptions options) {
    checkArgsLive(args);
    List<RefImpl<?>> captured = new ArrayList<>();
    Msg.FunctionDesc d = FunctionDescriptor.describe(ctor, captured);
    return actors.create(d, args, options, captured);
  }

  @Override
  public List<ObjectRef<Object>> submitActorTask(
      ActorHandle<?> actor, Object fn, Object[] args, int numReturns) {
    checkArgsLive(args);
    List<RefImpl<?>> captured = new ArrayList<>();
    Msg.FunctionDesc d = FunctionDescriptor.describe(fn, captured);
    if (actor instanceof ActorHandleImpl<?> h && h.lifetime instanceof RefImpl<?> life) {
      captured.add(life); // a pending call keeps its actor alive
    }
    return actors.call(actor.actorId(), d, args, numReturns, captured);
  }

  private static void checkArgsLive(Object[] args) {
    for (Object a : args) {
      if (a instanceof ObjectRef<?> r) {
        RefLifecycle.checkLive(r, "pass as an argument");
      }
    }
  }

  @Override
  public <T> Optional<ActorHandle<T>> getActor(String name) {
    return actors.named(name);
  }

  // ------------------------------------------------------------------ the cluster

  /** A snapshot of where the calling thread's code runs. */
  record Context(String nodeId, String jobId, String workerId) implements dev.weft.RuntimeContext {}

  @Override
  public dev.weft.RuntimeContext context() {
    String worker = executor != null ? "worker-" + workerId + "@" + nodeId : "driver-" + this.jobId;
    return new Context(nodeId, Integer.toString(jobId()), worker);
  }

  /** The cluster view of this process's node (its copy is at most ~100 ms + one delta old). */
  @Override
  public List<dev.weft.NodeInfo> nodes() {
    Msg reply =
        await(
            node().call(new Msg.GetClusterView()),
            Duration.ofSeconds(30),
            "reading the cluster view from node " + nodeId);
    if (!(reply instanceof Msg.ClusterView view)) {
      throw new WeftException(
          "node "
              + nodeId
              + " did not answer with its cluster view: "
              + (reply instanceof Msg.Failure f ? f.text() : reply));
    }
    List<dev.weft.NodeInfo> out = new ArrayList<>(view.nodes().size());
    for (Msg.NodeInfo n : view.nodes()) {
      out.add(
          new dev.weft.NodeInfo(n.nodeId(), n.address(), n.alive(), n.resources(), n.available()));
    }
    return List.copyOf(out);
  }

  // ------------------------------------------------------------------ placement groups

  @Override
  public dev.weft.PlacementGroup createPlacementGroup(
      List<java.util.Map<String, Double>> bundles, dev.weft.PlacementStrategy strategy) {
    return groups.create(bundles, strategy);
  }

  @Override
  public boolean waitPlacementGroup(dev.weft.PlacementGroup group, Duration timeout) {
    return groups.waitReady(group, timeout);
  }

  @Override
  public List<String> placementGroupNodes(dev.weft.PlacementGroup group) {
    return groups.bundleNodes(group);
  }

  @Override
  public void removePlacementGroup(dev.weft.PlacementGroup group) {
    groups.remove(group);
  }

  void killActor(ActorId id) {
    actors.kill(id);
  }

  /**
   * A request to the control store that waits while it restarts and is sent again on the new
   * connection (only idempotent requests: see ControlLink).
   */
  java.util.concurrent.CompletableFuture<Msg> controlCall(Msg m) {
    ControlLink l = controlLink;
    if (l == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new WeftException(
              "this process has no connection to the control store: is the cluster still"
                  + " running? (`weft status`)"));
    }
    return l.call(m);
  }

  /** The node manager's connection if it is open, else null: for messages that may be dropped. */
  Connection nodeIfOpen() {
    Connection c = node;
    return c != null && c.isOpen() ? c : null;
  }

  Connection node() {
    Connection c = node;
    if (c == null || !c.isOpen()) {
      throw new WeftException(
          "lost the connection to the node manager: is the cluster still running? (`weft status`)");
    }
    return c;
  }

  /** Counts for diagnostics and tests: owned objects, borrowed objects. */
  public static java.util.Map<String, Integer> localStats() {
    CoreWorker w = current;
    if (w == null) {
      return java.util.Map.of();
    }
    return java.util.Map.of("owned", w.table.size(), "borrowed", w.borrows.size());
  }

  /**
   * The local node's object store: capacity, used bytes, objects, pinned objects (diagnostics,
   * `weft memory`).
   */
  public static java.util.Map<String, Long> storeStats() {
    return current().store.stats();
  }

  /**
   * How another program reaches the cluster this process belongs to: {@code address} (the control
   * store), {@code token}, and {@code self}, this process's own address (tests and tools that start
   * a second driver on it, or talk to a worker).
   */
  public static java.util.Map<String, String> clusterAccess() {
    CoreWorker w = current();
    return java.util.Map.of(
        "address", w.controlLink.address(), "token", w.token, "self", w.address);
  }

  /**
   * How many live ref instances of an object it owns this process counts, or -1 when it no longer
   * holds the object (tests: 0 with the object still held means the Cleaner saw every instance go
   * and something else, a borrower or a containing value, keeps it).
   */
  public static int localRefCount(ObjectId id) {
    CoreWorker w = current;
    return w == null ? -1 : w.table.localRefs(id);
  }

  /** Whether this process still holds the object it owns (diagnostics and tests). */
  public static boolean ownsLive(ObjectId id) {
    CoreWorker w = current;
    return w != null && w.table.get(id) != null;
  }

  void onClusterLost(String what) {
    if (!shutDown) {
      log.error(
          "lost the connection to {}: the cluster is gone; pending tasks will not finish. Call Weft.shutdown() and init again",
          what);
    }
  }

  /** True once {@link #shutdown} began. */
  boolean isShutDown() {
    return shutDown;
  }

  @Override
  public void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    try {
      submitter.close();
    } catch (RuntimeException e) {
      log.debug("submitter close", e);
    }
    peers.closeAll();
    if (executor == null && controlLink != null) {
      // a driver: the lines its tasks printed just before their replies were sent to the control
      // store before those replies (see WorkerOutput.beforeReply); a round trip to it now comes
      // back after it forwarded them here, so the last lines are printed, not lost
      Connection c = controlLink.ifOpen();
      if (c != null) {
        try {
          c.call(new Msg.Ping()).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          log.debug("last output round trip", e);
        }
      }
    }
    try {
      flushTaskCounts(); // the node counts what this process did to its last second
    } catch (RuntimeException e) {
      log.debug("last task counts", e);
    }
    if (controlLink != null) {
      controlLink.close();
    }
    if (node != null) {
      node.close();
    }
    server.close();
    TaskExecutor ex = executor;
    if (ex != null) {
      ex.close();
    }
    timer.shutdownNow();
    store.close();
    driverOutput.close();
    if (current == this) {
      current = null;
    }
    onShutdown.run();
  }
}
