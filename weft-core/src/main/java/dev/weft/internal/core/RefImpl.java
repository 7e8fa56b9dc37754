package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime's {@link ObjectRef}. Serialized as a {@link Wire} record; deserializing one in
 * another process makes that process a borrower of the object.
 *
 * <p>Each counted instance carries the {@link Cleaner.Cleanable} that drops its count: the Cleaner
 * runs it when the instance becomes unreachable, {@link #release()} runs it at once (a Cleanable
 * runs at most once, so the two never both count). Whatever the runtime holds to keep an object
 * alive (a pending task's arguments, the refs nested in a value) is its own counted copy ({@link
 * RefLifecycle#copyOf}), so a user's release never takes the object from under the runtime.
 */
final class RefImpl<T> implements ObjectRef<T> {
  @Serial private static final long serialVersionUID = 1L;
  private static final java.lang.invoke.VarHandle RELEASED;

  static {
    try {
      RELEASED =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(RefImpl.class, "released", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ObjectId id;
  private final String owner;

  /** Drops this instance's count; null for an uncounted instance (no runtime in this JVM). */
  private transient volatile Cleaner.Cleanable cleanable;

  @SuppressWarnings("unused") // through RELEASED
  private transient volatile boolean released;

  RefImpl(ObjectId id, String owner) {
    this.id = id;
    this.owner = owner;
  }

  @Override
  public ObjectId id() {
    return id;
  }

  @Override
  public String ownerAddress() {
    return owner;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> toFuture() {
    checkLive("toFuture");
    return (CompletableFuture<T>) CoreWorker.current().fetcher.toFuture(this);
  }

  void counted(Cleaner.Cleanable c) {
    this.cleanable = c;
  }

  @Override
  public void release() {
    if (RELEASED.compareAndSet(this, false, true)) {
      Cleaner.Cleanable c = cleanable;
      if (c != null) {
        c.clean();
      }
    }
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  /** Throws when this instance was released: its count is gone, so the object may be too. */
  void checkLive(String use) {
    if (released) {
      throw new IllegalStateException(
          "cannot "
              + use
              + " "
              + this
              + ": this ref instance was released by ObjectRef.release(), so it no longer keeps"
              + " the object alive (call release() only once you are done with the ref; keep"
              + " another ref to the object, e.g. the one a task returned, to use it later)");
    }
  }

  @Serial
  Object writeReplace() throws ObjectStreamException {
    checkLive("serialize (pass to a task, an actor or put)");
    java.util.List<RefImpl<?>> nested = RefLifecycle.NESTED.get();
    if (nested != null) {
      // the serializer keeps a counted copy alive until the receiver has registered: a copy, so
      // that the user's release() of this instance does not drop the runtime's hold
      CoreWorker w = CoreWorker.currentOrNull();
      nested.add(w == null ? this : w.refs.copyOf(this));
    }
    return new Wire(id.hi(), id.lo(), owner);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectRef<?> r && r.id().equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "ObjectRef(" + id + ")";
  }

  /** The serialized form. */
  record Wire(long hi, long lo, String owner) implements Serializable {
    @Serial
    Object readResolve() throws ObjectStreamException {
      CoreWorker w = CoreWorker.currentOrNull();
      ObjectId id = new ObjectId(hi, lo);
      return w == null ? new RefImpl<>(id, owner) : w.refs.adoptRef(id, owner);
    }
  }
}
