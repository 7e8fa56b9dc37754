package dev.weft;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed future: a reference to an object that exists, or will exist, somewhere in the
 * cluster. Refs are cheap, immutable and {@link Serializable}: store them in other objects, return
 * them from tasks, pass them to actors. The object lives while any reference to it exists anywhere.
 *
 * @param <T> the type of the referenced value
 */
public interface ObjectRef<T> extends Serializable {
  /** The object's cluster-wide id. */
  ObjectId id();

  /** Address of the process that owns the object (the one that created the ref). */
  String ownerAddress();

  /** A future completed with the value (or the failure) once the object is ready. */
  CompletableFuture<T> toFuture();

  /** Shorthand for {@link Weft#get(ObjectRef)}. */
  default T get() {
    return Weft.get(this);
  }
}
