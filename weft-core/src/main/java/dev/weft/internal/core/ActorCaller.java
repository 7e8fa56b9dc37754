package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.WeftException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
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
 */
final class ActorCaller {
  private final CoreWorker cw;
  private final AtomicLong nextActorLo = new AtomicLong(1);
  private final AtomicLong nextCallLo = new AtomicLong(1);
  private final Map<ActorId, ActorState> states = new ConcurrentHashMap<>();

  ActorCaller(CoreWorker cw) {
    this.cw = cw;
  }

  static final class Call {
    final long seq;
    Msg.TaskSpec spec; // null until the arguments are resolved
    final Object[] keepAlive;
    int retries;

    Call(long seq, Object[] keepAlive) {
      this.seq = seq;
      this.keepAlive = keepAlive;
    }
  }

  final class ActorState {
    final ActorId id;
    final ArrayDeque<Call> queue = new ArrayDeque<>();
    final Map<Long, Call> sent = new HashMap<>();
    Connection conn;
    String address;
    int incarnation = -1;
    boolean locating;
    String deathReason;
    String staleAddress;
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

  <T> ActorHandle<T> create(Msg.FunctionDesc ctor, Object[] args, ActorOptions o) {
    ActorId id = new ActorId(cw.processHi, nextActorLo.getAndIncrement());
    String cls = ctor.className();
    TaskSubmitter.Resolved resolved =
        TaskSubmitter.ArgResolver.resolve(cw, args, "constructor of " + cls, new ArrayList<>())
            .join();
    if (resolved.failure() != null) {
      throw CoreWorker.toException(resolved.failure());
    }
    Map<String, Double> res = new HashMap<>(o.resources());
    if (o.cpus() > 0) {
      res.put("CPU", o.cpus());
    }
    Msg.ActorSpec spec =
        new Msg.ActorSpec(
            id.hi(),
            id.lo(),
            cw.jobId,
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
            cw.jvmOptions);
    Msg reply =
        cw.await(
            cw.control().call(new Msg.CreateActor(spec)),
            java.time.Duration.ofSeconds(60),
            "creating actor " + cls);
    if (reply instanceof Msg.Failure f) {
      throw new IllegalArgumentException(f.text());
    }
    state(id).ctorArgs = args; // refs among them stay alive until the actor is up (and registered)
    return new ActorHandleImpl<>(id, o.name());
  }

  <T> Optional<ActorHandle<T>> named(String name) {
    Msg reply =
        cw.await(
            cw.control().call(new Msg.GetNamedActor(name)),
            java.time.Duration.ofSeconds(30),
            "getActor(" + name + ")");
    if (reply instanceof Msg.ActorInfo info && info.state() != 3) {
      return Optional.of(
          new ActorHandleImpl<>(new ActorId(info.actorHi(), info.actorLo()), info.name()));
    }
    return Optional.empty();
  }

  void kill(ActorId id) {
    Msg reply =
        cw.await(
            cw.control().call(new Msg.KillActor(id.hi(), id.lo())),
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

  List<ObjectRef<Object>> call(ActorId id, Msg.FunctionDesc fn, Object[] args, int numReturns) {
    int n = Math.max(1, numReturns);
    long firstLo = cw.table.reserve(n);
    List<ObjectRef<Object>> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ObjectId oid = cw.table.idAt(firstLo + i);
      refs.add(cw.newRef(oid, cw.table.create(oid)));
    }
    String name = FunctionDescriptor.displayName(fn);
    ActorState st = state(id);
    Call call;
    List<Object> hold = new ArrayList<>(); // filled by resolve below, released at the reply
    synchronized (st) {
      call = new Call(st.nextSeq++, new Object[] {args, hold});
      if (st.deathReason != null) {
        failCall(firstLo, n, "actor " + id + " is dead: " + st.deathReason);
        return refs;
      }
      st.queue.add(call);
    }
    long callLo = nextCallLo.getAndIncrement();
    TaskSubmitter.ArgResolver.resolve(cw, args, name, hold)
        .whenComplete(
            (resolved, err) -> {
              synchronized (st) {
                if (err != null || resolved.failure() != null) {
                  st.queue.remove(call);
                  ErrorInfo e =
                      err != null
                          ? new ErrorInfo(
                              ErrorInfo.SERIALIZATION,
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
    ErrorInfo e = new ErrorInfo(ErrorInfo.ACTOR_DIED, why, null);
    for (int i = 0; i < n; i++) {
      cw.table.fail(cw.table.idAt(firstLo + i), e);
    }
  }

  /** Sends ready calls in order, or finds the actor first. Caller holds {@code st}. */
  private void pump(ActorState st) {
    if (st.deathReason != null) {
      Call c;
      while ((c = st.queue.poll()) != null) {
        if (c.spec != null) {
          failCall(
              c.spec.firstReturnLo(),
              Math.max(1, c.spec.numReturns()),
              "actor " + st.id + " is dead: " + st.deathReason);
        }
      }
      return;
    }
    if (st.conn == null || !st.conn.isOpen()) {
      if (!st.queue.isEmpty() && !st.locating) {
        locate(st);
      }
      return;
    }
    while (!st.queue.isEmpty() && st.queue.peek().spec != null) {
      Call c = st.queue.poll();
      st.sent.put(c.seq, c);
      Connection conn = st.conn;
      conn.call(new Msg.PushTask(c.spec))
          .whenComplete((reply, err) -> onReply(st, conn, c, reply, err));
    }
  }

  private void onReply(ActorState st, Connection conn, Call c, Msg reply, Throwable err) {
    synchronized (st) {
      st.sent.remove(c.seq);
    }
    if (reply instanceof Msg.TaskReply r) {
      if (r.status() == 3) {
        synchronized (st) {
          markDead(st, r.errorText());
        }
      }
      TaskSubmitter.complete(cw, c.spec, r, "actor " + st.id + " at " + conn.peer(), conn);
      CoreWorker.releaseHeld(c.keepAlive[1]); // the call is done with its arguments
      return;
    }
    String why = err != null ? Serde.rootMessage(err) : String.valueOf(reply);
    synchronized (st) {
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
    st.locating = true;
    cw.control()
        .call(new Msg.GetActorInfo(st.id.hi(), st.id.lo(), true, 120_000, st.staleAddress))
        .whenComplete(
            (reply, err) -> {
              if (reply instanceof Msg.ActorInfo info
                  && info.state() == 1
                  && info.address() != null) {
                cw.peer(info.address())
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
                              st.ctorArgs = null;
                              st.conn = conn;
                              st.address = info.address();
                              st.incarnation = info.incarnation();
                              conn.closeFuture().thenRun(() -> onDisconnect(st, conn));
                            }
                            pump(st);
                          }
                        });
                return;
              }
              synchronized (st) {
                st.locating = false;
                if (reply instanceof Msg.ActorInfo info && info.state() == 3) {
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

  private void onDisconnect(ActorState st, Connection conn) {
    synchronized (st) {
      if (st.conn == conn) {
        st.conn = null;
        st.staleAddress = st.address;
        pump(st);
      }
    }
  }

  private void markDead(ActorState st, String reason) {
    if (st.deathReason == null) {
      st.deathReason = reason;
    }
    pump(st);
  }
}
