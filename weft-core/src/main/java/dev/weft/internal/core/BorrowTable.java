package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.internal.proto.Msg;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The borrower side of reference counting: for each object this process holds refs to but does not
 * own, how many live ref instances there are. The first instance registers this process with the
 * owner (AddBorrower); dropping the last deregisters it (RemoveBorrower). Per object the two are
 * chained, each sent after the previous one was acknowledged, so the owner sees them in order.
 */
final class BorrowTable {
  private static final class State {
    final String owner;
    int count;
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);

    State(String owner) {
      this.owner = owner;
    }
  }

  private final CoreWorker cw;
  private final ConcurrentHashMap<ObjectId, State> states = new ConcurrentHashMap<>();

  BorrowTable(CoreWorker cw) {
    this.cw = cw;
  }

  /** Ref instances of borrowed objects made in this process so far (each one may be dropped). */
  private final java.util.concurrent.atomic.AtomicLong acquired =
      new java.util.concurrent.atomic.AtomicLong();

  long acquired() {
    return acquired.get();
  }

  /** One more live instance; returns when this process's registration with the owner is done. */
  CompletableFuture<Void> acquire(ObjectId id, String owner) {
    acquired.incrementAndGet();
    CompletableFuture<?>[] out = new CompletableFuture<?>[1];
    states.compute(
        id,
        (k, s) -> {
          if (s == null) {
            s = new State(owner);
          }
          if (s.count++ == 0) {
            s.chain = s.chain.thenCompose(v -> send(borrowMessage(id, owner, true), owner));
          }
          out[0] = s.chain;
          return s;
        });
    @SuppressWarnings("unchecked")
    CompletableFuture<Void> f = (CompletableFuture<Void>) out[0];
    return f;
  }

  /**
   * One more live instance of an object whose owner registered this process as a borrower itself
   * (the control store, at Weft.putDetached): nothing is sent for it.
   */
  void acquireRegistered(ObjectId id, String owner) {
    acquired.incrementAndGet();
    states.compute(
        id,
        (k, s) -> {
          if (s == null) {
            s = new State(owner);
          }
          s.count++;
          return s;
        });
  }

  /** One instance fewer; the last one deregisters (and forgets the object once that is done). */
  void release(ObjectId id) {
    states.computeIfPresent(
        id,
        (k, s) -> {
          if (--s.count == 0) {
            CompletableFuture<Void> c =
                s.chain.thenCompose(v -> send(borrowMessage(id, s.owner, false), s.owner));
            s.chain = c;
            c.whenComplete(
                (v, e) ->
                    states.computeIfPresent(
                        id, (k2, s2) -> s2 == s && s2.count == 0 && s2.chain == c ? null : s2));
          }
          return s;
        });
  }

  /** AddBorrower or RemoveBorrower; for the control store, with this process's node. */
  private Msg borrowMessage(ObjectId id, String owner, boolean add) {
    if (CoreWorker.controlOwned(owner)) {
      return new Msg.DetachedBorrower(id.hi(), id.lo(), cw.address, cw.nodeId, add);
    }
    return add
        ? new Msg.AddBorrower(id.hi(), id.lo(), cw.address)
        : new Msg.RemoveBorrower(id.hi(), id.lo(), cw.address);
  }

  private CompletableFuture<Void> send(Msg m, String owner) {
    return cw.callOwner(owner, m)
        .handle(
            (reply, err) -> null); // an owner that is gone or freed the object: nothing left to do
  }

  int size() {
    return states.size();
  }
}
