package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lifecycle of ref instances in this process: making them ({@link #newRef}, {@link #adopt}),
 * the runtime's own counted copies ({@link #copyOf}, {@link #releaseHeld}), the refs nested in
 * values as they are serialized and deserialized, the borrower service that owners run (AddBorrower
 * and RemoveBorrower from other processes), and the collections that notice dropped borrowed refs
 * ({@link #collectSoon}).
 *
 * <p>Threads: every method may be called from any thread. {@link #onAddBorrower} and {@link
 * #onRemoveBorrower} run on event loops and do not block; {@link #deserialize} blocks (until the
 * borrower registrations of the refs in the value are acknowledged) and must not run on one.
 */
final class RefLifecycle {
  /** While serializing a value: collects the refs nested in it. */
  static final ThreadLocal<List<RefImpl<?>>> NESTED = new ThreadLocal<>();

  /** While deserializing a value: collects the borrower registrations its refs started. */
  static final ThreadLocal<List<CompletableFuture<Void>>> REGISTRATIONS = new ThreadLocal<>();

  private final CoreWorker cw;
  private final String address;
  private final OwnershipTable table;
  private final BorrowTable borrows;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<String, java.util.Set<ObjectId>> borrowedFromUs =
      new ConcurrentHashMap<>();

  RefLifecycle(CoreWorker cw) {
    this.cw = cw;
    this.address = cw.address;
    this.table = cw.table;
    this.borrows = cw.borrows;
    this.timer = cw.timer;
  }

  @SuppressWarnings("unchecked")
  <T> ObjectRef<T> newRef(ObjectId id, OwnershipTable.Entry e) {
    RefImpl<T> ref = new RefImpl<>(id, address);
    if (e != null) {
      table.addLocalRef(e);
      OwnershipTable tbl = table;
      ref.counted(OwnershipTable.CLEANER.register(ref, () -> tbl.releaseLocalRef(id)));
    }
    return ref;
  }

  /**
   * A counted copy of {@code ref}, for the runtime's own hold on an object (a pending task's
   * arguments, the refs nested in a value): it keeps the object alive whatever the user does with
   * their instance, and the runtime releases it as soon as it is done.
   */
  RefImpl<?> copyOf(RefImpl<?> ref) {
    ref.checkLive("pass");
    return adopt(ref.id(), ref.ownerAddress(), null);
  }

  /** Releases the runtime's copies in {@code held} (arrays and lists of them, nested). */
  static void releaseHeld(Object held) {
    switch (held) {
      case RefImpl<?> r -> r.release();
      case Object[] a -> {
        for (Object o : a) {
          releaseHeld(o);
        }
      }
      case List<?> l -> l.forEach(RefLifecycle::releaseHeld);
      case null, default -> {}
    }
  }

  /** Fails with a clear message when {@code ref} was released ({@link ObjectRef#release()}). */
  static void checkLive(ObjectRef<?> ref, String use) {
    if (ref instanceof RefImpl<?> r) {
      r.checkLive(use);
    }
  }

  /** Called when a ref is deserialized in this process (see {@link #deserialize}). */
  ObjectRef<?> adoptRef(ObjectId id, String owner) {
    return adopt(id, owner, null);
  }

  /**
   * A ref instance for {@code id} in this process: counted locally if we own it, else registered
   * with its owner as a borrower; the registration is added to {@code regs} (or to the
   * deserializing thread's list).
   */
  RefImpl<?> adopt(ObjectId id, String owner, List<CompletableFuture<Void>> regs) {
    if (owner.equals(address)) {
      return (RefImpl<?>) newRef(id, table.get(id));
    }
    RefImpl<?> r = new RefImpl<>(id, owner);
    CompletableFuture<Void> reg = borrows.acquire(id, owner);
    BorrowTable b = borrows;
    r.counted(OwnershipTable.CLEANER.register(r, () -> b.release(id)));
    List<CompletableFuture<Void>> sink = regs != null ? regs : REGISTRATIONS.get();
    if (sink != null && !reg.isDone()) {
      sink.add(reg);
    }
    return r;
  }

  /** Serializes a value, adding the refs nested in it to {@code nested}. */
  static byte[] serialize(Object value, String what, List<RefImpl<?>> nested) {
    List<RefImpl<?>> prev = NESTED.get();
    NESTED.set(nested);
    try {
      return Serde.serialize(value, what);
    } finally {
      NESTED.set(prev);
    }
  }

  /**
   * Deserializes a value; returns once this process is registered as a borrower of every ref in it
   * (the sender keeps them alive until then).
   */
  Object deserialize(byte[] bytes, String what) {
    return deserialize(bytes, null, what);
  }

  Object deserialize(byte[] bytes, java.nio.ByteBuffer buffer, String what) {
    List<CompletableFuture<Void>> prev = REGISTRATIONS.get();
    List<CompletableFuture<Void>> regs = new ArrayList<>();
    REGISTRATIONS.set(regs);
    Object o;
    try {
      o = bytes != null ? Serde.deserialize(bytes, what) : Serde.deserialize(buffer, what);
    } finally {
      REGISTRATIONS.set(prev);
    }
    if (!regs.isEmpty()) {
      cw.await(
          CompletableFuture.allOf(regs.toArray(CompletableFuture[]::new)),
          Duration.ofSeconds(60),
          "registering as a borrower of the refs inside " + what);
    }
    return o;
  }

  // ------------------------------------------------------------------ the borrower service

  /** An AddBorrower: {@code a.borrower()} holds a ref to an object this process owns. */
  void onAddBorrower(Connection c, long reqId, Msg.AddBorrower a) {
    ObjectId id = new ObjectId(a.hi(), a.lo());
    if (!table.addBorrower(id, a.borrower())) {
      c.replyFailure(reqId, "object " + id + " was already freed by its owner " + address);
      return;
    }
    java.util.Set<ObjectId> ids =
        borrowedFromUs.computeIfAbsent(
            a.borrower(),
            b -> {
              // a borrower whose connection closes is gone: it holds nothing any more
              c.closeFuture().thenRun(() -> dropBorrower(b));
              return ConcurrentHashMap.newKeySet();
            });
    ids.add(id);
    c.reply(reqId, new Msg.Ack());
  }

  /** A RemoveBorrower: {@code r.borrower()} dropped its last ref to an object we own. */
  void onRemoveBorrower(Connection c, long reqId, Msg.RemoveBorrower r) {
    ObjectId id = new ObjectId(r.hi(), r.lo());
    java.util.Set<ObjectId> ids = borrowedFromUs.get(r.borrower());
    if (ids != null) {
      ids.remove(id);
    }
    table.removeBorrower(id, r.borrower());
    c.reply(reqId, new Msg.Ack());
  }

  private void dropBorrower(String borrower) {
    java.util.Set<ObjectId> ids = borrowedFromUs.remove(borrower);
    if (ids != null) {
      for (ObjectId id : ids) {
        table.removeBorrower(id, borrower);
      }
    }
  }

  // ------------------------------------------------------------------ noticing dropped refs

  /**
   * After a task or actor call that made borrowed refs (received them in its arguments, say): a
   * collection soon (at most one per {@link #BORROW_GC_DELAY_MS}), so that those it dropped are
   * noticed and their owners can free the objects promptly, without a full GC on a timer (with G1
   * an explicit collection is a concurrent cycle here, see ProcessLauncher). Refs the runtime holds
   * itself are released without it; {@code ObjectRef.release()} is the deterministic way for user
   * code.
   */
  void collectSoon() {
    if (BORROW_GC_DELAY_MS > 0 && borrows.size() > 0 && gcSoon.compareAndSet(false, true)) {
      timer.schedule(
          () -> {
            gcSoon.set(false);
            if (borrows.size() > 0) {
              System.gc();
            }
          },
          BORROW_GC_DELAY_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  static final long BORROW_GC_DELAY_MS = Long.getLong("weft.borrowerGcDelayMillis", 1000);
  private final java.util.concurrent.atomic.AtomicBoolean gcSoon =
      new java.util.concurrent.atomic.AtomicBoolean();
}
