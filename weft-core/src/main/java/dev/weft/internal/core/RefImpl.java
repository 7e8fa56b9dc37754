package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime's {@link ObjectRef}. Serialized as a {@link Wire} record; deserializing one in
 * another process makes that process a borrower of the object.
 */
final class RefImpl<T> implements ObjectRef<T> {
  @Serial private static final long serialVersionUID = 1L;
  private final ObjectId id;
  private final String owner;

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
    return (CompletableFuture<T>) CoreWorker.current().toFuture(this);
  }

  @Serial
  Object writeReplace() throws ObjectStreamException {
    java.util.List<RefImpl<?>> nested = CoreWorker.NESTED.get();
    if (nested != null) {
      nested.add(this); // the serializer keeps it alive until the receiver has registered
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
      return w == null ? new RefImpl<>(id, owner) : w.adoptRef(id, owner);
    }
  }
}
