package dev.weft;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed future: a reference to an object that exists, or will exist, somewhere in the
 * cluster. Refs are cheap, immutable and {@link Serializable}: store them in other objects, return
 * them from tasks, pass them to actors. The object lives while any reference to it exists anywhere.
 *
 * <p>A ref instance counts as a reference until the JVM's garbage collector notices it is
 * unreachable, which may take long in a process that rarely collects. {@link #release()} drops this
 * instance's reference at once: once no other reference to the object remains (other instances,
 * pending tasks that take it, objects that contain it, other processes that borrowed it), its owner
 * frees it everywhere without waiting for a garbage collection.
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

  /**
   * Drops this ref instance's reference to the object now, instead of when the garbage collector
   * finds the instance unreachable. Idempotent. Only this instance is affected: other instances of
   * the same ref, tasks already submitted with it, objects that contain it and other processes keep
   * their own references. After release, using this instance ({@code get}, {@code toFuture}, {@link
   * Weft#wait}, {@link Weft#getBuffer}, passing it to a task or actor, or serializing it) throws
   * {@link IllegalStateException}; {@link #id()} and {@link #ownerAddress()} still answer.
   *
   * <p>Refs that the runtime did not create (none exist in a normal program) ignore the call.
   */
  default void release() {}

  /** Whether {@link #release()} was called on this instance. */
  default boolean isReleased() {
    return false;
  }
}
