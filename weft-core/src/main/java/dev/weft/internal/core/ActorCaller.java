package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.WeftException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller side of actors. Creation goes through the control store (which places and restarts
 * actors); calls then go straight to the actor's worker. Calls from this process to one actor are
 * sent in submission order: each waits in the actor's queue until its arguments are resolved and
 * everything before it was sent; one connection carries them, so the actor receives them in order.
 *
 * <p>When the actor's connection drops, calls that were sent fail with ActorDiedException (their
 * effect is unknown), queued calls wait while the control store restarts the actor, and fail if it
 * is dead for good. State of one actor is guarded by its {@link ActorState} monitor.
 *
 * <p>Calls first go to the actor's worker (its main port, whose loop never runs user code, so a
 * connection there is made at once). Where the actor has a port of its own ({@code
 * ActorInfo.callAddress}, see TaskExecutor), a connection to it is made beside, and calls move
 * there once every call sent to the worker has been answered (so none can overtake another); the
 * actor's own loop then runs them with no thread hand-off. That connection is a bonus: if it cannot
 * be made (its loop is busy with a long call while we connect) or it closes, calls go on through
 * the worker's port.
 */
final class ActorCaller {
  private final CoreWorker cw;
  private final AtomicLong nextCallLo = new AtomicLong(1);
  private final Map<ActorId, ActorState> states = new ConcurrentHashMap<>();

  /** Names of actors this process is creating, until the control store has them. */
  private final Map<String, java.util.concurrent.CompletableFuture<Void>> pendingNames =
      new ConcurrentHashMap<>();

  ActorCaller(CoreWorker cw) {
    this.cw = cw;
  }

  static final class Call {
    final long seq;
    final int jobId;
    Msg.TaskSpec spec; // null until the arguments are resolved
    final Object[] keepAlive;
    int retries;

    Call(long seq, int jobId, Object[] keepAlive) {
      this.seq = seq;
      this.jobId = jobId;
      this.keepAlive = keepAlive;
    }
  }

  final class ActorState {
    final ActorId id;
    final ArrayDeque<Call> queue = new ArrayDeque<>();
    final Map<Long, Call> sent = new HashMap<>();
    Connection conn;

    /** The connection to the actor's own port, once made (see the class comment); or null. */
    Connection fast;

    /**
     * The connection to the actor's worker (its main port), while {@link #conn} is {@link #fast}.
     */
    Connection main;

    String address;

    /** The node hosting the actor at {@link #address}. */
    String nodeId;

    int incarnation = -1;
    boolean locating;

    /** Set while this process is still creating the actor: calls wait for it. */
    java.util.concurrent.CompletableFuture<Void> creating;

    boolean detached;
    String deathReason;
    String staleAddress;

    /**
     * The actor's own port of the current incarnation, once it closed (calls went on through the
     * worker's port); null otherwise.
     */
    Connection closedFast;

    int unreachable;
    int maxTaskRetries;
    Object[] ctorArgs;
    long nextSeq;

    ActorState(ActorId id) {
      this.id = id;
    }
  }

  private ActorState state(ActorId id) {
    return states.computeIfAbsent(id, ActorState::new);
  }

  /**
   * Creates an actor and returns its handle at once: the constructor's ref arguments are resolved
   * and the control store asked without this thread waiting (a task creating an actor never
   * blocks). Calls queue until the actor is up; if the creation fails they fail with its reason.
   */
  <T> ActorHandle<T> create(
      Msg.FunctionDesc ctor, Object[] args, ActorOptions o, List<RefImpl<?>> captured) {
    Map<String, Double> demand = new HashMap<>(o.resources());
    if (o.cpus() > 0) {
      demand.put("CPU", o.cpus());
    }
    Map<String, Double> res = PlacementGroupClient.demandIn(demand, o.scheduling());
    // The actor's id is also the id of its lifetime object in this process's table: the handles'
    // refs to it count the handles (see ActorHandleImpl).
    long lo = cw.table.reserve(1);
    ActorId id = new ActorId(cw.processHi, lo);
    ObjectId lifeId = cw.table.idAt(lo);
    String cls = ctor.className();
    int jobId = cw.jobId();
    ActorState st = state(id);
    java.util.concurrent.CompletableFuture<Void> created =
        new java.util.concurrent.CompletableFuture<>();
    // the runtime's copies of the refs among the constructor's arguments (filled by resolve below)
    List<Object> hold = new ArrayList<>();
    Object[] ctorArgs = new Object[] {hold, captured.toArray()};
    OwnershipTable.Entry life = cw.table.create(lifeId);
    // a restart needs them: alive as long as a handle is (a detached actor's, until its death:
    // the lifetime object releases what it contains when it is freed)
    life.contained = o.detached() ? null : ctorArgs;
    life.ready.complete(new OwnershipTable.Stored(new byte[0], null));
    synchronized (st) {
      st.creating = created;
      st.detached = o.detached();
      // a detached actor outlives its handles; its constructor's arguments live until its death
      st.ctorArgs = o.detached() ? ctorArgs : null;
    }
    if (o.name() != null) {
      pendingNames.put(o.name(), created);
      created.whenComplete((v, e) -> pendingNames.remove(o.name(), created));
    }
    ArgResolver.resolve(cw, args, "constructor of " + cls, hold)
        .thenCompose(
            resolved -> {
              if (resolved.failure() != null) {
                throw Errors.toException(resolved.failure());
              }
              Msg.ActorSpec spec =
                  new Msg.ActorSpec(
                      id.hi(),
                      id.lo(),
                      jobId,
                      o.name(),
                      cls,
                      ctor,
                      resolved.args(),
                      res,
                      o.maxRestarts(),
                      o.maxTaskRetries(),
                      o.maxConcurrency(),
                      o.detached(),
                      o.dedicatedProcess(),
                      cw.classpath,
                      cw.jvmOptions,
                      cw.address,
                      LeaseRequester.wire(o.scheduling()),
                      cw.nodeId);
              return cw.controlCall(new Msg.CreateActor(spec));
            })
        .whenComplete(
            (reply, err) -> {
              synchronized (st) {
                st.creating = null;
                if (err != null || reply instanceof Msg.Failure) {
                  markDead(
                      st,
                      "its creation failed: "
                          + (reply instanceof Msg.Failure f ? f.text() : Serde.rootMessage(err)));
                }
                pump(st);
              }
              created.complete(null);
            });
    return new ActorHandleImpl<>(id, o.name(), cw.refs.newRef(lifeId, life));
  }

  /**
   * The lifetime object {@code id} was freed: if it is an actor this process created, every handle
   * to it is gone, and a non-detached actor is killed.
   */
  void onLifetimeFreed(ObjectId id) {
    ActorState st = states.get(new ActorId(id.hi(), id.lo()));
    if (st == null) {
      return;
    }
    synchronized (st) {
      if (st.detached || st.deathReason != null) {
        return;
      }
      markDead(st, "every handle to it was dropped (create it with .detached() to keep it alive)");
    }
    cw.controlCall(new Msg.KillActor(id.hi(), id.lo())); // its reply says nothing we need
    states.remove(st.id);
  }

  <T> Optional<ActorHandle<T>> named(String name) {
    java.util.concurrent.CompletableFuture<Void> creating = pendingNames.get(name);
    if (creating != null) {
      // created by this process a moment ago: the control store knows the name once that is done
      cw.await(creating, java.time.Duration.ofSeconds(60), "creating actor " + name);
    }
    Msg reply =
        cw.await(
            cw.controlCall(new Msg.GetNamedActor(name)),
            java.time.Duration.ofSeconds(30),
            "getActor(" + name + ")");
    if (reply instanceof Msg.ActorInfo info && info.state() != Msg.ActorState.DEAD) {
      // a handle found by name counts like any other: it borrows the actor's lifetime object
      ObjectRef<?> life =
          info.ownerAddress() == null
              ? null
              : cw.refs.adopt(
                  new ObjectId(info.actorHi(), info.actorLo()), info.ownerAddress(), null);
      return Optional.of(
          new ActorHandleImpl<>(new ActorId(info.actorHi(), info.actorLo()), info.name(), life));
    }
    return Optional.empty();
  }

  void kill(ActorId id) {
    ActorState mine = states.get(id);
    java.util.concurrent.CompletableFuture<Void> creating;
    synchronized (mine != null ? mine : this) {
      creating = mine != null ? mine.creating : null;
    }
    if (creating != null) {
      // still being created by this process: the control store learns of it first
      cw.await(creating, java.time.Duration.ofSeconds(60), "creating actor " + id);
    }
    Msg reply =
        cw.await(
            cw.controlCall(new Msg.KillActor(id.hi(), id.lo())),
            java.time.Duration.ofSeconds(30),
            "kill of actor " + id);
    if (reply instanceof Msg.Failure f) {
      throw new WeftException(f.text());
    }
    ActorState st = state(id);
    synchronized (st) {
      markDead(st, "it was killed with ActorHandle.kill()");
    }
  }

  List<ObjectRef<Object>> call(
      ActorId id, Msg.FunctionDesc fn, Object[] args, int numReturns, List<RefImpl<?>> captured) {
    int n = Math.max(1, numReturns);
    long firstLo = cw.table.reserve(n);
    List<ObjectRef<Object>> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ObjectId oid = cw.table.idAt(firstLo + i);
      refs.add(cw.refs.newRef(oid, cw.table.create(oid, OwnershipTable.ORIGIN_ACTOR)));
    }
    String name = FunctionDescriptor.displayName(fn);
    cw.taskCounts.submitted(name);
    ActorState st = state(id);
    Call call;
    List<Object> hold = new ArrayList<>(); // filled by resolve below, released at the reply
    synchronized (st) {
      call = new Call(st.nextSeq++, cw.jobId(), new Object[] {args, hold, captured.toArray()});
      if (st.deathReason != null) {
        failCall(firstLo, n, "actor " + id + " is dead: " + st.deathReason);
        return refs;
      }
      st.queue.add(call);
    }
    long callLo = nextCallLo.getAndIncrement();
    ArgResolver.resolve(cw, args, name, hold)
        .whenComplete(
            (resolved, err) -> {
              synchronized (st) {
                if (err != null || resolved.failure() != null) {
                  st.queue.remove(call);
                  ErrorInfo e =
                      err != null
                          ? new ErrorInfo(
                              ErrorKind.SERIALIZATION,
                              "call " + name + ": " + Serde.rootMessage(err),
                              err)
                          : resolved.failure();
                  for (int i = 0; i < n; i++) {
                    cw.table.fail(cw.table.idAt(firstLo + i), e);
                  }
                } else {
                  call.spec =
                      new Msg.TaskSpec(
                          cw.processHi,
                          callLo | (1L << 62),
                          name,
                          cw.address,
                          fn,
                          resolved.args(),
                          cw.processHi,
                          firstLo,
                          numReturns,
                          0,
                          id.hi(),
                          id.lo(),
                          cw.processHi,
                          call.seq);
                }
                pump(st);
              }
            });
    return refs;
  }

  private void failCall(long firstLo, int n, String why) {
    ErrorInfo e = new ErrorInfo(ErrorKind.ACTOR_DIED, why, null);
    for (int i = 0; i < n; i++) {
      cw.table.fail(cw.table.idAt(firstLo + i), e);
    }
  }

  /** Sends ready calls in order, or finds the actor first. Caller holds {@code st}. */
  private void pump(ActorState st) {
    if (st.deathReason != null) {
      for (java.util.Iterator<Call> it = st.queue.iterator(); it.hasNext(); ) {
        Call c = it.next();
        // a call whose arguments are still being resolved stays queued: it fails here once they
        // are (its spec names its returns). Dropped unfailed, its get waited for ever.
        if (c.spec != null) {
          it.remove();
          failCall(
              c.spec.firstReturnLo(),
              Math.max(1, c.spec.numReturns()),
              "actor " + st.id + " is dead: " + st.deathReason);
        }
      }
      return;
    }
    if (st.creating != null) {
      return; // sent once this process created it
    }
    if (st.conn == null || !st.conn.isOpen()) {
      if (!st.queue.isEmpty() && !st.locating) {
        locate(st);
      }
      return;
    }
    if (st.fast != null && st.conn != st.fast && st.sent.isEmpty()) {
      if (st.fast.isOpen()) {
        st.main = st.conn; // everything sent to the worker is answered: nothing can be overtaken
        st.conn = st.fast;
      } else {
        st.fast = null;
      }
    }
    while (!st.queue.isEmpty() && st.queue.peek().spec != null) {
      Call c = st.queue.poll();
      st.sent.put(c.seq, c);
      Connection conn = st.conn;
      conn.call(new Msg.PushTask(c.spec, c.jobId, 0))
          .whenComplete((reply, err) -> onReply(st, conn, c, reply, err));
    }
  }

  private void onReply(ActorState st, Connection conn, Call c, Msg reply, Throwable err) {
    synchronized (st) {
      st.sent.remove(c.seq);
    }
    if (reply instanceof Msg.TaskReply r) {
      if (r.status() == Msg.TaskStatus.ACTOR_DEAD) {
        synchronized (st) {
          markDead(st, r.reason());
        }
      }
      TaskReplies.complete(cw, c.spec, r, "actor " + st.id + " at " + conn.peer(), conn);
      RefLifecycle.releaseHeld(c.keepAlive[1]); // the call is done with its arguments
      return;
    }
    String why = err != null ? Serde.rootMessage(err) : String.valueOf(reply);
    synchronized (st) {
      if (err != null && !conn.isOpen() && conn == st.closedFast) {
        // lost on the actor's own port: its process has most likely gone too, though the worker
        // connection that calls fell back to may not have noticed yet. Ask the control store
        // before sending more (a call sent there now would be lost too, instead of waiting to hear
        // whether the actor restarts)
        forgetAll(st);
        pump(st);
      }
      if (st.deathReason == null && (st.maxTaskRetries < 0 || c.retries < st.maxTaskRetries)) {
        // maxTaskRetries: send it again once the actor is back, ahead of the calls made after it
        c.retries++;
        List<Call> requeue = new ArrayList<>(st.queue);
        requeue.add(c);
        requeue.sort(java.util.Comparator.comparingLong(x -> x.seq));
        st.queue.clear();
        st.queue.addAll(requeue);
        pump(st);
        return;
      }
    }
    failCall(
        c.spec.firstReturnLo(),
        Math.max(1, c.spec.numReturns()),
        "call "
            + c.spec.name()
            + " on actor "
            + st.id
            + " was lost: the actor's process at "
            + conn.peer()
            + " went away while the call was running ("
            + why
            + "); its effect is unknown"
            + (st.maxTaskRetries == 0
                ? " (create the actor with .maxTaskRetries(n) and .maxRestarts(n) to resend such calls after a restart)"
                : ""));
  }

  private void locate(ActorState st) {
    java.util.concurrent.CompletableFuture<Msg> ask;
    try {
      ask =
          cw.controlCall(
              new Msg.GetActorInfo(st.id.hi(), st.id.lo(), true, 120_000, st.staleAddress));
    } catch (RuntimeException e) {
      markDead(st, "it cannot be found: " + Serde.rootMessage(e));
      return;
    }
    st.locating = true;
    ask.whenComplete(
        (reply, err) -> {
          if (reply instanceof Msg.ActorInfo info
              && info.state() == Msg.ActorState.ALIVE
              && info.address() != null) {
            cw.peers
                .peer(info.address())
                .whenComplete(
                    (conn, cerr) -> {
                      synchronized (st) {
                        st.locating = false;
                        if (cerr != null) {
                          // Likely dead but not yet reported: ask again, waiting for a new
                          // address.
                          st.staleAddress = info.address();
                          if (++st.unreachable > 20) {
                            markDead(
                                st,
                                "its process at "
                                    + info.address()
                                    + " cannot be reached: "
                                    + Serde.rootMessage(cerr));
                          }
                        } else {
                          st.unreachable = 0;
                          st.maxTaskRetries = info.maxTaskRetries();
                          st.conn = conn;
                          st.address = info.address();
                          st.nodeId = info.nodeId();
                          st.incarnation = info.incarnation();
                          st.fast = null;
                          st.main = null;
                          st.closedFast = null;
                          conn.closeFuture().thenRun(() -> onDisconnect(st, conn));
                          if (info.callAddress() != null) {
                            connectFast(st, conn, info.callAddress());
                          }
                        }
                        pump(st);
                      }
                    });
            return;
          }
          synchronized (st) {
            st.locating = false;
            if (reply instanceof Msg.ActorInfo info && info.state() == Msg.ActorState.DEAD) {
              markDead(st, info.deathReason());
            } else if (reply instanceof Msg.ActorInfo) {
              // still pending or restarting after the long poll: look again
            } else {
              markDead(
                  st,
                  "the control store cannot find it ("
                      + (err != null
                          ? Serde.rootMessage(err)
                          : reply instanceof Msg.Failure f ? f.text() : String.valueOf(reply))
                      + ")");
            }
            pump(st);
          }
        });
  }

  /**
   * Node {@code nodeId} is dead (NodeDied): the connections to actors it hosted are closed, so
   * calls sent there fail (or wait for the restart) instead of waiting on a process that may be
   * stopped.
   */
  void nodeDied(String nodeId) {
    List<Connection> close = new ArrayList<>();
    for (ActorState st : states.values()) {
      synchronized (st) {
        if (st.conn != null && nodeId.equals(st.nodeId)) {
          close.add(st.conn);
          if (st.fast != null) {
            close.add(st.fast);
          }
          if (st.main != null) {
            close.add(st.main);
          }
        }
      }
    }
    close.forEach(Connection::close);
  }

  /**
   * Connects to the actor's own port beside {@code viaWorker}; calls move there once nothing sent
   * to the worker waits for its answer (see {@link #pump}).
   */
  private void connectFast(ActorState st, Connection viaWorker, String callAddress) {
    cw.peers
        .peer(callAddress)
        .whenComplete(
            (fast, err) -> {
              if (err != null) {
                return; // its loop may be busy with a long call: the worker's port serves
              }
              synchronized (st) {
                if (st.conn != viaWorker) {
                  return; // the actor moved (or its worker went) meanwhile
                }
                st.fast = fast;
                fast.closeFuture().thenRun(() -> onFastClosed(st, fast));
                pump(st);
              }
            });
  }

  /**
   * The actor's own port closed: it stopped (calls sent to the worker then get the actor-died
   * reply) or its worker went (that connection closes too). Calls go on through the worker's port;
   * those sent to the closed one fail or are resent, as for any lost connection.
   */
  private void onFastClosed(ActorState st, Connection fast) {
    synchronized (st) {
      if (st.fast != fast) {
        return;
      }
      st.fast = null;
      st.closedFast = fast; // calls lost on it say whether the process went too (onReply)
      if (st.conn == fast) {
        st.conn = st.main;
        st.main = null;
        if (st.conn == null || !st.conn.isOpen()) {
          st.conn = null;
          st.staleAddress = st.address;
        }
      }
      pump(st);
    }
  }

  private void onDisconnect(ActorState st, Connection conn) {
    synchronized (st) {
      if (st.conn == conn || st.main == conn) {
        forgetAll(st);
        pump(st);
      }
    }
  }

  /**
   * The actor's process is gone (or unreachable): its connections are dropped, and the next call
   * asks the control store where the actor is now. Holds {@code st}.
   */
  private static void forgetAll(ActorState st) {
    if (st.fast != null) {
      st.fast.close(); // on the same worker: goes with it
    }
    st.fast = null;
    st.conn = null;
    st.main = null;
    st.closedFast = null;
    st.staleAddress = st.address;
  }

  private void markDead(ActorState st, String reason) {
    if (st.deathReason == null) {
      st.deathReason = reason;
    }
    st.ctorArgs = null;
    pump(st);
  }
}
