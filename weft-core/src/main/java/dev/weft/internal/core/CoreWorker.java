package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.GetTimeoutException;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.WaitResult;
import dev.weft.WeftException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.core.OwnershipTable.Stored;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li>Threads: Netty event loops deliver messages and must never block; anything that may block
 *       (user code, connecting, long polls) runs on the virtual-thread executor {@link #blocking}
 *       or on the worker's task thread. Callers of the public API block in {@link #await}.
 *   <li>A task's thread that blocks in {@code get} tells its node manager (WorkerBlocked) so the
 *       CPU it holds can go to another task; nested task trees therefore finish on any number of
 *       CPUs.
 *   <li>Object values travel inline (serialized bytes in messages); large objects through the
 *       shared-memory store are the object-store work (issue 3).
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
  final Rpc.Server server;
  final String address;
  final OwnershipTable table = new OwnershipTable(processHi);
  final ExecutorService blocking =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-v-", 0).factory());
  final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weft-timer").factory());
  final Peers peers;
  final TaskSubmitter submitter;
  final ActorCaller actors;
  final BorrowTable borrows = new BorrowTable(this);
  final RefLifecycle refs;
  final StoreClient store;
  volatile TaskExecutor executor;
  volatile Connection control;
  volatile Connection node;
  volatile long workerId;
  volatile int jobId;
  volatile String classpath = System.getProperty("java.class.path");
  volatile List<String> jvmOptions = List.of();
  private volatile Runnable onShutdown = () -> {};
  private volatile boolean shutDown;

  CoreWorker(String host, String token) {
    this.host = host;
    this.token = token;
    this.peers = new Peers(token, this, blocking);
    this.server = Rpc.listen(host, 0, token, this);
    this.address = host + ":" + server.port();
    this.refs = new RefLifecycle(this);
    this.store = new StoreClient(this);
    this.submitter = new TaskSubmitter(this);
    this.actors = new ActorCaller(this);
    this.table.onFree =
        e -> {
          store.onFree(e);
          actors.onLifetimeFreed(e.id); // the last handle to an actor we created is gone
        };
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

  // ------------------------------------------------------------------ connections

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.PushTask p -> {
        TaskExecutor ex = executor;
        if (ex != null) {
          ex.onPushTask(c, reqId, p);
          return;
        }
        {
          c.reply(
              reqId,
              new Msg.TaskReply(
                  p.spec().taskHi(),
                  p.spec().taskLo(),
                  2,
                  List.of(),
                  null,
                  "process " + address + " is a driver and runs no tasks",
                  List.of()));
        }
      }
      case Msg.GetObject g -> serveObject(c, reqId, g);
      case Msg.CollectGarbage g ->
          blocking.execute(store::collectForStore); // the store is short: notice dropped refs now
      case Msg.ListObjects l ->
          c.reply(reqId, new Msg.ObjectList(address, table.size(), table.describe(l.max())));
      case Msg.AddBorrower a -> refs.onAddBorrower(c, reqId, a);
      case Msg.RemoveBorrower r -> refs.onRemoveBorrower(c, reqId, r);
      case Msg.ReleasePins p -> {
        TaskExecutor ex = executor;
        if (ex != null) {
          ex.releasePins(p.taskHi(), p.taskLo());
        }
      }
      case Msg.StartActor s -> {
        TaskExecutor ex = executor;
        if (ex == null) {
          c.replyFailure(reqId, "process " + address + " cannot host actors");
        } else {
          ex.startActor(c, reqId, s);
        }
      }
      case Msg.RevokeLease r -> {
        TaskExecutor ex = executor;
        if (ex == null) {
          c.reply(reqId, new Msg.Ack());
        } else {
          ex.afterQueuedTasks(() -> c.reply(reqId, new Msg.Ack()));
        }
      }
      case Msg.StopActor s -> {
        TaskExecutor ex = executor;
        if (ex != null) {
          ex.stopActor(s);
        }
        c.reply(reqId, new Msg.Ack());
      }
      case Msg.Shutdown s -> {
        log.info("shutdown requested: {}", s.reason());
        c.reply(reqId, new Msg.Ack());
        blocking.execute(() -> System.exit(0));
      }
      default ->
          c.replyFailure(
              reqId,
              "unexpected message "
                  + msg.getClass().getSimpleName()
                  + " at core worker "
                  + address);
    }
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
  public dev.weft.ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) {
    Stored s =
        await(
            storedAsync(ref, timeout == null ? 0 : Math.max(1, timeout.toMillis())),
            timeout,
            "getBuffer of object " + ref.id());
    if (s == null) {
      throw new GetTimeoutException("getBuffer of object " + ref.id() + " timed out");
    }
    if (s.failed()) {
      throw Errors.toException(s.error());
    }
    if (s.inStore()) {
      return store.view(ref.id());
    }
    Object v = valueOf(ref, s);
    java.lang.foreign.MemorySegment seg =
        switch (v) {
          case byte[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case short[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case char[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case int[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case long[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case float[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case double[] a -> java.lang.foreign.MemorySegment.ofArray(a);
          case java.nio.ByteBuffer b -> java.lang.foreign.MemorySegment.ofBuffer(b);
          case null, default ->
              throw new IllegalArgumentException(
                  "object "
                      + ref.id()
                      + " is a "
                      + (v == null ? "null" : v.getClass().getName())
                      + ", not binary: getBuffer is for byte[], ByteBuffer and primitive-array values (use Weft.get)");
        };
    // a copy (a primitive array's elements in native order), which closes with the view
    return Views.ofHeap("object " + ref.id(), seg);
  }

  /** The stored form of any ref: from the table if we own it, else from its owner. */
  CompletableFuture<Stored> storedAsync(ObjectRef<?> ref, long timeoutMillis) {
    RefLifecycle.checkLive(ref, "read");
    if (ref.ownerAddress().equals(address)) {
      OwnershipTable.Entry e = table.get(ref.id());
      if (e == null) {
        return CompletableFuture.completedFuture(
            new Stored(
                null,
                new ErrorInfo(
                    ErrorInfo.OBJECT_LOST,
                    "object "
                        + ref.id()
                        + " is no longer in its owner "
                        + address
                        + ": every reference to it was dropped before this get (keep a reference while you need the object)",
                    null)));
      }
      return e.ready;
    }
    return peers
        .peer(ref.ownerAddress())
        .thenCompose(c -> c.call(new Msg.GetObject(ref.id().hi(), ref.id().lo(), timeoutMillis)))
        .handle(
            (m, err) -> {
              if (err != null) {
                return new Stored(
                    null,
                    new ErrorInfo(
                        ErrorInfo.OWNER_DIED,
                        "the owner of object "
                            + ref.id()
                            + " (process "
                            + ref.ownerAddress()
                            + ") is unreachable: "
                            + Serde.rootMessage(err)
                            + ". Objects share their owner's fate: recreate the object from a live process",
                        null));
              }
              if (m instanceof Msg.ObjectReply r) {
                return switch (r.status()) {
                  case 0 -> new Stored(r.value(), null);
                  case 4 -> new Stored(null, null, true);
                  case 1 -> new Stored(null, Errors.decodeError(r.error(), r.errorText()));
                  case 3 -> null; // timed out at the owner: caller decides
                  default ->
                      new Stored(
                          null,
                          new ErrorInfo(
                              ErrorInfo.OBJECT_LOST,
                              "object "
                                  + ref.id()
                                  + " is unknown to its owner "
                                  + ref.ownerAddress()
                                  + " (freed after its last reference was dropped)",
                              null));
                };
              }
              return new Stored(
                  null, new ErrorInfo(ErrorInfo.OBJECT_LOST, "bad reply from owner: " + m, null));
            });
  }

  private void serveObject(Connection c, long reqId, Msg.GetObject g) {
    OwnershipTable.Entry e = table.get(new ObjectId(g.hi(), g.lo()));
    if (e == null) {
      c.reply(reqId, new Msg.ObjectReply(2, null, null, null));
      return;
    }
    CompletableFuture<Stored> f = e.ready;
    if (g.timeoutMillis() > 0 && !f.isDone()) {
      f = f.copy().orTimeout(g.timeoutMillis(), TimeUnit.MILLISECONDS);
    }
    f.whenComplete(
        (s, err) -> {
          if (err != null) {
            c.reply(reqId, new Msg.ObjectReply(3, null, null, null));
          } else if (s.failed()) {
            Errors.EncodedError ee = Errors.encodeError(s.error());
            c.reply(reqId, new Msg.ObjectReply(1, null, ee.bytes(), ee.text()));
          } else if (s.inStore()) {
            c.reply(
                reqId, new Msg.ObjectReply(4, null, null, null)); // read it from your node's store
          } else {
            c.reply(reqId, new Msg.ObjectReply(0, s.value(), null, null));
          }
        });
  }

  @SuppressWarnings("unchecked")
  <T> T valueOf(ObjectRef<?> ref, Stored s) {
    if (s.failed()) {
      throw Errors.toException(s.error());
    }
    if (s.inStore()) {
      return (T) store.readFromStore(ref.id(), "object " + ref.id());
    }
    return (T) refs.deserialize(s.value(), "object " + ref.id());
  }

  @Override
  public <T> T get(ObjectRef<T> ref, Duration timeout) {
    long tm = timeout == null ? 0 : Math.max(1, timeout.toMillis());
    Stored s = await(storedAsync(ref, tm), timeout, "get of object " + ref.id());
    if (s == null) {
      throw new GetTimeoutException(
          "get of object "
              + ref.id()
              + " timed out after "
              + timeout.toMillis()
              + " ms: the task making it is still pending or running (wait longer, or check `weft status`)");
    }
    return valueOf(ref, s);
  }

  @Override
  public <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<Stored>> fs = new ArrayList<>(refs.size());
    long tm = timeout == null ? 0 : Math.max(1, timeout.toMillis());
    for (ObjectRef<T> r : refs) {
      fs.add(storedAsync(r, tm));
    }
    List<T> out = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      Duration left =
          timeout == null ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Stored s = await(fs.get(i), left, "get of object " + refs.get(i).id());
      if (s == null) {
        throw new GetTimeoutException(
            "get of "
                + refs.size()
                + " objects timed out after "
                + timeout.toMillis()
                + " ms waiting for object "
                + refs.get(i).id()
                + " (index "
                + i
                + ")");
      }
      out.add(valueOf(refs.get(i), s));
    }
    return out;
  }

  @Override
  public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
    List<CompletableFuture<Stored>> fs = new ArrayList<>(refs.size());
    CompletableFuture<Void> enough = new CompletableFuture<>();
    AtomicInteger done = new AtomicInteger();
    if (numReady == 0) {
      enough.complete(null);
    }
    for (ObjectRef<T> r : refs) {
      CompletableFuture<Stored> f = storedAsync(r, Math.max(1, timeout.toMillis()));
      fs.add(f);
      f.whenComplete(
          (s, e) -> {
            if (s != null && done.incrementAndGet() >= numReady) {
              enough.complete(null);
            }
          });
    }
    try {
      await(enough, timeout, "wait");
    } catch (GetTimeoutException e) {
      // timeout: report what is ready now
    }
    List<ObjectRef<T>> ready = new ArrayList<>();
    List<ObjectRef<T>> unready = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      CompletableFuture<Stored> f = fs.get(i);
      boolean isReady = f.isDone() && !f.isCompletedExceptionally() && f.join() != null;
      (isReady && ready.size() < numReady ? ready : unready).add(refs.get(i));
    }
    return new WaitResult<>(ready, unready);
  }

  /**
   * The value as a future. It completes on a virtual thread of this process, never on an event
   * loop: reading the value may pin it in the store (a wait), and users' callbacks may block.
   */
  CompletableFuture<?> toFuture(ObjectRef<?> ref) {
    return storedAsync(ref, 0).thenApplyAsync(s -> valueOf(ref, s), blocking);
  }

  /**
   * Waits for {@code f}; a task thread that must wait tells its node manager it is blocked so the
   * CPU it holds can run other work meanwhile.
   */
  /**
   * How long a platform thread that must wait for a result first spins before it parks. A small
   * remote call answers in tens of microseconds, about what parking and being woken costs, so a
   * short spin saves a sync caller the futex round trip; a longer wait loses at most this much CPU.
   * Off on one CPU, where the spinner would hold the core the answer needs. Virtual threads never
   * spin (they would hold a carrier).
   */
  static final long SPIN_NANOS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Long.getLong("weft.getSpinMicros", 50) * 1000
          : 0;

  <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
    // spin first: a fast answer then costs neither a park nor telling the node we are blocked
    if (SPIN_NANOS > 0 && !f.isDone() && !Thread.currentThread().isVirtual()) {
      long until = System.nanoTime() + SPIN_NANOS;
      while (!f.isDone() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
    TaskContext ctx = TaskContext.current();
    boolean notify = !f.isDone() && ctx != null && ctx.leaseId != 0 && node != null;
    if (notify && ctx.blockedDepth++ == 0) {
      node.send(new Msg.WorkerBlocked(workerId, ctx.leaseId));
    }
    try {
      return timeout == null
          ? f.get()
          : f.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new GetTimeoutException(what + " timed out after " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException(what + " was interrupted");
    } catch (ExecutionException | CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof WeftException we) {
        throw we;
      }
      throw new WeftException(what + " failed: " + Serde.rootMessage(c), c);
    } finally {
      if (notify && --ctx.blockedDepth == 0) {
        node.send(new Msg.WorkerUnblocked(workerId, ctx.leaseId));
      }
    }
  }

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

  void killActor(ActorId id) {
    actors.kill(id);
  }

  Connection control() {
    Connection c = control;
    if (c == null || !c.isOpen()) {
      throw new WeftException(
          "lost the connection to the control store: is the cluster still running? (`weft status`)");
    }
    return c;
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
    return java.util.Map.of("address", w.control().peer(), "token", w.token, "self", w.address);
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
    if (control != null) {
      control.close();
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
    if (current == this) {
      current = null;
    }
    onShutdown.run();
  }
}
