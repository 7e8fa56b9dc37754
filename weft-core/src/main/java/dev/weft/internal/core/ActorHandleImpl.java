package dev.weft.internal.core;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;

/**
 * The runtime's {@link ActorHandle}: an id and a name; the caller side state lives in CoreWorker.
 */
final class ActorHandleImpl<T> implements ActorHandle<T> {
  @Serial private static final long serialVersionUID = 1L;
  private final ActorId id;
  private final String name;

  ActorHandleImpl(ActorId id, String name) {
    this.id = id;
    this.name = name;
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
    return new Wire(id.hi(), id.lo(), name);
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

  record Wire(long hi, long lo, String name) implements Serializable {
    @Serial
    Object readResolve() throws ObjectStreamException {
      return new ActorHandleImpl<>(new ActorId(hi, lo), name);
    }
  }
}
