package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submits normal tasks the ownership way: the owner resolves the arguments, leases workers from its
 * node manager for each resource shape, and pushes tasks straight to the leased workers, reusing a
 * lease for a stream of tasks of the same shape and returning it after {@link #LEASE_IDLE_MS} idle.
 *
 * <p>Pipelining: an idle lease always gets the next task. Tasks are queued behind a busy one only
 * when the backlog is deep, and only as deep as the shape's tasks are short ({@link
 * KeyState#pipelineDepth()}: up to {@link #MAX_IN_FLIGHT} for tasks much shorter than a round trip
 * costs, none for long ones), so bursts of tiny tasks hide the round trip while long tasks still
 * spread over all CPUs: a burst of long tasks piled on the first lease granted would leave the
 * leases granted after it idle at the end (SPREAD tasks never queue behind a busy lease: each asks
 * for a lease of its own, so they spread over the nodes). Each shape has at most one lease request
 * in flight. Which node grants it is {@link LeaseRequester}'s business (spillback between nodes); a
 * shape is the resources, the job, and, when not DEFAULT, the strategy and the node holding the
 * task's large arguments (locality), so leases are reused only by tasks that may run where they
 * were granted.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  submit: arguments resolved ({@link ArgResolver}), the task queued under its shape
 *  owner ──RequestLease(shape)──▶ NM ──▶ LeaseGranted(worker) | LeaseSpillback (LeaseRequester)
 *  owner ──PushTask(spec)──▶ leased worker ──TaskReply──▶ owner ({@link TaskReplies#complete})
 *     a lost worker or a retryable failure: the task is queued again with the next attempt
 *  owner ──ReturnLease──▶ granting NM (one-way), after {@link #LEASE_IDLE_MS} idle or at close
 * </pre>
 *
 * Threads: all state of a shape is guarded by its {@link KeyState} monitor; replies arrive on event
 * loops and only touch that state and the ownership table.
 */
final class TaskSubmitter {
  static final int MAX_IN_FLIGHT = Integer.getInteger("weft.maxTasksInFlightPerWorker", 16);
  static final int PIPELINE_BACKLOG = 4;

  /** Tasks at least this long (as the owner sees them) never queue behind a busy lease. */
  static final long LONG_TASK_NANOS = 20_000_000L;

  /** Tasks at least this long queue one deep: enough to hide the round trip. */
  static final long SHORT_TASK_NANOS = 1_000_000L;

  static final long LEASE_IDLE_MS = Long.getLong("weft.leaseIdleMillis", 200);
  static final int MAX_LEASES_PER_SHAPE = 1024;

  private final CoreWorker cw;
  final LeaseRequester leasing;
  private final AtomicLong nextTaskLo = new AtomicLong(1);
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();

  /**
   * The clock that times tasks (push to reply) for {@link KeyState#pipelineDepth()}; tests set one
   * they move forward, before their first submit, instead of sleeping through a long task.
   */
  java.util.function.LongSupplier taskClock = System::nanoTime;

  /** Every shape's state (for tests). */
  java.util.Collection<KeyState> keyStates() {
    return keys.values();
  }

  TaskSubmitter(CoreWorker cw) {
    this.cw = cw;
    this.leasing = new LeaseRequester(cw);
  }

  static final class PendingTask {
    Msg.TaskSpec spec;
    final TaskOptions options;
    int retriesLeft;
    final Object[] keepAlive;

    /** When it was pushed to its lease. */
    long dispatchedNanos;

    /** The lineage record whose results this run makes again (null: a first run). */
    Lineage.Record rebuildOf;

    PendingTask(Msg.TaskSpec spec, TaskOptions options, Object[] keepAlive) {
      this.spec = spec;
      this.options = options;
      this.retriesLeft = options.maxRetries();
      this.keepAlive = keepAlive;
    }
  }

  static final class Lease {
    final long leaseId;
    final String address;
    final Connection conn;

    /** The node manager that granted it: the lease is returned there. */
    final Connection node;

    /** That node when it is not this process's own (where large results stay), else null. */
    final LeaseRequester.Target where;

    int inFlight;
    boolean dead;

    /** When {@link #inFlight} last dropped to 0. */
    long idleSinceNanos;

    /** When its last task's reply came. */
    long lastDoneNanos;

    /**
     * The check that returns the lease once idle long enough; armed when the lease goes idle and no
     * check is pending, never cancelled (a task in between only makes it look again later): a
     * stream of sync tasks costs the timer thread nothing per task.
     */
    ScheduledFuture<?> idleTimer;

    Lease(
        long leaseId,
        String address,
        Connection conn,
        Connection node,
        LeaseRequester.Target where) {
      this.leaseId = leaseId;
      this.address = address;
      this.conn = conn;
      this.node = node;
      this.where = where;
    }
  }

  final class KeyState {
    final String shape;

    /** The resources and job part of the shape, before strategy and locality. */
    final String baseShape;

    final Map<String, Double> resources;
    final ArrayDeque<PendingTask> queue = new ArrayDeque<>();
    final List<Lease> leases = new ArrayList<>();
    final int jobId;
    final Msg.Scheduling scheduling;

    /** The node asked first (locality), or null for this process's node. */
    final LeaseRequester.Target first;

    int leaseRequests;

    /**
     * A moving average of how long this shape's tasks take, from push (or the previous reply on the
     * same lease, when it was queued behind one) to reply; -1 until one has finished.
     */
    long taskNanosAvg = -1;

    /** Most tasks in flight on one lease, by how long this shape's tasks take. */
    int pipelineDepth() {
      if (taskNanosAvg < 0) {
        return Math.min(2, MAX_IN_FLIGHT); // not known yet: a burst may be long tasks
      }
      if (taskNanosAvg >= LONG_TASK_NANOS) {
        return 1;
      }
      return taskNanosAvg >= SHORT_TASK_NANOS ? Math.min(2, MAX_IN_FLIGHT) : MAX_IN_FLIGHT;
    }

    /** Times a task whose reply came at {@code replyAt} on lease {@code l}. */
    void finished(Lease l, PendingTask t, long replyAt) {
      long took = replyAt - Math.max(t.dispatchedNanos, l.lastDoneNanos);
      l.lastDoneNanos = replyAt;
      taskNanosAvg = taskNanosAvg < 0 ? took : taskNanosAvg + (took - taskNanosAvg) / 4;
    }

    KeyState(
        String shape,
        String baseShape,
        Map<String, Double> resources,
        int jobId,
        Msg.Scheduling scheduling,
        LeaseRequester.Target first) {
      this.shape = shape;
      this.baseShape = baseShape;
      this.resources = resources;
      this.jobId = jobId;
      this.scheduling = scheduling;
      this.first = first;
    }
  }

  static Map<String, Double> resourcesOf(TaskOptions o) {
    Map<String, Double> r = new TreeMap<>(o.resources());
    if (o.cpus() > 0) {
      r.put("CPU", o.cpus());
    }
    if (o.gpus() > 0) {
      r.put("GPU", o.gpus());
    }
    if (o.memoryBytes() > 0) {
      r.put("memory", (double) o.memoryBytes());
    }
    return r;
  }

  /**
   * Submits a task; {@code captured}: refs among a lambda's captured values, kept alive with the
   * arguments until the task is done.
   */
  List<ObjectRef<Object>> submit(
      Msg.FunctionDesc fn,
      Object[] args,
      TaskOptions options,
      int numReturns,
      List<RefImpl<?>> captured) {
    Map<String, Double> res =
        PlacementGroupClient.demandIn(resourcesOf(options), options.scheduling());
    int n = Math.max(1, numReturns);
    long firstLo = cw.table.reserve(n);
    List<ObjectRef<Object>> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ObjectId id = cw.table.idAt(firstLo + i);
      refs.add(cw.refs.newRef(id, cw.table.create(id, OwnershipTable.ORIGIN_TASK)));
    }
    String name = options.name() != null ? options.name() : FunctionDescriptor.displayName(fn);
    cw.taskCounts.submitted(name);
    String removedGroup = cw.groups.removedError(res);
    if (removedGroup != null) {
      failReturns(
          cw.table.idAt(firstLo).hi(),
          firstLo,
          n,
          new ErrorInfo(
              ErrorKind.TASK_FAILED,
              "task " + name + " cannot be scheduled: " + removedGroup,
              null));
      return refs;
    }
    long taskLo = nextTaskLo.getAndIncrement();
    int jobId = cw.jobId(); // the submitting thread's: a task's nested work belongs to its job
    String baseShape = res + (jobId != 0 ? "@job" + jobId : "");
    Msg.Scheduling sched =
        options.scheduling() instanceof dev.weft.SchedulingStrategy.Default
            ? Msg.Scheduling.DEFAULT
            : LeaseRequester.wire(options.scheduling());
    List<Object> hold = new ArrayList<>();
    ArgResolver.resolve(cw, args, name, hold)
        .whenComplete(
            (resolved, err) -> {
              if (err != null || resolved.failure() != null) {
                ErrorInfo e =
                    err != null
                        ? new ErrorInfo(
                            ErrorKind.SERIALIZATION,
                            "task " + name + ": " + Serde.rootMessage(err),
                            err)
                        : resolved.failure();
                failReturns(cw.table.idAt(firstLo).hi(), firstLo, n, e);
                RefLifecycle.releaseHeld(hold);
                return;
              }
              Msg.TaskSpec spec =
                  new Msg.TaskSpec(
                      cw.processHi,
                      taskLo,
                      name,
                      cw.address,
                      fn,
                      resolved.args(),
                      cw.processHi,
                      firstLo,
                      numReturns,
                      0,
                      0,
                      0,
                      0,
                      0);
              enqueue(
                  keyFor(baseShape, res, jobId, sched, resolved.args()),
                  new PendingTask(
                      spec,
                      options,
                      captured.isEmpty()
                          ? hold.toArray()
                          : new Object[] {hold.toArray(), captured.toArray()}));
            });
    return refs;
  }

  /** The key state of a task: its shape, with the node of its large arguments for locality. */
  private KeyState keyFor(
      String baseShape,
      Map<String, Double> res,
      int jobId,
      Msg.Scheduling sched,
      List<Msg.Arg> args) {
    LeaseRequester.Target first = sched == Msg.Scheduling.DEFAULT ? leasing.locality(args) : null;
    String shape = LeaseRequester.shape(baseShape, sched, first);
    return keys.computeIfAbsent(shape, s -> new KeyState(s, baseShape, res, jobId, sched, first));
  }

  private void enqueue(KeyState ks, PendingTask t) {
    synchronized (ks) {
      ks.queue.add(t);
      pump(ks);
    }
  }

  /**
   * Runs the task of lineage record {@code r} again, to make its lost results again ({@link
   * Lineage}): its arguments are available again and held by {@code keepAlive} until its reply. The
   * run is the next attempt; its retries are those the record has left.
   */
  void resubmit(Lineage.Record r, Msg.TaskSpec spec, Object[] keepAlive) {
    PendingTask t = new PendingTask(withAttempt(spec, spec.attempt() + 1), r.options, keepAlive);
    synchronized (cw.lineage) {
      t.retriesLeft = r.retriesLeft;
    }
    t.rebuildOf = r;
    KeyState k = r.ks;
    enqueue(keyFor(k.baseShape, k.resources, k.jobId, k.scheduling, spec.args()), t);
  }

  /**
   * Task {@code t} ended without results ({@code why}); a run making lost objects again says so.
   */
  private void ended(PendingTask t, String why) {
    if (t.rebuildOf != null) {
      cw.lineage.finished(
          t.rebuildOf, t, "its task " + t.spec.name() + " failed when run again: " + why);
    }
  }

  private void failReturns(long hi, long firstLo, int n, ErrorInfo e) {
    for (int i = 0; i < n; i++) {
      cw.table.fail(new ObjectId(hi, firstLo + i), e);
    }
  }

  /** Hands queued tasks to leases and asks for more leases. Caller holds {@code ks}. */
  private void pump(KeyState ks) {
    int depth = ks.pipelineDepth();
    while (!ks.queue.isEmpty()) {
      Lease best = null;
      for (Lease l : ks.leases) {
        if (!l.dead && l.inFlight < depth && (best == null || l.inFlight < best.inFlight)) {
          best = l;
        }
      }
      if (best == null
          || (best.inFlight > 0
              && (ks.scheduling.kind() == Msg.SchedulingKind.SPREAD
                  || ks.queue.size() < PIPELINE_BACKLOG * Math.max(1, ks.leases.size())))) {
        break;
      }
      dispatch(ks, best, ks.queue.poll());
    }
    if (!ks.queue.isEmpty() && ks.leaseRequests == 0 && ks.leases.size() < MAX_LEASES_PER_SHAPE) {
      requestLease(ks);
    }
  }

  private void requestLease(KeyState ks) {
    ks.leaseRequests++;
    leasing
        .request(ks.jobId, ks.resources, ks.shape, ks.scheduling, ks.first)
        .whenComplete(
            (reply, err) -> {
              try {
                onLeaseReply(ks, reply, err);
              } catch (RuntimeException | Error e) {
                // never leave the queue waiting on a request whose answer got lost here
                synchronized (ks) {
                  failQueue(ks, "scheduling failed in this process: " + Serde.rootMessage(e));
                }
                if (e instanceof Error er) {
                  throw er;
                }
              }
            });
  }

  private void onLeaseReply(KeyState ks, LeaseRequester.Grant grant, Throwable err) {
    if (grant != null) {
      Msg.LeaseGranted g = grant.granted();
      // tasks go to the worker's task port: they run on the loop that reads them
      String to = g.taskAddress();
      cw.peers
          .peer(to)
          .whenComplete(
              (conn, cerr) -> {
                synchronized (ks) {
                  ks.leaseRequests--;
                  if (cerr != null) {
                    sendTo(grant.node(), new Msg.ReturnLease(g.leaseId()));
                  } else {
                    Lease l = new Lease(g.leaseId(), to, conn, grant.node(), grant.where());
                    ks.leases.add(l);
                    conn.closeFuture().thenRun(() -> onWorkerLost(ks, l));
                    if (ks.queue.isEmpty()) {
                      armIdle(ks, l);
                    }
                  }
                  pump(ks);
                }
              });
      return;
    }
    synchronized (ks) {
      ks.leaseRequests--;
      String why = Serde.rootMessage(err);
      // The demand can never run as asked (or the node is gone): fail what waits for this shape.
      failQueue(ks, why);
    }
  }

  /** Fails every task waiting for a lease of this shape. Caller holds {@code ks}. */
  private void failQueue(KeyState ks, String why) {
    PendingTask t;
    while ((t = ks.queue.poll()) != null) {
      ended(t, "it cannot be scheduled: " + why);
      RefLifecycle.releaseHeld(t.keepAlive);
      failReturns(
          t.spec.returnHi(),
          t.spec.firstReturnLo(),
          Math.max(1, t.spec.numReturns()),
          new ErrorInfo(
              ErrorKind.TASK_FAILED,
              "task " + t.spec.name() + " cannot be scheduled: " + why,
              null));
    }
  }

  /** A one-way message to a node, if it is still there (a lost node fails the work elsewhere). */
  private static void sendTo(Connection node, Msg m) {
    if (node != null && node.isOpen()) {
      node.send(m);
    }
  }

  private void dispatch(KeyState ks, Lease l, PendingTask t) {
    l.inFlight++;
    t.dispatchedNanos = taskClock.getAsLong();
    l.conn
        .call(new Msg.PushTask(t.spec, ks.jobId, l.leaseId))
        .whenComplete((reply, err) -> onReply(ks, l, t, reply, err));
  }

  private void onReply(KeyState ks, Lease l, PendingTask t, Msg reply, Throwable err) {
    long replyAt = taskClock.getAsLong(); // before this side's work on the results
    Msg.TaskSpec s = t.spec;
    int n = Math.max(1, s.numReturns());
    if (err != null || !(reply instanceof Msg.TaskReply r)) {
      synchronized (ks) {
        l.inFlight--;
        markDead(ks, l);
        if (t.retriesLeft != 0) {
          t.retriesLeft--;
          t.spec = withAttempt(s, s.attempt() + 1);
          ks.queue.addFirst(t);
        } else {
          failReturns(
              s.returnHi(),
              s.firstReturnLo(),
              n,
              new ErrorInfo(
                  ErrorKind.WORKER_CRASHED,
                  "task "
                      + s.name()
                      + " failed: its worker process "
                      + l.address
                      + " died while running it ("
                      + (err == null ? reply : Serde.rootMessage(err))
                      + "), attempt "
                      + (s.attempt() + 1)
                      + " of "
                      + (t.options.maxRetries() + 1)
                      + "; retries are used up (raise .maxRetries(n) if the crash is transient)",
                  null));
          ended(t, "its worker process " + l.address + " died while running it");
          RefLifecycle.releaseHeld(t.keepAlive);
        }
        pump(ks);
      }
      return;
    }
    if (r.status() == Msg.TaskStatus.USER_ERROR
        && t.options.retryExceptions()
        && t.retriesLeft != 0) {
      synchronized (ks) {
        l.inFlight--;
        l.lastDoneNanos = replyAt; // the task queued behind it started now
        t.retriesLeft--;
        t.spec = withAttempt(s, s.attempt() + 1);
        ks.queue.addFirst(t);
        pump(ks);
      }
      return;
    }
    // the lease is free again before anyone sees the results: a caller that gets a result and
    // submits the next task at once must find it free, or its task queues and asks for a second
    // lease (a sync loop then spread over two workers, one of them often a fresh JVM)
    synchronized (ks) {
      l.inFlight--;
      ks.finished(l, t, replyAt);
      pump(ks);
    }
    try {
      if (r.status() == Msg.TaskStatus.OK && t.rebuildOf == null) {
        cw.lineage.record(t, ks, r); // before the results are seen: a reader may need it at once
      }
      TaskReplies.complete(cw, s, r, "worker " + l.address, l.conn);
      if (r.status() != Msg.TaskStatus.OK) {
        ended(t, r.status() + " on worker " + l.address + ": " + replyReason(r));
      } else if (t.rebuildOf != null) {
        cw.lineage.finished(t.rebuildOf, t, null, r);
      }
    } finally {
      RefLifecycle.releaseHeld(t.keepAlive); // the task is done with its arguments
      synchronized (ks) {
        if (l.inFlight == 0 && ks.queue.isEmpty() && !l.dead) {
          armIdle(ks, l);
        }
      }
    }
  }

  private static String replyReason(Msg.TaskReply r) {
    if (r.thrown() != null) {
      return r.thrown().className() + ": " + r.thrown().message();
    }
    return String.valueOf(r.reason());
  }

  static Msg.TaskSpec withAttempt(Msg.TaskSpec s, int attempt) {
    return new Msg.TaskSpec(
        s.taskHi(),
        s.taskLo(),
        s.name(),
        s.ownerAddress(),
        s.fn(),
        s.args(),
        s.returnHi(),
        s.firstReturnLo(),
        s.numReturns(),
        attempt,
        s.actorHi(),
        s.actorLo(),
        s.callerId(),
        s.seq());
  }

  private void markDead(KeyState ks, Lease l) {
    if (!l.dead) {
      l.dead = true;
      ks.leases.remove(l);
      if (l.idleTimer != null) {
        l.idleTimer.cancel(false);
      }
    }
  }

  /**
   * Node {@code nodeId} is dead (NodeDied): the connections of the leases it granted are closed, so
   * the tasks sent there are retried elsewhere or fail, as when a worker dies, even when the node's
   * processes are stopped and their sockets stay open. Closed outside the key states' monitors (a
   * close may run its callbacks on this thread).
   */
  void nodeDied(String nodeId) {
    List<Connection> close = new ArrayList<>();
    for (KeyState ks : keys.values()) {
      synchronized (ks) {
        for (Lease l : ks.leases) {
          if (l.where != null && nodeId.equals(l.where.nodeId())) {
            close.add(l.conn);
          }
        }
      }
    }
    close.forEach(Connection::close);
  }

  private void onWorkerLost(KeyState ks, Lease l) {
    synchronized (ks) {
      markDead(ks, l);
      pump(ks);
    }
  }

  /** The lease just went idle: returned after {@link #LEASE_IDLE_MS} unless used meanwhile. */
  private void armIdle(KeyState ks, Lease l) {
    l.idleSinceNanos = System.nanoTime();
    if (l.idleTimer == null) {
      scheduleIdleCheck(ks, l, LEASE_IDLE_MS * 1_000_000L);
    }
  }

  private void scheduleIdleCheck(KeyState ks, Lease l, long delayNanos) {
    l.idleTimer =
        cw.timer.schedule(
            () -> {
              synchronized (ks) {
                l.idleTimer = null;
                if (l.dead || l.inFlight > 0 || !ks.queue.isEmpty()) {
                  return; // busy: armed again when it goes idle
                }
                long left = LEASE_IDLE_MS * 1_000_000L - (System.nanoTime() - l.idleSinceNanos);
                if (left > 0) {
                  scheduleIdleCheck(ks, l, left); // used since: idle for less than the period
                  return;
                }
                l.dead = true;
                ks.leases.remove(l);
                sendTo(l.node, new Msg.ReturnLease(l.leaseId));
              }
            },
            delayNanos,
            TimeUnit.NANOSECONDS);
  }

  /** Returns every lease (at shutdown). */
  void close() {
    for (KeyState ks : keys.values()) {
      synchronized (ks) {
        for (Lease l : ks.leases) {
          l.dead = true;
          sendTo(l.node, new Msg.ReturnLease(l.leaseId));
        }
        ks.leases.clear();
      }
    }
  }
}
