package dev.weft.internal.core;

import dev.weft.GetTimeoutException;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.WaitResult;
import dev.weft.WeftException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.core.OwnershipTable.Stored;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;
import dev.weft.internal.rpc.Connection;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading objects: {@code get}, {@code wait}, {@code getBuffer} and {@code toFuture} for any ref
 * (from the ownership table if this process owns it, else from its owner with GetObject), the
 * owner's side of GetObject ({@link #serveObject}), and {@link #await}, the spin-then-park wait by
 * which every thread of this process blocks on a result.
 *
 * <p>Threads: {@link #storedAsync} and {@link #serveObject} never block and may run on event loops;
 * the rest block the calling (user or task) thread in {@link #await}. {@link #toFuture} completes
 * on a virtual thread, never on an event loop.
 */
final class ObjectFetcher {
  private static final Logger log = LoggerFactory.getLogger(ObjectFetcher.class);

  private final CoreWorker cw;
  private final String address;
  private final OwnershipTable table;
  private final Peers peers;
  private final StoreClient store;
  private final RefLifecycle lifecycle;
  private final Executor blocking;

  ObjectFetcher(CoreWorker cw) {
    this.cw = cw;
    this.address = cw.address;
    this.table = cw.table;
    this.peers = cw.peers;
    this.store = cw.store;
    this.lifecycle = cw.refs;
    this.blocking = cw.blocking;
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
                    ErrorKind.OBJECT_LOST,
                    "object "
                        + ref.id()
                        + " is no longer in its owner "
                        + address
                        + ": every reference to it was dropped before this get (keep a reference while you need the object)",
                    null)));
      }
      return e.ready;
    }
    String owner = ref.ownerAddress();
    waitingOn.computeIfAbsent(owner, a -> new AtomicInteger()).incrementAndGet();
    return cw.callOwner(owner, new Msg.GetObject(ref.id().hi(), ref.id().lo(), timeoutMillis))
        .handle(
            (m, err) -> {
              waitingOn.computeIfPresent(owner, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
              if (err != null && CoreWorker.controlOwned(owner)) {
                return new Stored(
                    null,
                    new ErrorInfo(
                        ErrorKind.OBJECT_LOST,
                        "object "
                            + ref.id()
                            + " is owned by the control store (Weft.putDetached), which did not"
                            + " answer: "
                            + Serde.rootMessage(err)
                            + ". Is the cluster still running? (`weft status`)",
                        null));
              }
              if (err != null) {
                Silent gone = silentOwners.get(owner);
                String silent = gone == null ? null : gone.why();
                return new Stored(
                    null,
                    new ErrorInfo(
                        ErrorKind.OWNER_DIED,
                        "the owner of object "
                            + ref.id()
                            + " (process "
                            + owner
                            + ") "
                            + (silent != null
                                ? silent
                                : "is unreachable: " + Serde.rootMessage(err))
                            + ". Objects share their owner's fate: recreate the object from a live process",
                        null));
              }
              if (m instanceof Msg.ObjectReply r) {
                return switch (r.status()) {
                  case READY -> new Stored(r.value(), null);
                  case IN_STORE -> new Stored(null, null, true, r.locations());
                  case FAILED -> new Stored(null, Errors.decodeError(r.error()));
                  case TIMED_OUT -> null; // timed out at the owner: caller decides
                  case UNKNOWN ->
                      CoreWorker.controlOwned(owner)
                          ? new Stored(
                              null,
                              new ErrorInfo(
                                  ErrorKind.OBJECT_LOST,
                                  "object "
                                      + ref.id()
                                      + " (put with Weft.putDetached) is no longer held by the"
                                      + " control store: it was freed when no process held a"
                                      + " reference to it any more (the last one let it go, or"
                                      + " died), or this process's registration was refused",
                                  null))
                          : new Stored(
                              null,
                              new ErrorInfo(
                                  ErrorKind.OBJECT_LOST,
                                  "object "
                                      + ref.id()
                                      + " is unknown to its owner "
                                      + ref.ownerAddress()
                                      + " (freed after its last reference was dropped)",
                                  null));
                  case null ->
                      new Stored(
                          null,
                          new ErrorInfo(ErrorKind.OBJECT_LOST, "bad reply from owner: " + m, null));
                };
              }
              return new Stored(
                  null, new ErrorInfo(ErrorKind.OBJECT_LOST, "bad reply from owner: " + m, null));
            });
  }

  /**
   * How long an owner has to answer a {@link Msg.Ping} after a node died before it counts as dead.
   */
  static final long OWNER_PROBE_MILLIS = 3000;

  /** Owners this process waits on (GetObject calls out), by address, with the count of calls. */
  private final Map<String, AtomicInteger> waitingOn =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Owners that did not answer a probe, and why they count as dead (for the error's message). */
  private final Map<String, Silent> silentOwners = new java.util.concurrent.ConcurrentHashMap<>();

  /** Why an owner counts as dead, and when that was found (entries go after an hour). */
  private record Silent(String why, long atNanos) {}

  private static final long SILENT_KEPT_NANOS = TimeUnit.HOURS.toNanos(1);

  /**
   * Node {@code nodeId} died (NodeDied): an owner on it may be stopped rather than gone, and its
   * connection would never close. Each owner this process waits on is pinged; one that does not
   * answer two pings of {@link #OWNER_PROBE_MILLIS} each in a row (a live owner answers in
   * milliseconds; two misses make a pause of the owner's JVM an unlikely cause) has its connection
   * closed, so that the gets waiting on it fail with OwnerDiedException instead of hanging. (A ref
   * names its owner by address only, so the owners on the dead node are found by asking, not looked
   * up; the others answer at once.)
   */
  void probeOwners(String nodeId) {
    long now = System.nanoTime();
    silentOwners.values().removeIf(g -> now - g.atNanos() > SILENT_KEPT_NANOS);
    for (String owner : waitingOn.keySet()) {
      if (CoreWorker.controlOwned(owner)) {
        continue; // the control store is not on the dead node: its link handles its own loss
      }
      peers
          .peer(owner)
          .thenCompose(
              c ->
                  ping(c)
                      .exceptionallyCompose(
                          e -> isTimeout(e) ? ping(c) : CompletableFuture.failedFuture(e)))
          .whenComplete(
              (reply, err) -> {
                if (err != null) {
                  String why =
                      isTimeout(err)
                          ? "did not answer two pings of " + OWNER_PROBE_MILLIS + " ms"
                          : "is unreachable (" + Serde.rootMessage(err) + ")";
                  log.warn(
                      "owner {} {} after node {} died: it ran there, its objects are lost",
                      owner,
                      why,
                      nodeId);
                  silentOwners.put(
                      owner,
                      new Silent(
                          why + " after node " + nodeId + " died: it ran there",
                          System.nanoTime()));
                  peers.close(owner);
                }
              });
    }
  }

  private static CompletableFuture<Msg> ping(Connection c) {
    return c.call(new Msg.Ping()).orTimeout(OWNER_PROBE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static boolean isTimeout(Throwable e) {
    return e instanceof TimeoutException || e.getCause() instanceof TimeoutException;
  }

  /** A GetObject from another process: answers when the object we own is ready (on any thread). */
  void serveObject(Connection c, long reqId, Msg.GetObject g) {
    OwnershipTable.Entry e = table.get(new ObjectId(g.hi(), g.lo()));
    if (e == null) {
      c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.UNKNOWN, null, null));
      return;
    }
    CompletableFuture<Stored> f = e.ready;
    if (g.timeoutMillis() > 0 && !f.isDone()) {
      f = f.copy().orTimeout(g.timeoutMillis(), TimeUnit.MILLISECONDS);
    }
    f.whenComplete(
        (s, err) -> {
          if (err != null) {
            c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.TIMED_OUT, null, null));
          } else if (s.failed()) {
            c.reply(
                reqId,
                new Msg.ObjectReply(Msg.ObjectStatus.FAILED, null, Errors.encodeError(s.error())));
          } else if (s.inStore() && (OwnershipTable.isLost(e) || e.rebuilt != null)) {
            CompletableFuture<Void> again = cw.lineage.rebuild(e);
            if (again != null) {
              // answered once it is made again from its lineage (or could not be)
              again.whenComplete((v, rerr) -> serveObject(c, reqId, g));
              return;
            }
            c.reply(
                reqId,
                new Msg.ObjectReply(
                    Msg.ObjectStatus.FAILED,
                    null,
                    Errors.encodeError(
                        new ErrorInfo(
                            ErrorKind.OBJECT_LOST, OwnershipTable.lostMessage(e), null))));
          } else if (s.inStore()) {
            // read it from your node's store, pulled there from one of these first if missing
            c.reply(
                reqId,
                new Msg.ObjectReply(
                    Msg.ObjectStatus.IN_STORE, null, null, OwnershipTable.locationsForPuller(e)));
          } else {
            c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.READY, s.value(), null));
          }
        });
  }

  @SuppressWarnings("unchecked")
  <T> T valueOf(ObjectRef<?> ref, Stored s) {
    if (s.failed()) {
      throw Errors.toException(s.error());
    }
    if (s.inStore()) {
      return (T)
          store.reads.readFromStore(
              ref.id(), ref.ownerAddress(), s.locations(), Msg.PULL_FOR_GET, "object " + ref.id());
    }
    return (T) lifecycle.deserialize(s.value(), "object " + ref.id());
  }

  <T> T get(ObjectRef<T> ref, Duration timeout) {
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

  <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
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

  <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
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

  /** A zero-copy view of a binary object: in place in the store, or over the heap value. */
  dev.weft.ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) {
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
      return store.reads.view(ref.id(), ref.ownerAddress(), s.locations());
    }
    Object v = valueOf(ref, s);
    MemorySegment seg =
        switch (v) {
          case byte[] a -> MemorySegment.ofArray(a);
          case short[] a -> MemorySegment.ofArray(a);
          case char[] a -> MemorySegment.ofArray(a);
          case int[] a -> MemorySegment.ofArray(a);
          case long[] a -> MemorySegment.ofArray(a);
          case float[] a -> MemorySegment.ofArray(a);
          case double[] a -> MemorySegment.ofArray(a);
          case java.nio.ByteBuffer b -> MemorySegment.ofBuffer(b);
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

  /**
   * The value as a future. It completes on a virtual thread of this process, never on an event
   * loop: reading the value may pin it in the store (a wait), and users' callbacks may block.
   */
  CompletableFuture<?> toFuture(ObjectRef<?> ref) {
    return storedAsync(ref, 0).thenApplyAsync(s -> valueOf(ref, s), blocking);
  }

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

  /**
   * Recent spins that ended with the answer ({@code spinHits}) and that ran out ({@code
   * spinMisses}), halved as they grow so they follow the machine: on a loaded machine, or for calls
   * that take longer than the spin, spinning only burns the CPU the answer needs, so waits skip it
   * while fewer than one spin in five pays, trying again every 32nd wait. Updated racily (a lost
   * count only shifts the estimate a little).
   */
  private int spinHits;

  private int spinMisses;
  private int spinSkips;

  static final boolean ADAPTIVE_SPIN =
      Boolean.parseBoolean(System.getProperty("weft.getSpinAdaptive", "true"));

  private boolean spinPays() {
    if (!ADAPTIVE_SPIN || spinHits * 4 >= spinMisses) {
      return true;
    }
    return (++spinSkips & 31) == 0;
  }

  private void spun(boolean answered) {
    if (answered) {
      spinHits++;
    } else {
      spinMisses++;
    }
    if (spinHits + spinMisses > 64) {
      spinHits >>= 1;
      spinMisses >>= 1;
    }
  }

  /**
   * Waits for {@code f}; a task thread that must wait tells its node manager it is blocked so the
   * CPU it holds can run other work meanwhile.
   */
  <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
    return await(f, timeout, what, 0);
  }

  /**
   * Waits for {@code f}; a task that waits longer than {@code blockedAfterNanos} (after a short
   * spin) tells its node that it is blocked, so the node may lend its CPU to another task until it
   * is unblocked. Waits on other tasks' results pass 0: the task may need a task queued behind it.
   * A short request to the node (reserving a block in the store, sealing it) passes a grace period
   * instead: telling the node for a wait of a millisecond made it lease the CPU to the next task at
   * once, and the waiting task then ran beside it (a shuffle's maps ran three at a time on two
   * CPUs).
   */
  <T> T await(CompletableFuture<T> f, Duration timeout, String what, long blockedAfterNanos) {
    // spin first: a fast answer then costs neither a park nor telling the node we are blocked
    if (SPIN_NANOS > 0 && !f.isDone() && !Thread.currentThread().isVirtual() && spinPays()) {
      long until = System.nanoTime() + SPIN_NANOS;
      while (!f.isDone() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      spun(f.isDone());
    }
    TaskContext ctx = TaskContext.current();
    Duration left = timeout;
    if (blockedAfterNanos > 0 && !f.isDone() && ctx != null && ctx.leaseId != 0) {
      long started = System.nanoTime();
      long grace =
          timeout == null ? blockedAfterNanos : Math.min(blockedAfterNanos, timeout.toNanos());
      try {
        return within(f, Math.max(0, grace), what);
      } catch (TimeoutException longer) {
        // waits on: tell the node below
      }
      if (timeout != null) {
        left = timeout.minusNanos(System.nanoTime() - started);
      }
    }
    boolean notify = !f.isDone() && ctx != null && ctx.leaseId != 0 && cw.node != null;
    if (notify && ctx.blockedDepth++ == 0) {
      cw.node.send(new Msg.WorkerBlocked(cw.workerId, ctx.leaseId));
    }
    try {
      return within(f, left == null ? -1 : Math.max(0, left.toNanos()), what);
    } catch (TimeoutException e) {
      throw new GetTimeoutException(what + " timed out after " + timeout.toMillis() + " ms");
    } finally {
      if (notify && --ctx.blockedDepth == 0) {
        cw.node.send(new Msg.WorkerUnblocked(cw.workerId, ctx.leaseId));
      }
    }
  }

  /** {@code f}'s value, waiting at most {@code nanos} (negative: for ever). */
  private static <T> T within(CompletableFuture<T> f, long nanos, String what)
      throws TimeoutException {
    try {
      return nanos < 0 ? f.get() : f.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException(what + " was interrupted");
    } catch (ExecutionException | CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof WeftException we) {
        throw we;
      }
      throw new WeftException(what + " failed: " + Serde.rootMessage(c), c);
    }
  }
}
