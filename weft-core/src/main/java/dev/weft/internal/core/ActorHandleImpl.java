package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;

/**
 * The runtime's {@link ActorHandle}: an id and a name; the caller side state lives in CoreWorker.
 *
 * <p>Handles are counted like refs: each holds a ref to the actor's <em>lifetime object</em>, the
 * object {@code (actorHi, actorLo)} owned by the process that created the actor. Passing a handle
 * to another process makes it a borrower of that object; when the last handle anywhere is gone the
 * object is freed, and its owner kills the actor unless it is detached.
 */
final class ActorHandleImpl<T> implements ActorHandle<T> {
  @Serial private static final long serialVersionUID = 1L;
  private final ActorId id;
  private final String name;

  /** The ref to the actor's lifetime object; null where this process cannot count it. */
  final ObjectRef<?> lifetime;

  ActorHandleImpl(ActorId id, String name, ObjectRef<?> lifetime) {
    this.id = id;
    this.name = name;
    this.lifetime = lifetime;
  }

  @Override
  public ActorId actorId() {
    return id;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void kill() {
    CoreWorker.current().killActor(id);
  }

  @Serial
  Object writeReplace() throws ObjectStreamException {
    java.util.List<RefImpl<?>> nested = RefLifecycle.NESTED.get();
    if (nested != null && lifetime instanceof RefImpl<?> r) {
      // the sender keeps the actor alive until the receiver registered, with a counted copy of its
      // own: the runtime releases what it holds when the call is done, never the user's handle
      CoreWorker w = CoreWorker.currentOrNull();
      nested.add(w == null ? r : w.refs.copyOf(r));
    }
    return new Wire(id.hi(), id.lo(), name, lifetime == null ? null : lifetime.ownerAddress());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActorHandle<?> h && h.actorId().equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "ActorHandle(" + (name != null ? name + ", " : "") + id + ")";
  }

  record Wire(long hi, long lo, String name, String owner) implements Serializable {
    @Serial
    Object readResolve() throws ObjectStreamException {
      CoreWorker w = CoreWorker.currentOrNull();
      ObjectRef<?> life =
          w == null || owner == null ? null : w.refs.adoptRef(new ObjectId(hi, lo), owner);
      return new ActorHandleImpl<>(new ActorId(hi, lo), name, life);
    }
  }
}
