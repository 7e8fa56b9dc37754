package dev.weft.internal.core;

import static dev.weft.internal.proto.Msg.TaskStatus.ACTOR_DEAD;
import static dev.weft.internal.proto.Msg.TaskStatus.OK;
import static dev.weft.internal.proto.Msg.TaskStatus.SERIALIZATION_ERROR;
import static dev.weft.internal.proto.Msg.TaskStatus.SYSTEM_ERROR;
import static dev.weft.internal.proto.Msg.TaskStatus.USER_ERROR;

import dev.weft.ActorId;
import dev.weft.ObjectId;
import dev.weft.SerializationException;
import dev.weft.Weft;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.TaskStatus;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executing side of a worker. Normal tasks run one at a time, in arrival order, on the task
 * thread (a lease is one slot of the node's resources). The task thread is the event loop of the
 * worker's task port: owners holding a lease push tasks there, each task runs on the thread that
 * decoded it and its reply is written by that same thread, so a task costs no thread hand-off in
 * the worker (a sync round trip is bounded by wake-ups, not by work). Only tasks and their pin
 * releases use that port, so a long or blocked task delays nothing but the tasks queued behind it,
 * which would wait for the one task thread anyway. Actors hosted here each have a mailbox: one call
 * at a time in arrival order, or up to {@code maxConcurrency} at once, on virtual threads, so
 * thousands of actors can share one worker JVM.
 *
 * <p>The first {@link #OWN_PORTS_MAX} one-call-at-a-time actors of a worker also get a port of
 * their own, on a loop thread of their own, the same way: the control store hands callers that port
 * ({@code ActorInfo.callAddress}; callers move there from the worker's main port, see ActorCaller),
 * and a call that finds the mailbox idle runs on the loop thread that read it and writes its reply
 * from there, so a sync call costs no hand-off to a virtual thread (a wake-up of a carrier thread,
 * about a fifth of a sync call on a 2-CPU VM). A call that finds the mailbox busy (with a call that
 * came by the main port) waits in the mailbox as before, so the actor still runs one call at a time
 * in arrival order. A long call blocks only its own actor's port, whose calls would wait for it
 * anyway. The port closes {@link #PORT_LINGER_SECONDS} after the actor stopped: calls still in
 * flight get the actor-died reply.
 */
final class TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

  private final CoreWorker cw;
  private final ClassLoader loader;
  private final EventLoopGroup taskLoop = Rpc.dedicatedLoop("weft-task");
  private final EventExecutor taskThread = taskLoop.next();
  private final Rpc.Server taskServer;
  private final String taskAddress;

  /** Tasks queued on the task loop behind a flush (touched on the task loop thread only). */
  private int deferred;

  private final ExecutorService virtual =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual()
              .name("weft-actor-", 0)
              .inheritInheritableThreadLocals(false)
              .factory());
  private final Map<ActorId, Mailbox> actors = new ConcurrentHashMap<>();

  /** Actor ports a worker opens at most (the rest of its actors are called on its main port). */
  static final int OWN_PORTS_MAX = Integer.getInteger("weft.actor.ownPorts", 8);

  /**
   * How long an actor's port stays open after the actor stopped ({@code
   * -Dweft.actor.portLingerSeconds}, default 10).
   */
  static final int PORT_LINGER_SECONDS = Integer.getInteger("weft.actor.portLingerSeconds", 10);

  /**
   * Actor ports open or being opened (lingering ones included): a slot is reserved here before the
   * port exists, which {@link #openPorts}' size could not do atomically.
   */
  private final java.util.concurrent.atomic.AtomicInteger ownPorts =
      new java.util.concurrent.atomic.AtomicInteger();

  private final java.util.Set<ActorPort> openPorts = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  /** Refs nested in results already sent, kept alive until their owner registered (ReleasePins). */
  private final Map<ObjectId, Pins> pinnedResults = new ConcurrentHashMap<>();

  /**
   * Refs nested in a task's results, held until their owner registered as their borrower; {@code
   * from} is the connection the task came on. If it closes first (the owner died, or will never
   * send ReleasePins), nobody can register any more and the hold is dropped.
   */
  private record Pins(Connection from, List<RefImpl<?>> refs) {}

  /** Connections whose closing drops the pins of their tasks' results (see {@link Pins}). */
  private final java.util.Set<Connection> pinWatched = ConcurrentHashMap.newKeySet();

  private volatile boolean traced;

  /**
   * Open once this worker can run anything: its node's store is mapped and its ids are set. The
   * node may lease the worker as soon as it registered, so a task can arrive before the reply to
   * the registration did; it waits here (microseconds) instead of failing to read the store.
   */
  private final java.util.concurrent.CountDownLatch setUp =
      new java.util.concurrent.CountDownLatch(1);

  /** Called by WorkerMain once the store is mapped and the worker's ids are known. */
  void setUpDone() {
    setUp.countDown();
  }

  private void awaitSetUp() {
    if (setUp.getCount() == 0) {
      return;
    }
    try {
      if (!setUp.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "worker "
                + cw.address
                + " is still setting up after 60 s (mapping its node's object store); see its log");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the worker sets up", e);
    }
  }

  TaskExecutor(CoreWorker cw, ClassLoader loader) {
    this.cw = cw;
    this.loader = loader;
    this.taskServer = Rpc.listen(cw.bindHost, 0, cw.token, cw, taskLoop);
    this.taskAddress = cw.host + ":" + taskServer.port();
  }

  /** Stops taking tasks (at shutdown). */
  void close() {
    closed = true;
    for (ActorPort p : openPorts) {
      closePort(p);
    }
    taskServer.close();
    taskLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * Runs {@code r} on the task thread once the tasks queued there now are done (a revoked lease:
   * the node takes the worker back then).
   */
  void afterQueuedTasks(Runnable r) {
    taskThread.execute(r);
  }

  /**
   * The tasks of each lease granted on the main port that wait behind the one it runs (guarded by
   * itself); a lease is here while it has a task running.
   */
  private final Map<Long, java.util.ArrayDeque<Runnable>> leaseQueues = new java.util.HashMap<>();

  /**
   * Runs {@code task} of main-port lease {@code leaseId} on a virtual thread once the lease's
   * earlier tasks are done: the owner pipelines short tasks on a lease, and a lease is one slot of
   * the node's CPUs, so they must not all run at once.
   */
  private void runInLease(long leaseId, Runnable task) {
    synchronized (leaseQueues) {
      java.util.ArrayDeque<Runnable> q = leaseQueues.get(leaseId);
      if (q != null) {
        q.add(task); // the lease's running task's thread runs it next
        return;
      }
      leaseQueues.put(leaseId, new java.util.ArrayDeque<>());
    }
    virtual.execute(
        () -> {
          Runnable next = task;
          while (next != null) {
            try {
              next.run();
            } catch (RuntimeException | Error e) {
              log.error("a task of lease {} failed outside its own error handling", leaseId, e);
            }
            synchronized (leaseQueues) {
              next = leaseQueues.get(leaseId).poll();
              if (next == null) {
                leaseQueues.remove(leaseId);
              }
            }
          }
        });
  }

  /** Where leased owners push tasks (see the class comment). */
  String taskAddress() {
    return taskAddress;
  }

  void onPushTask(Connection c, long reqId, Msg.PushTask push) {
    Msg.TaskSpec spec = push.spec();
    if (spec.actorHi() == 0 && spec.actorLo() == 0) {
      TaskContext ctx = new TaskContext(push.jobId(), push.leaseId());
      Runnable task =
          () -> {
            if (!c.isOpen()) {
              return; // its owner is gone: nobody can take the result (its lease is revoked)
            }
            TaskContext.enter(ctx);
            try {
              reply(c, reqId, run(spec, null, c));
            } finally {
              TaskContext.enter(null);
            }
          };
      if (taskThread.inEventLoop() && deferred == 0 && c.isWritable()) {
        task.run(); // arrived on the task port: run it here
      } else if (taskThread.inEventLoop()) {
        // replies still wait for the socket: let the loop flush them before the next task runs
        // (and keep arrival order: what comes after a deferred task is deferred too)
        deferred++;
        taskThread.execute(
            () -> {
              deferred--;
              task.run();
            });
      } else {
        // Pushed to the main port: a lease the node granted on this worker beside its task port's
        // (while the tasks of that one wait in get, or up to tasksPerWorker leases at once). Its
        // tasks run on a virtual thread, so a recursion of blocking tasks needs no worker per
        // level, one at a time in arrival order like the task port's: a lease is one CPU.
        runInLease(push.leaseId(), task);
      }
      return;
    }
    Mailbox mb = actors.get(new ActorId(spec.actorHi(), spec.actorLo()));
    if (mb == null || mb.stopped) {
      c.reply(
          reqId,
          new Msg.TaskReply(
              spec.taskHi(),
              spec.taskLo(),
              ACTOR_DEAD,
              List.of(),
              mb != null && mb.stopReason != null
                  ? mb.stopReason
                  : "actor "
                      + new ActorId(spec.actorHi(), spec.actorLo())
                      + " is not hosted by worker "
                      + cw.address
                      + " (it was killed, or its worker restarted)",
              null,
              List.of()));
      return;
    }
    Runnable call =
        () -> {
          TaskContext.enter(mb.context);
          try {
            reply(
                c,
                reqId,
                mb.stopped
                    ? new Msg.TaskReply(
                        spec.taskHi(),
                        spec.taskLo(),
                        ACTOR_DEAD,
                        List.of(),
                        mb.stopReason,
                        null,
                        List.of())
                    : run(spec, mb.instance, c));
          } finally {
            TaskContext.enter(null);
          }
        };
    ActorPort port = mb.port;
    if (port != null
        && port.thread.inEventLoop()
        && c.isWritable()
        && port.thread.pendingTasks() == 0) {
      // (a pending task may be the write of a reply of a call that ran on a virtual thread: a call
      // run here now would hold it back, and might wait for it)
      mb.runHere(call); // arrived on the actor's own port: run it on this thread if it is idle
    } else {
      mb.submit(call);
    }
  }

  /**
   * Sends a task's or an actor call's reply, unless this worker's Weft runtime is shut down or
   * shutting down (its process exits: its node stopped it, or a task called {@code
   * Weft.shutdown()}). A failure then is the worker's, not the task's (user code that called Weft
   * found it gone): the connection is closed instead of answered, so the owner retries the task as
   * for a worker that died, and the process exits (a worker without its runtime cannot run tasks).
   */
  private void reply(Connection c, long reqId, Msg.TaskReply r) {
    if (Weft.isInitialized() && !cw.isShutDown()) {
      c.reply(reqId, r);
      return;
    }
    if (r.status() == OK) {
      c.reply(reqId, r);
    } else {
      log.warn(
          "task {} failed while this worker's Weft runtime shut down ({}): not answered, so its"
              + " owner retries it",
          r.taskLo(),
          r.reason() != null ? r.reason() : r.status());
      c.close();
    }
    ProcessLauncher.exitNow("this worker's Weft runtime was shut down");
  }

  /** Runs one task or actor call and builds its reply. Never throws. */
  private Msg.TaskReply run(Msg.TaskSpec spec, Object actor, Connection from) {
    TaskCounters.Counts counts = cw.taskCounts.started(spec.name());
    TaskContext ctx = TaskContext.current();
    TaskEventLog.Running event = cw.taskEvents.started(spec, ctx == null ? 0 : ctx.jobId);
    Msg.TaskReply r = null;
    try {
      r = execute(spec, actor, from);
      return r;
    } finally {
      cw.taskCounts.ended(counts, r != null && r.status() == OK);
      cw.taskEvents.ended(event, r);
      WorkerOutput.beforeReply();
    }
  }

  private Msg.TaskReply execute(Msg.TaskSpec spec, Object actor, Connection from) {
    if (StartupTrace.ON && !traced) {
      traced = true;
      StartupTrace.mark("worker: first task " + spec.name());
    }
    FunctionDescriptor.Invocable fn;
    Object[] args;
    try {
      awaitSetUp();
      fn = FunctionDescriptor.resolve(spec.fn(), loader, this::decodeCaptured);
      args = decodeArgs(spec.args(), spec.name());
    } catch (SerializationException e) {
      return error(spec, SERIALIZATION_ERROR, e);
    } catch (RuntimeException e) {
      return error(spec, SYSTEM_ERROR, e);
    }
    Object result;
    try {
      result = fn.invoke(actor, args);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
        log.error("fatal error in task {}", spec.name(), t);
      }
      return error(spec, USER_ERROR, t);
    }
    try {
      List<byte[]> out;
      List<RefImpl<?>> nested = new ArrayList<>();
      if (spec.numReturns() == 0) {
        out =
            java.util.Collections.singletonList(
                resultBytes(spec, 0, result, "the result of " + spec.name(), nested));
      } else {
        if (!(result instanceof List<?> list) || list.size() != spec.numReturns()) {
          return error(
              spec,
              USER_ERROR,
              new IllegalStateException(
                  spec.name()
                      + " was called with remoteEach("
                      + spec.numReturns()
                      + ") and must return a List of exactly "
                      + spec.numReturns()
                      + " elements, but returned "
                      + (result instanceof List<?> l
                          ? "a List of " + l.size()
                          : result == null ? "null" : "a " + result.getClass().getName())));
        }
        out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          out.add(
              resultBytes(
                  spec,
                  i,
                  list.get(i),
                  "element " + i + " of the result of " + spec.name(),
                  nested));
        }
      }
      List<Msg.Arg> nestedRefs = List.of();
      if (!nested.isEmpty()) {
        // keep these refs alive until the results' owner has registered as their borrower
        pinnedResults.put(new ObjectId(spec.taskHi(), spec.taskLo()), new Pins(from, nested));
        if (pinWatched.add(from)) {
          from.closeFuture().thenRun(() -> dropPinsOf(from));
        }
        nestedRefs = new ArrayList<>(nested.size());
        for (RefImpl<?> r : nested) {
          nestedRefs.add(new Msg.Arg(null, r.id().hi(), r.id().lo(), r.ownerAddress()));
        }
      }
      return new Msg.TaskReply(
          spec.taskHi(),
          spec.taskLo(),
          OK,
          out,
          null,
          null,
          nestedRefs,
          out.contains(null) ? cw.store.here() : null); // large returns stay in this node's store
    } catch (SerializationException e) {
      return error(spec, SERIALIZATION_ERROR, e);
    } catch (RuntimeException e) {
      // e.g. ObjectStoreFullException: the call fails, the worker (and an actor's mailbox) goes on
      return error(spec, USER_ERROR, e);
    }
  }

  /**
   * A result's inline bytes, or null when it was written into the node's store (large results stay
   * here).
   */
  private byte[] resultBytes(
      Msg.TaskSpec spec, int i, Object value, String what, List<RefImpl<?>> nested) {
    ObjectId id = new ObjectId(spec.returnHi(), spec.firstReturnLo() + i);
    OwnershipTable.Stored s = cw.store.storeValue(id, spec.ownerAddress(), value, what, nested);
    return s.inStore() ? null : s.value();
  }

  /** A lambda's captured values: refs among them are borrowed before the call runs. */
  private Object decodeCaptured(byte[] bytes) {
    return cw.refs.deserialize(bytes, "the values captured by a lambda");
  }

  private Object[] decodeArgs(List<Msg.Arg> in, String name) {
    Object[] args = new Object[in.size()];
    for (int i = 0; i < args.length; i++) {
      Msg.Arg a = in.get(i);
      args[i] =
          a.value() != null
              ? cw.refs.deserialize(a.value(), "argument " + i + " of " + name)
              : cw.store.reads.readFromStore(
                  new ObjectId(a.refHi(), a.refLo()),
                  a.refOwner(),
                  null,
                  Msg.PULL_FOR_ARGUMENT,
                  "argument " + i + " of " + name); // in place; pulled to this node if missing
    }
    return args;
  }

  private Msg.TaskReply error(Msg.TaskSpec spec, TaskStatus status, Throwable t) {
    return new Msg.TaskReply(
        spec.taskHi(), spec.taskLo(), status, List.of(), null, Serde.describeError(t), List.of());
  }

  // ------------------------------------------------------------------ actors

  void startActor(Connection c, long reqId, Msg.StartActor s) {
    Msg.ActorSpec spec = s.spec();
    ActorId id = new ActorId(spec.actorHi(), spec.actorLo());
    virtual.execute(
        () -> {
          Mailbox mb = null;
          try {
            awaitSetUp();
            String cls = spec.className();
            TaskContext ctx =
                new TaskContext(
                    spec.jobId(),
                    0,
                    cls.substring(Math.max(cls.lastIndexOf('.'), cls.lastIndexOf('$')) + 1));
            TaskContext.enter(ctx); // what the constructor creates belongs to the actor's job
            FunctionDescriptor.Invocable ctor =
                FunctionDescriptor.resolve(spec.ctor(), loader, this::decodeCaptured);
            Object[] args = decodeArgs(spec.args(), "constructor of " + spec.className());
            Object instance = ctor.invoke(null, args);
            mb = new Mailbox(instance, spec.maxConcurrency(), ctx);
            if (mb.serial) {
              mb.port = openPort(ctx.output.source());
            }
            actors.put(id, mb);
            c.reply(
                reqId,
                new Msg.ActorInfo(
                    id.hi(),
                    id.lo(),
                    spec.name(),
                    spec.className(),
                    Msg.ActorState.ALIVE,
                    cw.address,
                    s.incarnation(),
                    null,
                    spec.maxConcurrency(),
                    spec.maxTaskRetries(),
                    spec.ownerAddress(),
                    cw.nodeId,
                    mb.port == null ? null : mb.port.address));
          } catch (Throwable t) {
            if (mb != null) {
              actors.remove(id, mb);
              mb.closePort();
            }
            c.replyFailure(
                reqId,
                "the constructor of actor "
                    + spec.className()
                    + " threw "
                    + t.getClass().getName()
                    + ": "
                    + t.getMessage()
                    + "\n"
                    + Serde.stackTrace(t));
          }
        });
  }

  void releasePins(long taskHi, long taskLo) {
    // the owner holds the refs nested in the results now: drop this process's copies at once
    Pins p = pinnedResults.remove(new ObjectId(taskHi, taskLo));
    if (p != null) {
      RefLifecycle.releaseHeld(p.refs());
    }
  }

  /** The connection of these tasks closed: their results' owner will never register. */
  private void dropPinsOf(Connection from) {
    pinWatched.remove(from);
    for (Map.Entry<ObjectId, Pins> e : pinnedResults.entrySet()) {
      if (e.getValue().from() == from && pinnedResults.remove(e.getKey(), e.getValue())) {
        RefLifecycle.releaseHeld(e.getValue().refs());
      }
    }
  }

  void stopActor(Msg.StopActor s) {
    Mailbox mb = actors.remove(new ActorId(s.actorHi(), s.actorLo()));
    if (mb != null) {
      mb.stopReason = s.reason();
      mb.stopped = true;
      ActorPort p = mb.port;
      if (p != null) {
        // calls already on their way get the actor-died reply; later callers ask the control store
        // (on the timer: the port's own loop may be stuck in the call that got the actor killed)
        try {
          cw.timer.schedule(
              mb::closePort, PORT_LINGER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
          mb.closePort();
        }
      }
    }
  }

  /** Closes an actor's port (once: later calls do nothing) and gives its slot back. */
  private void closePort(ActorPort p) {
    if (openPorts.remove(p)) {
      try {
        p.server().close();
      } catch (RuntimeException e) {
        log.debug("closing an actor port", e);
      } finally {
        p.loop().shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        ownPorts.decrementAndGet();
      }
    }
  }

  /** An actor's own port and the loop thread that reads it and runs the actor's calls. */
  private record ActorPort(
      EventLoopGroup loop,
      io.netty.util.concurrent.SingleThreadEventExecutor thread,
      Rpc.Server server,
      String address) {}

  /** A port of its own for an actor, or null once this worker has {@link #OWN_PORTS_MAX}. */
  private ActorPort openPort(String actorName) {
    if (closed || ownPorts.incrementAndGet() > OWN_PORTS_MAX) {
      ownPorts.decrementAndGet();
      return null;
    }
    EventLoopGroup loop = null;
    try {
      loop = Rpc.dedicatedLoop("weft-actor-port-" + actorName);
      Rpc.Server server = Rpc.listen(cw.bindHost, 0, cw.token, cw, loop);
      ActorPort p =
          new ActorPort(
              loop,
              (io.netty.util.concurrent.SingleThreadEventExecutor) loop.next(),
              server,
              cw.host + ":" + server.port());
      openPorts.add(p);
      if (closed) {
        closePort(p); // shut down meanwhile
        return null;
      }
      return p;
    } catch (Throwable e) {
      // the actor is served on the main port instead: slower, same calls
      log.warn(
          "actor {} gets no port of its own ({}); its calls come by the worker's port",
          actorName,
          e.toString());
      if (loop != null) {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
      }
      ownPorts.decrementAndGet();
      return null;
    }
  }

  /** Runs an actor's calls: in order one at a time, or up to maxConcurrency at once. */
  private final class Mailbox {
    final Object instance;
    final TaskContext context;
    final Semaphore permits;
    final boolean serial;
    final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean();
    volatile boolean stopped;
    volatile String stopReason;

    /** The actor's own port (serial actors, up to {@link #OWN_PORTS_MAX}); null: none. */
    volatile ActorPort port;

    Mailbox(Object instance, int maxConcurrency, TaskContext context) {
      this.instance = instance;
      this.context = context;
      this.serial = maxConcurrency <= 1;
      this.permits = new Semaphore(Math.max(1, maxConcurrency));
    }

    void submit(Runnable r) {
      if (!serial) {
        virtual.execute(
            () -> {
              permits.acquireUninterruptibly();
              try {
                r.run();
              } finally {
                permits.release();
              }
            });
        return;
      }
      queue.add(r);
      if (running.compareAndSet(false, true)) {
        virtual.execute(this::drain);
      }
    }

    /**
     * Runs {@code r} on this thread (the actor port's loop) if no call runs or waits; else queues
     * it behind them.
     */
    void runHere(Runnable r) {
      if (!queue.isEmpty() || !running.compareAndSet(false, true)) {
        submit(r);
        return;
      }
      try {
        runOne(r);
      } finally {
        running.set(false);
        // a call queued meanwhile (it came by the main port) is run by a drain, as submit does
        if (!queue.isEmpty() && running.compareAndSet(false, true)) {
          virtual.execute(this::drain);
        }
      }
    }

    private static void runOne(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException | Error e) {
        log.error("an actor call failed outside user code; the actor goes on", e);
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
      }
    }

    void closePort() {
      ActorPort p = port;
      if (p != null) {
        TaskExecutor.this.closePort(p);
      }
    }

    private void drain() {
      while (true) {
        Runnable r;
        while ((r = queue.poll()) != null) {
          runOne(r);
        }
        running.set(false);
        if (queue.isEmpty() || !running.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }
}
