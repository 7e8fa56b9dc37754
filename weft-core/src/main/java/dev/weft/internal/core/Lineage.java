package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectLostException;
import dev.weft.TaskOptions;
import dev.weft.internal.proto.Msg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lineage: what an owner keeps to make again the objects it lost (issue 11, item 3), after the
 * ownership paper (Wang et al., NSDI 2021, section 4.3): the owner of a task's result records the
 * task, and when every copy of the result is gone it runs the task again, first making again any of
 * the task's arguments that are gone too.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  a task's reply, a result in a node store → a {@link Record}: the task's spec (function, inline
 *     arguments, ids of ref arguments), options, retries left, and the records of the refs it was
 *     given that this process owns (top-level, nested in plain arguments, captured by a lambda);
 *     attached to each stored result's entry. Inline results need none (their
 *     value is here, it cannot be lost with a node).
 *  a record lives while an entry or a dependent record refers to it: values are freed as before,
 *     only specs stay (a freed argument can still be made again for a lost dependent)
 *  the bytes of live records are bounded by weft.lineage.maxBytes: the oldest are evicted (spec
 *     dropped), and an object whose record was evicted fails with a message that says so
 *  NodeDied → the owner drops the node from its objects' locations (OwnershipTable); an object with
 *     none left is lost. A reader of a lost object (the owner's get, a borrower's GetObject, a
 *     task's argument) calls {@link #rebuild}:
 *     record with retries left → every owned ref argument is made available first: present → as
 *        is; lost → rebuilt, by the same rule; freed → its entry is made again, pending, and its
 *        own record is run again → then the task is queued again (attempt + 1, one retry used),
 *        holding its arguments as the first run did
 *     its reply (TaskSubmitter) → the results' new locations are recorded; the readers go on
 *     no record (a put, an actor call's result), evicted, retries used up, the run failed →
 *        ObjectLostException saying which
 * </pre>
 *
 * Locks: an entry's monitor may be taken before this object's, never the other way round.
 */
final class Lineage {
  private static final Logger log = LoggerFactory.getLogger(Lineage.class);

  /** The default bound of lineage memory per owner process (bytes of recorded specs). */
  static final long DEFAULT_MAX_BYTES = 64L << 20;

  /** Fixed cost counted for each record, beside its inline arguments and function. */
  static final int RECORD_OVERHEAD = 256;

  /** One task, as recorded to run it again. Fields guarded by the {@link Lineage} monitor. */
  static final class Record {
    /** The spec of its last run; null once evicted or released. */
    Msg.TaskSpec spec;

    final TaskOptions options;

    /** Where it was queued: its resources, job and strategy. */
    final TaskSubmitter.KeyState ks;

    /** The ref arguments this process owns, and their records (null: none, e.g. a put). */
    final ObjectId[] ownedArgs;

    final Record[] argRecords;

    /**
     * The values of owned arguments that had no record because their value was in this process (a
     * task's inline result) when this record was made; null where not. Such an argument freed
     * before this record's task has to run again is restored from here: nothing else could make it
     * again.
     */
    final byte[][] inlineArgs;

    final long bytes;
    int retriesLeft;

    /** Entries and dependent records referring to this one. */
    int refs;

    boolean evicted;
    boolean released;
    boolean argsDropped;

    /** The run in progress that makes its results again, or null. */
    CompletableFuture<Void> rebuilding;

    Record(
        Msg.TaskSpec spec,
        TaskOptions options,
        TaskSubmitter.KeyState ks,
        ObjectId[] ownedArgs,
        Record[] argRecords,
        byte[][] inlineArgs,
        long bytes,
        int retriesLeft) {
      this.spec = spec;
      this.options = options;
      this.ks = ks;
      this.ownedArgs = ownedArgs;
      this.argRecords = argRecords;
      this.inlineArgs = inlineArgs;
      this.bytes = bytes;
      this.retriesLeft = retriesLeft;
    }
  }

  private final CoreWorker cw;
  private final long maxBytes;

  /** Live records not evicted, oldest first (identity set: records do not define equals). */
  private final LinkedHashSet<Record> order = new LinkedHashSet<>();

  private long bytes;
  private long evictions;

  Lineage(CoreWorker cw, long maxBytes) {
    this.cw = cw;
    this.maxBytes = maxBytes;
  }

  /** The bound from {@code -Dweft.lineage.maxBytes}, else {@link #DEFAULT_MAX_BYTES}. */
  static long configuredMaxBytes() {
    String v = System.getProperty("weft.lineage.maxBytes");
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-Dweft.lineage.maxBytes="
              + v
              + " is not a byte count: give a whole number of bytes, at least 0 (0 keeps no"
              + " lineage: lost objects are not made again)");
    }
  }

  /**
   * Bytes of live lineage records and how many were evicted (tests; `weft memory` could show it).
   */
  synchronized String describe() {
    return "lineage: "
        + order.size()
        + " records, "
        + bytes
        + " of "
        + maxBytes
        + " bytes, "
        + evictions
        + " evicted";
  }

  synchronized long bytes() {
    return bytes;
  }

  // ------------------------------------------------------------------ recording

  /**
   * Task {@code t} ran and its reply is recorded in the table: its results in a node store get a
   * record (its arguments are still held by {@code t}, so their entries are there).
   */
  void record(TaskSubmitter.PendingTask t, TaskSubmitter.KeyState ks, Msg.TaskReply r) {
    Msg.TaskSpec s = t.spec;
    int n = Math.max(1, s.numReturns());
    boolean stored = false;
    for (int i = 0; i < n && !stored; i++) {
      stored = r.returns().get(i) == null;
    }
    if (!stored) {
      return;
    }
    long size = RECORD_OVERHEAD + 2L * s.name().length();
    Msg.FunctionDesc fn = s.fn();
    if (fn != null && fn.captured() != null) {
      size += fn.captured().length;
    }
    for (Msg.Arg a : s.args()) {
      size += a.value() != null ? a.value().length : 32;
    }
    // the refs this process owns that the task was given: top-level arguments, refs nested in
    // plain arguments, a lambda's captured refs (the task holds a copy of each until its reply)
    java.util.LinkedHashSet<ObjectId> ids = new java.util.LinkedHashSet<>();
    ownedRefs(t.keepAlive, ids);
    List<ObjectId> owned = new ArrayList<>(ids);
    List<Record> ownedRecords = new ArrayList<>(owned.size());
    byte[][] inline = null;
    for (int i = 0; i < owned.size(); i++) {
      OwnershipTable.Entry e = cw.table.get(owned.get(i));
      ownedRecords.add(e == null ? null : e.lineage);
      size += 16;
      if (e != null && e.lineage == null && e.origin == OwnershipTable.ORIGIN_TASK) {
        // a task's result whose value is here (inline): kept, since no record could make it again
        OwnershipTable.Stored v = e.ready.getNow(null);
        if (v != null && !v.failed() && !v.inStore() && v.value() != null && e.contained == null) {
          if (inline == null) {
            inline = new byte[owned.size()][];
          }
          inline[i] = v.value();
          size += v.value().length;
        }
      }
    }
    Record rec =
        new Record(
            s,
            t.options,
            ks,
            owned.toArray(ObjectId[]::new),
            ownedRecords.toArray(Record[]::new),
            inline,
            size,
            t.retriesLeft);
    synchronized (this) {
      rec.refs = 1; // ours until the results hold it
      for (Record ar : rec.argRecords) {
        if (ar != null && !ar.released) {
          ar.refs++;
        }
      }
      order.add(rec);
      bytes += size;
    }
    for (int i = 0; i < n; i++) {
      if (r.returns().get(i) == null) {
        attach(cw.table.get(new ObjectId(s.returnHi(), s.firstReturnLo() + i)), rec);
      }
    }
    release(rec);
    synchronized (this) {
      evictOverBound();
    }
  }

  /** Adds the ids of the refs this process owns among {@code held} (arrays and lists, nested). */
  private void ownedRefs(Object held, java.util.Set<ObjectId> out) {
    switch (held) {
      case RefImpl<?> r when cw.address.equals(r.ownerAddress()) -> out.add(r.id());
      case Object[] a -> {
        for (Object o : a) {
          ownedRefs(o, out);
        }
      }
      case List<?> l -> l.forEach(o -> ownedRefs(o, out));
      case null, default -> {}
    }
  }

  /** Makes {@code rec} the lineage of {@code e}, unless it is gone or has one. */
  private void attach(OwnershipTable.Entry e, Record rec) {
    if (e == null) {
      return;
    }
    synchronized (e) {
      if (cw.table.get(e.id) != e || e.lineage != null) {
        return;
      }
      synchronized (this) {
        if (rec.released) {
          return;
        }
        rec.refs++;
      }
      e.lineage = rec;
    }
  }

  /** {@code e} was freed: its record loses a reference. Called under the entry's monitor. */
  void entryFreed(OwnershipTable.Entry e) {
    Record r = e.lineage;
    if (r != null) {
      e.lineage = null;
      release(r);
    }
  }

  private void release(Record r) {
    ArrayDeque<Record> todo = new ArrayDeque<>();
    todo.add(r);
    synchronized (this) {
      dropReferences(todo);
    }
  }

  /**
   * Each record in {@code todo} loses one reference; one left with none is released, and its
   * arguments' records lose theirs in turn. Caller holds this monitor.
   */
  private void dropReferences(ArrayDeque<Record> todo) {
    Record x;
    while ((x = todo.poll()) != null) {
      if (x.released || --x.refs > 0) {
        continue;
      }
      x.released = true;
      if (order.remove(x)) {
        bytes -= x.bytes;
      }
      x.spec = null;
      dropArgs(x, todo);
    }
  }

  /** The records of {@code x}'s arguments lose their reference from it (once). */
  private static void dropArgs(Record x, ArrayDeque<Record> todo) {
    if (!x.argsDropped) {
      x.argsDropped = true;
      for (int i = 0; i < x.argRecords.length; i++) {
        if (x.argRecords[i] != null) {
          todo.add(x.argRecords[i]);
          x.argRecords[i] = null; // not kept reachable from here any more
        }
        if (x.inlineArgs != null) {
          x.inlineArgs[i] = null;
        }
      }
    }
  }

  /** Evicts the oldest records while over the bound. Caller holds this monitor. */
  private void evictOverBound() {
    if (bytes <= maxBytes) {
      return;
    }
    ArrayDeque<Record> todo = new ArrayDeque<>();
    Iterator<Record> it = order.iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Record x = it.next();
      it.remove();
      bytes -= x.bytes;
      x.evicted = true;
      if (x.rebuilding == null) {
        x.spec = null;
      }
      dropArgs(x, todo);
      if (evictions++ == 0) {
        log.warn(
            "lineage over weft.lineage.maxBytes={} bytes: the oldest records are evicted, and an"
                + " object of theirs lost with a node will not be made again (raise"
                + " -Dweft.lineage.maxBytes to keep more)",
            maxBytes);
      }
    }
    dropReferences(todo); // the evicted records' arguments lose their reference from them
  }

  // ------------------------------------------------------------------ rebuilding

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /**
   * Makes the lost object {@code e} again from its lineage: a future that completes once a copy is
   * back (or fails with ObjectLostException saying why it could not be), or null when it cannot be
   * tried ({@link OwnershipTable.Entry#noRebuild} then says why). Done at once when it is not lost.
   */
  CompletableFuture<Void> rebuild(OwnershipTable.Entry e) {
    Record r;
    CompletableFuture<Void> f;
    synchronized (e) {
      if (e.rebuilt != null) {
        return e.rebuilt;
      }
      if (!OwnershipTable.isLost(e)) {
        return DONE;
      }
      r = e.lineage;
      String why = whyNot(e, r);
      if (why != null) {
        e.noRebuild = why;
        return null;
      }
      f = new CompletableFuture<>();
      e.rebuilt = f;
    }
    log.info("object {} was lost with node {}: running its task again", e.id, e.lostWith);
    rebuildRecord(r).whenComplete((v, err) -> rebuilt(e, f, err));
    return f;
  }

  /**
   * A rebuild of {@code e}'s record ended: its waiters go on (they look again: a copy made on a
   * node that died meanwhile is lost again), or fail saying why.
   */
  private static void rebuilt(OwnershipTable.Entry e, CompletableFuture<Void> f, Throwable err) {
    synchronized (e) {
      if (e.rebuilt == f) {
        e.rebuilt = null;
      }
      if (err != null) {
        e.noRebuild = Serde.rootMessage(err);
        e.rebuildFailed = true;
      }
    }
    if (err != null) {
      f.completeExceptionally(new ObjectLostException(OwnershipTable.lostMessage(e)));
    } else {
      f.complete(null);
    }
  }

  /** Why {@code e} cannot be made again (null: it can be tried). Caller holds e's monitor. */
  private String whyNot(OwnershipTable.Entry e, Record r) {
    if (e.rebuildFailed) {
      return e.noRebuild; // tried and failed: final for this object
    }
    if (r == null) {
      return switch (e.origin) {
        case OwnershipTable.ORIGIN_ACTOR ->
            "it was made by an actor call, and an actor call is not run again to make a lost"
                + " object (the actor's state has moved on)";
        case OwnershipTable.ORIGIN_TASK ->
            "it has no lineage (this process keeps none: -Dweft.lineage.maxBytes=0)";
        default ->
            "it was put (Weft.put, or a large argument the runtime put), and only a task's"
                + " result can be made again from its lineage: keep what must survive a node in"
                + " a task's result or in a process that does";
      };
    }
    synchronized (this) {
      if (r.evicted && r.rebuilding == null) {
        return "its lineage was evicted to keep this owner's lineage under"
            + " weft.lineage.maxBytes="
            + maxBytes
            + " bytes (raise -Dweft.lineage.maxBytes to keep more)";
      }
      if (r.retriesLeft == 0 && r.rebuilding == null) {
        return "making it again needs another run of task "
            + (r.spec != null ? r.spec.name() : "")
            + ", and its retries are used up (maxRetries = "
            + r.options.maxRetries()
            + ")";
      }
      if (r.released) {
        return "its lineage was released";
      }
    }
    return null;
  }

  /** Runs {@code r}'s task again (once for all its results), its lost arguments made first. */
  private CompletableFuture<Void> rebuildRecord(Record r) {
    Msg.TaskSpec spec;
    CompletableFuture<Void> out;
    synchronized (this) {
      if (r.rebuilding != null) {
        return r.rebuilding;
      }
      if (r.spec == null || r.released) {
        return CompletableFuture.failedFuture(
            new ObjectLostException(
                r.evicted
                    ? "its lineage was evicted (weft.lineage.maxBytes=" + maxBytes + ")"
                    : "its lineage was released"));
      }
      if (r.retriesLeft == 0) {
        return CompletableFuture.failedFuture(
            new ObjectLostException(
                "task "
                    + r.spec.name()
                    + " would have to run again, and its retries are used up (maxRetries = "
                    + r.options.maxRetries()
                    + ")"));
      }
      if (r.retriesLeft > 0) {
        r.retriesLeft--;
      }
      spec = r.spec;
      out = new CompletableFuture<>();
      r.rebuilding = out;
    }
    List<Object> hold = new ArrayList<>();
    List<CompletableFuture<Void>> args = new ArrayList<>();
    String[] failure = new String[1];
    for (int i = 0; i < r.ownedArgs.length && failure[0] == null; i++) {
      ObjectId id = r.ownedArgs[i];
      Record ar = r.argRecords[i];
      byte[] inlineValue = r.inlineArgs == null ? null : r.inlineArgs[i];
      OwnershipTable.Entry[] made = new OwnershipTable.Entry[1];
      OwnershipTable.Entry a = null;
      while (a == null) {
        made[0] = null;
        OwnershipTable.Entry got =
            cw.table.getOrCreate(
                id,
                () -> {
                  // freed since: its entry is made again, pending, filled by a run of its task
                  OwnershipTable.Entry fresh = new OwnershipTable.Entry(id);
                  fresh.origin = OwnershipTable.ORIGIN_TASK;
                  synchronized (this) {
                    if (ar != null && !ar.released && ar.spec != null) {
                      ar.refs++;
                      fresh.lineage = ar;
                    }
                  }
                  fresh.rebuilt = new CompletableFuture<>();
                  made[0] = fresh;
                  return fresh;
                });
        synchronized (got) {
          // held under its monitor, so that it cannot be freed between finding and holding it
          if (cw.table.get(id) == got) {
            hold.add(cw.refs.newRef(id, got));
            a = got;
          }
        }
        if (a == null && made[0] != null) {
          entryFreed(made[0]); // freed before it was held: its record reference goes back
        }
      }
      if (made[0] != null) {
        CompletableFuture<Void> af = a.rebuilt;
        if (a.lineage == null && inlineValue != null) {
          // a task's inline result, freed since: its value was kept in this record
          cw.table.complete(id, inlineValue);
          af.complete(null);
        } else if (a.lineage == null) {
          failure[0] =
              "its argument "
                  + id
                  + " was freed, and it cannot be made again: "
                  + (ar == null ? "it was put" : "its lineage was evicted");
          af.completeExceptionally(new ObjectLostException(failure[0]));
          cw.table.fail(
              id, new OwnershipTable.ErrorInfo(Msg.ErrorKind.OBJECT_LOST, failure[0], null));
        } else {
          log.debug("argument {} of task {} was freed: running its task again", id, spec.name());
          remake(a, af);
        }
        args.add(af);
      } else {
        CompletableFuture<Void> af = rebuild(a);
        if (af == null) {
          failure[0] = "its argument " + id + " is lost, and " + a.noRebuild;
        } else {
          args.add(af);
        }
      }
    }
    if (failure[0] != null) {
      finished(r, null, failure[0]);
      RefLifecycle.releaseHeld(hold);
      return out;
    }
    CompletableFuture.allOf(args.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                finished(
                    r,
                    null,
                    "an argument of task "
                        + spec.name()
                        + " could not be made again: "
                        + Serde.rootMessage(err));
                RefLifecycle.releaseHeld(hold);
              } else {
                try {
                  cw.submitter.resubmit(r, spec, hold.toArray());
                } catch (RuntimeException e) {
                  finished(r, null, "task " + spec.name() + " could not be queued again: " + e);
                  RefLifecycle.releaseHeld(hold);
                }
              }
            });
    return out;
  }

  /**
   * Fills the entry {@code a}, made again pending for a freed argument, by a run of its record;
   * {@code af} completes once it is filled (or fails). A run this joined may have published its
   * results just before the entry existed: then it runs the record again.
   */
  private void remake(OwnershipTable.Entry a, CompletableFuture<Void> af) {
    rebuildRecord(a.lineage)
        .whenComplete(
            (v, err) -> {
              if (err == null && !a.ready.isDone() && cw.table.get(a.id) == a) {
                remake(a, af); // the run it joined had published before this entry existed
                return;
              }
              synchronized (a) {
                if (a.rebuilt == af) {
                  a.rebuilt = null;
                }
              }
              if (err != null) {
                cw.table.fail(
                    a.id,
                    new OwnershipTable.ErrorInfo(
                        Msg.ErrorKind.OBJECT_LOST, Serde.rootMessage(err), null));
                af.completeExceptionally(err);
              } else {
                af.complete(null);
              }
            });
  }

  /**
   * A run of {@code r}'s task that makes its results again ended: {@code ran} is it (null if it
   * never ran), {@code error} why it failed (null: it succeeded, its results are recorded).
   */
  void finished(Record r, TaskSubmitter.PendingTask ran, String error) {
    finished(r, ran, error, null);
  }

  /**
   * As above, with the run's reply: a result it returned inline this time cannot fill an entry that
   * was in a store (its value changed size: the task is not deterministic), which then fails.
   */
  void finished(Record r, TaskSubmitter.PendingTask ran, String error, Msg.TaskReply reply) {
    if (reply != null && ran != null) {
      Msg.TaskSpec s = ran.spec;
      for (int i = 0; i < Math.max(1, s.numReturns()); i++) {
        OwnershipTable.Entry e = cw.table.get(new ObjectId(s.returnHi(), s.firstReturnLo() + i));
        if (reply.returns().get(i) != null && e != null && OwnershipTable.isLost(e)) {
          synchronized (e) {
            e.noRebuild =
                "its task ran again and returned it inline this time (its value changed size:"
                    + " the task is not deterministic)";
            e.rebuildFailed = true;
          }
        }
      }
    }
    CompletableFuture<Void> f;
    synchronized (this) {
      f = r.rebuilding;
      r.rebuilding = null;
      if (ran != null) {
        r.retriesLeft = ran.retriesLeft;
        if (!r.released && !r.evicted) {
          r.spec = ran.spec;
        } else {
          r.spec = null;
        }
      }
    }
    if (f == null) {
      return;
    }
    if (error == null) {
      f.complete(null);
    } else {
      f.completeExceptionally(new ObjectLostException(error));
    }
  }
}
